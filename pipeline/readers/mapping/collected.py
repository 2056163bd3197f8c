"""One record's values while it is mapped: by model path, grouped items and goals, findings.

The collector (``collect.py``) fills it label by label; ``assemble.py`` turns it into a Plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.findings import Finding
from pipeline.model import Source
from pipeline.readers.mapping.dx_cells import DxItem
from pipeline.readers.mapping.profile import Profile
from pipeline.readers.raw import RawRecord


@dataclass
class Item:
    """A repeated item (diagnosis, measure, service, objective...) being filled."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    items: dict[int, tuple[Any, Source]] = field(default_factory=dict)
    extra: list[tuple[DxItem, Source]] = field(default_factory=list)


@dataclass
class GoalItems:
    """A goal being filled, with its numbered objectives and interventions."""

    item: Item = field(default_factory=Item)
    objectives: dict[int, Item] = field(default_factory=dict)
    interventions: dict[int, Item] = field(default_factory=dict)


_NESTINGS: dict[str, tuple[str, tuple[str, ...]]] = {}  #: scalar paths (a bounded set) split


def _nesting(path: str) -> tuple[str, tuple[str, ...]]:
    """A scalar path's first part and the keys below it (``client.contact.phone``), kept
    for the scalar paths of the model (up to 1024: paths come from the alias table and
    profiles, a bounded set)."""
    top, _dot, rest = path.partition(".")
    found = top, tuple(rest.split(".")) if rest else ()
    if len(_NESTINGS) < 1024:
        _NESTINGS[path] = found
    return found


class Collected:
    """The state of one record being mapped: scalars, grouped items, goals and findings."""

    def __init__(self, record: RawRecord, profile: Profile | None) -> None:
        self.record = record
        self.profile = profile
        self.date_order = profile.date_order if profile else "MDY"
        self.scalars: dict[str, tuple[Any, Source]] = {}
        self.groups: dict[str, dict[str, Item]] = {"diagnoses": {}, "measures": {}, "services": {}}
        self.current: dict[str, tuple[tuple[Any, ...], str]] = {}
        #: numbered items and instrument administrations by (group, number or instrument, row)
        self.keyed: dict[tuple[Any, ...], Item] = {}
        self.goals: dict[int, GoalItems] = {}
        self.findings: list[Finding] = []
        self.fields: dict[str, Source] = {}
        self._by_section: dict[str, list[tuple[tuple[str, ...], Any]]] | None = None
        #: the rows a table record's values came from, as they are read (``rows.py``)
        self.places: list[Source] = []

    def sources(self) -> tuple[Source, ...]:
        """The rows (or forms) the record's values came from, in order."""
        found = self.record.sources()
        return found + tuple(self.places) if self.places else found

    def first_file(self) -> str | None:
        """The file of the record's first value (None: no value)."""
        if self.record.fields:
            return self.record.fields[0].source.file
        return self.places[0].file if self.places else None

    # --- assembling -----------------------------------------------------------------------

    def unrecorded_goals(self) -> tuple[str, ...]:
        """The goal fields the record's system has no place for (see ``collect.py``)."""
        return ()

    def changed(self) -> None:
        """Say that scalars were set directly (the sections are found again)."""
        self._by_section = None

    def value(self, path: str, default: Any = None) -> Any:
        found = self.scalars.get(path)
        return found[0] if found else default

    def section(self, prefix: str) -> dict[str, Any]:
        """Scalars under a prefix as a nested dict (``client.contact.phone`` -> contact)."""
        out: dict[str, Any] = {}
        for keys, value in self._sections().get(prefix, ()):
            node = out
            for key in keys[:-1]:
                node = node.setdefault(key, {})
            node[keys[-1]] = value
        return out

    def _sections(self) -> dict[str, list[tuple[tuple[str, ...], Any]]]:
        """The scalars by their first path part, each with the rest of its path, in order."""
        if self._by_section is None:
            found: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
            nestings = _NESTINGS
            for path, (value, _source) in self.scalars.items():
                top, keys = nestings.get(path) or _nesting(path)
                if keys:
                    if top in found:
                        found[top].append((keys, value))
                    else:
                        found[top] = [(keys, value)]
            self._by_section = found
        return self._by_section
