"""The ``txplan`` command: a click group whose verbs follow the pipeline.

Only this package knows exit codes: 0 all good, 1 some items rejected (the rest done),
2 unusable input or usage. Each verb lives in its own module of this package and lists its
click commands in a module-level ``COMMANDS``; they are registered here automatically.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from pipeline import __version__
from pipeline.cli.common import CONTEXT
from pipeline.cli.guard import GuardedGroup, Settings
from pipeline.clinical.icd10 import ENV_VAR as ICD10_ENV


@click.group(cls=GuardedGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="txplan")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
@click.option(
    "--show-values",
    is_flag=True,
    help="Quote the values of cells in messages (hidden by default: they are client data).",
)
@click.option(
    "--icd10cm",
    metavar="FILE",
    envvar=ICD10_ENV,
    type=click.Path(exists=True, dir_okay=False),
    help="A CMS ICD-10-CM release to check codes against instead of the bundled one: the "
    "order file (icd10cm_order_YYYY.txt), the codes file, or CMS's \"Code Descriptions in "
    f'Tabular Order" zip; also ${ICD10_ENV}. `txplan icd10 --release` prints the release.',
)
def main(debug: bool, show_values: bool, icd10cm: str | None) -> None:
    """txplan: intake exports and forms in, payer-ready treatment plans out.

    Stages: parse -> plan (goal bank) -> check (payer rules) -> build (documents).
    Each stage also accepts the plan JSON / JSON Lines the previous one wrote.
    """
    Settings.set(debug=debug, show_values=show_values)
    if icd10cm:
        from pathlib import Path

        from pipeline.clinical import icd10

        # The environment carries it to worker processes and the web app's batch runner.
        os.environ[ICD10_ENV] = str(Path(icd10cm).resolve())
        icd10.reload()
        icd10.release()  # a malformed file stops here, naming its line, before any work


#: This package's modules that hold no verb.
_NOT_VERBS = ("common", "guard")


class _Verbs(dict):  # type: ignore[type-arg]
    """The group's commands, each verb's module imported when it is first asked for: a
    command found by name imports its own module (``build`` -> ``pipeline.cli.build``), and
    anything else (listing, help, an unknown or differently named verb) imports them all, so
    ``txplan build`` does not import every other verb's dependencies (~0.07 s a run)."""

    def __init__(self) -> None:
        super().__init__()
        self._loaded: set[str] = set()
        self._all = False

    def _load(self, name: str) -> None:
        if name not in self._loaded:
            self._loaded.add(name)
            module = importlib.import_module(f"{__name__}.{name}")
            for command in getattr(module, "COMMANDS", ()):
                main.add_command(command)

    def _load_all(self) -> None:
        if not self._all:
            self._all = True
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
                if info.name not in _NOT_VERBS:
                    self._load(info.name)

    def get(self, name: Any, default: Any = None) -> Any:
        if not super().__contains__(name) and isinstance(name, str):
            module = name.replace("-", "_")
            if module not in _NOT_VERBS and (Path(__file__).parent / f"{module}.py").is_file():
                self._load(module)
            if not super().__contains__(name):
                self._load_all()
        return super().get(name, default)

    def __getitem__(self, name: Any) -> Any:
        found = self.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def __contains__(self, name: object) -> bool:
        return self.get(name) is not None

    def __iter__(self) -> Iterator[Any]:
        self._load_all()
        return super().__iter__()

    def __len__(self) -> int:
        self._load_all()
        return super().__len__()

    def keys(self) -> Any:
        self._load_all()
        return super().keys()

    def values(self) -> Any:
        self._load_all()
        return super().values()

    def items(self) -> Any:
        self._load_all()
        return super().items()


main.commands = _Verbs()
