"""Where a label's values go: the profile first, then the aliases, then the table's header.

A label is routed once per table (or form), however many rows the table has: a
:class:`Routes` keeps each label's model path for the records read from that table.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from pipeline.findings import Finding, info
from pipeline.readers.mapping.aliases import resolve
from pipeline.readers.mapping.codes import IGNORED, MAPPED
from pipeline.readers.mapping.paths import IGNORE, Path, parse_path
from pipeline.readers.mapping.profile import Profile
from pipeline.readers.mapping.values import quoted


@lru_cache(maxsize=8192)
def resolve_label(label: str, profile: Profile | None = None) -> str | None:
    """The model path for a label: the profile first, then (unless it says not) the aliases."""
    if profile is not None:
        found = profile.lookup(label)
        if found is not None:
            return found
        if not profile.use_aliases:
            return None
    return resolve(label)


@lru_cache(maxsize=8192)
def route(label: str, profile: Profile | None = None) -> Path | None:
    """The parsed model path a label's values go to; None when they are dropped."""
    found = resolve_label(label, profile)
    path = parse_path(found) if found else None
    return None if path is None or path.text == IGNORE else path


def route_in(label: str, profile: Profile | None, context: dict[str, str | None]) -> Path | None:
    """Like :func:`route`, but a label the profile does not name may take its path from the
    header it is in (``phq_9`` beside ``phq_1`` … ``phq_8`` is item 9; see ``items.py``)."""
    if label in context and (profile is None or profile.lookup(label) is None):
        found = context[label]
        path = parse_path(found) if found else None
        return None if path is None or path.text == IGNORE else path
    return route(label, profile)


def explain_label(
    label: str, profile: Profile | None, where: str, context: dict[str, str | None] | None = None
) -> Finding:
    """The info finding ``--explain`` shows for one label."""
    path = resolve_label(label, profile)
    why = "ignored (no alias or profile entry)"
    if context and label in context and (profile is None or profile.lookup(label) is None):
        if path == "client.id" and context[label] is None:
            why = "ignored (another column is the client id)"
        path = context[label]
    if path is None or path == IGNORE:
        why = "ignored by the profile" if path == IGNORE else why
        return info(IGNORED, where, f"{quoted(label)} {why}")
    return info(MAPPED, where, f"{quoted(label)} -> {path}")


class Step(NamedTuple):
    """How the cells under one label of a table are read (found once, used for every row)."""

    path: Path | None  #: where the values go; None: dropped
    problem: str  #: why the values are dropped with an error (a pivot header's bad date)
    plain: bool  #: one value for one scalar field, read by ``parse`` (most columns)
    parse: Callable[[Any], Any]  #: the parser of the path's kind
    item: bool = False  #: an item response of a keyed measure (``measures[PHQ-9].items[9]``)
    number: int | None = None  #: the measure's number when the path numbers it (``[2]``)


class Routes:
    """The labels of one table or form, each routed once: the profile scoped to that table,
    the labels the whole header decides (``context``), and every label's path as found."""

    __slots__ = ("base", "profile", "context", "paths", "steps", "columns")

    def __init__(
        self,
        profile: Profile | None,
        file: str | None,
        sheet: str | None,
        context: dict[str, str | None],
    ) -> None:
        self.base = profile  #: the profile as given, before it is scoped to this table
        self.profile = profile.scoped(file, sheet) if profile is not None else None
        self.context = context
        #: label -> path, as routed so far (at most one entry a label of the table)
        self.paths: dict[str, Path | None] = {}
        #: label -> how its cells are read, for the collector (``collect.Collector.step_of``)
        self.steps: dict[str, Step] = {}
        #: the table's labelled columns, with each one's step in order (``rows.py``)
        self.columns: Any = None

    def path(self, label: str) -> Path | None:
        """Where this label's values go (None: dropped)."""
        try:
            return self.paths[label]
        except KeyError:
            found = self.paths[label] = route_in(label, self.profile, self.context)
            return found


#: goal fields a system may have no place for; the merge names them from the goal bank
UNRECORDED_GOAL_FIELDS = ("problem", "description")


@lru_cache(maxsize=256)
def goal_fields(labels: tuple[str, ...], profiles: tuple[Profile | None, ...]) -> frozenset[str]:
    """The goal fields (``problem``, ``description``, ...) that some label of a record's
    tables or form routes to, blank or not: what the source system has a place for. Once a
    set of labels (every row of a table has the same)."""
    found: set[str] = set()
    for label in labels:
        for profile in profiles:
            path = route(label, profile)
            if path is not None and path.group == "goals" and path.part is None:
                found.add(path.sub)
    return frozenset(found)


def unrecorded_goal_fields(
    labels: tuple[str, ...], profiles: tuple[Profile | None, ...]
) -> tuple[str, ...]:
    """``goals[].problem`` / ``goals[].description`` when no label can hold them."""
    has = goal_fields(labels, profiles)
    return tuple(f"goals[].{sub}" for sub in UNRECORDED_GOAL_FIELDS if sub not in has)
