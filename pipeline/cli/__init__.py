"""The ``txplan`` command: a click group whose verbs follow the pipeline.

Only this package knows exit codes: 0 all good, 1 some items rejected (the rest done),
2 unusable input or usage. Each verb lives in its own module of this package and lists its
click commands in a module-level ``COMMANDS``; they are registered here automatically.
"""

from __future__ import annotations

import importlib
import os
import pkgutil

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


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name in ("common", "guard"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


_register()
