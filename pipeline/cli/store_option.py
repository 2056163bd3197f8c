"""The ``--store PATH`` option every versions verb shares (else $TXPLAN_STORE, else default)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from pipeline.versions.store import ENV_VAR


def store_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--store PATH`` (the plan version database) to a command."""
    return click.option(
        "--store",
        "store_path",
        metavar="PATH",
        type=click.Path(dir_okay=False),
        help=f"Plan version database (default: ${ENV_VAR}, else "
        "~/.local/share/txplan/plans.sqlite3).",
    )(func)
