"""Input groups: a build skips an input file (or an export's files) whole, without reading it,
when its bytes and everything else that shaped its rows are unchanged since the folder's last
build, and every row it made is still intact (documents on disk with their SHA-256, each
client's latest version in the store as it was left).

The caller (the command line, the web app) wraps each file it would read in an
:class:`InputGroup`; what reading it reported (findings, plans read and rejected) is kept in
the folder's ledger, so a skipped file is reported as it was when it was read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.batch.ledger import Ledger, digest, file_digest
from pipeline.model import Plan

GROUP_PREFIX = "input:"


def _no_summary() -> dict[str, Any] | None:
    return {}


def _no_replay(summary: dict[str, Any]) -> None:
    return None


@dataclass
class InputGroup:
    """One input file, or the files of one export, as a build reads it."""

    name: str
    files: tuple[Path, ...]
    plans: Callable[[], Iterator[Plan]]  #: reads the group, reporting as it goes
    #: after ``plans()`` is exhausted: what reading reported, JSON-able, to replay when the
    #: group is skipped next time; None when it must be read again (it could not be used)
    summary: Callable[[], dict[str, Any] | None] = _no_summary
    replay: Callable[[dict[str, Any]], None] = _no_replay

    @property
    def key(self) -> str:
        return GROUP_PREFIX + "\n".join(sorted(str(p.resolve()) for p in self.files))

    def fingerprint(self, prints: Sequence[str], slots: int) -> str:
        """The files' names and bytes, with every slot's fingerprint of the build."""
        parts = [part for p in sorted(self.files) for part in (p.name, file_digest(p))]
        return digest(*parts, *prints, str(slots))


@dataclass
class GroupRecord:
    """What the parent gathers of a group while reading it, written once its rows are."""

    key: str
    fingerprint: str
    plans: list[Any] = field(default_factory=list)  #: the build's per-plan contexts
    summary: dict[str, Any] | None = None
    complete: bool = False  #: every plan read and handed out

    def ready(self) -> bool:
        return self.complete and all(getattr(p, "recorded", False) for p in self.plans)

    def entry(self, store: Any) -> dict[str, Any]:
        clients = [p.client_id for p in self.plans]
        marks = store.latest_marks(clients) if store is not None else {}
        return {
            "plans": [[p.client_id, p.slots, marks.get(p.client_id)] for p in self.plans],
            "summary": self.summary,
        }


Reused = list[tuple[str, list[Any], dict[int, Any]]]


def reusable(entry: dict[str, Any], ledger: Ledger, out: Path,
             marks: dict[str, tuple[int, str]] | None) -> Reused | None:  # fmt: skip
    """Per plan of a recorded group (client, slots, {slot: ledger entry}) when every row can
    be reused as it is; None when anything changed (the group is then read again)."""
    plans = []
    for client, slots, mark in entry["plans"]:
        if marks is not None and (mark is None or tuple(mark) != marks.get(client)):
            return None
        reused = {}
        for slot, key, fingerprint in slots:
            previous = ledger.previous(key, fingerprint, out)
            if previous is None:
                return None
            reused[slot] = previous
        plans.append((client, [tuple(s) for s in slots], reused))
    return plans
