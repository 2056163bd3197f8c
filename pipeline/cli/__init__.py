"""The ``txplan`` command: a click group whose verbs follow the pipeline.

Only this package knows exit codes: 0 all good, 1 some items rejected (the rest done),
2 unusable input or usage. Each verb lives in its own module and registers one line below.
"""

from __future__ import annotations

import click

from .. import __version__
from .common import CONTEXT


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="txplan")
def main() -> None:
    """txplan: intake exports and forms in, payer-ready treatment plans out.

    Stages: parse -> plan (goal bank) -> check (payer rules) -> build (documents).
    Each stage also accepts the plan JSON / JSON Lines the previous one wrote.
    """


def _register() -> None:
    from .schema import schema

    for command in (schema,):
        main.add_command(command)


_register()
