"""Where the bundled templates and goal bank are: a checkout's, $TXPLAN_TEMPLATES, or the package's.

Looked up in this order: ``$TXPLAN_TEMPLATES`` (a folder holding ``payers/`` and ``agencies/``);
a source checkout's ``templates/`` and ``goalbank.xlsx`` beside the ``pipeline`` package (so
edits in a checkout take effect without reinstalling); the copies shipped inside the installed
package as package data (``pipeline/data/``), read with :mod:`importlib.resources`.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def _packaged(name: str) -> Path:
    return Path(str(resources.files("pipeline") / "data" / name))


def templates_dir() -> Path:
    """The templates folder in force: $TXPLAN_TEMPLATES, a checkout's, else the packaged one."""
    env = os.environ.get("TXPLAN_TEMPLATES")
    if env:
        return Path(env)
    checkout = _CHECKOUT / "templates"
    if (checkout / "payers").is_dir():
        return checkout
    return _packaged("templates")


def default_goalbank() -> Path:
    """The goal bank in force: a checkout's goalbank.xlsx, else the packaged one."""
    checkout = _CHECKOUT / "goalbank.xlsx"
    return checkout if checkout.is_file() else _packaged("goalbank.xlsx")
