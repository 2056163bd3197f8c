"""One record's values while it is mapped: by model path, grouped items and goals, findings.

The collector (``collect.py``) fills it label by label; ``assemble.py`` turns it into a Plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.findings import Finding
from pipeline.model import Source
from pipeline.readers.mapping.dx_cells import DxItem
from pipeline.readers.mapping.profile import Profile
from pipeline.readers.raw import RawRecord


@dataclass(init=False, slots=True)
class Item:
    """A repeated item (diagnosis, measure, service, objective...) being filled (made empty:
    a record makes several, so its members are set directly, without default factories)."""

    values: dict[str, Any]
    sources: dict[str, Source]
    items: dict[int, tuple[Any, Source]]
    extra: list[tuple[DxItem, Source]]

    def __init__(self) -> None:
        self.values, self.sources, self.items, self.extra = {}, {}, {}, []


@dataclass(init=False, slots=True)
class GoalItems:
    """A goal being filled, with its numbered objectives and interventions."""

    item: Item
    objectives: dict[int, Item]
    interventions: dict[int, Item]

    def __init__(self) -> None:
        self.item, self.objectives, self.interventions = Item(), {}, {}


#: scalar paths (a bounded set) split: (first part, keys between, last key); a path without
#: a dot has no last key (it is no section's member)
_NESTINGS: dict[str, tuple[str, tuple[str, ...], str | None]] = {}


def _nesting(path: str) -> tuple[str, tuple[str, ...], str | None]:
    """A scalar path's first part, the keys between and its last key
    (``client.contact.phone`` -> client, (contact,), phone), kept for the scalar paths of the
    model (up to 1024: paths come from the alias table and profiles, a bounded set)."""
    top, _dot, rest = path.partition(".")
    keys = rest.split(".") if rest else []
    found = top, tuple(keys[:-1]), keys[-1] if keys else None
    if len(_NESTINGS) < 1024:
        _NESTINGS[path] = found
    return found


#: a section's scalars: (its last keys, their values, the keys between of each when one is
#: nested, else None)
_Section = tuple[list[str], list[Any], list[tuple[str, ...]] | None]


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
        self._by_section: dict[str, _Section] | None = None
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
        found = self._sections().get(prefix)
        if found is None:
            return {}
        lasts, values, between = found
        if between is None:  # no nested key (most sections): one dict made in C
            return dict(zip(lasts, values, strict=True))
        out: dict[str, Any] = {}
        for keys, last, value in zip(between, lasts, values, strict=True):
            node = out
            for key in keys:
                node = node.setdefault(key, {})
            node[last] = value
        return out

    def _sections(self) -> dict[str, _Section]:
        """The scalars by their first path part, each with the rest of its path, in order."""
        if self._by_section is None:
            found: dict[str, _Section] = {}
            nestings = _NESTINGS
            for path, (value, _source) in self.scalars.items():
                top, keys, last = nestings.get(path) or _nesting(path)
                if last is None:
                    continue
                section = found.get(top)
                if section is None:
                    section = found[top] = ([], [], None)
                section[0].append(last)
                section[1].append(value)
                if keys or section[2] is not None:
                    if section[2] is None:  # the first nested key: the keys between of all
                        found[top] = section = (section[0], section[1], [()] * len(section[1]))
                        section[2][-1] = keys
                    else:
                        section[2].append(keys)
            self._by_section = found
        return self._by_section
