"""The authored goal-bank content, as plain data (see schema.py for the shapes)."""

from __future__ import annotations

from . import anxiety, anxiety_general, domains, mood, other
from .families import FAMILIES
from .instruments import INSTRUMENTS, MEASURE_RULES
from .readme import PLACEHOLDERS, TEXT
from .safety_plan import SAFETY_PLAN

PROBLEMS = (
    mood.PROBLEMS + anxiety.PROBLEMS + anxiety_general.PROBLEMS + other.PROBLEMS + domains.PROBLEMS
)

__all__ = [
    "FAMILIES",
    "INSTRUMENTS",
    "MEASURE_RULES",
    "PLACEHOLDERS",
    "PROBLEMS",
    "SAFETY_PLAN",
    "TEXT",
]
