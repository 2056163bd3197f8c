"""The ``txplan`` command: a click group whose verbs follow the pipeline.

Only this package knows exit codes: 0 all good, 1 some items rejected (the rest done),
2 unusable input or usage. Each verb lives in its own module of this package and lists its
click commands in a module-level ``COMMANDS``; they are registered here automatically.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

from pipeline import __version__
from pipeline.cli.common import CONTEXT
from pipeline.cli.guard import GuardedGroup, Settings


@click.group(cls=GuardedGroup, context_settings=CONTEXT)
@click.version_option(__version__, prog_name="txplan")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
@click.option(
    "--show-values",
    is_flag=True,
    help="Quote the values of cells in messages (hidden by default: they are client data).",
)
def main(debug: bool, show_values: bool) -> None:
    """txplan: intake exports and forms in, payer-ready treatment plans out.

    Stages: parse -> plan (goal bank) -> check (payer rules) -> build (documents).
    Each stage also accepts the plan JSON / JSON Lines the previous one wrote.
    """
    Settings.set(debug=debug, show_values=show_values)


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name in ("common", "guard"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


_register()
