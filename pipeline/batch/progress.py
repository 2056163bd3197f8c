"""Build progress as data: counts per status and payer, elapsed time, an estimate of the total.

The library reports progress by calling a function the caller supplies with a
:class:`BuildProgress`; it never prints. :func:`estimate_plans` guesses how many plans some
inputs hold, cheaply (line counts, sheet dimensions), so a bar can show an ETA.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

STATUSES = ("ok", "blocked", "failed")


@dataclass
class BuildProgress:
    """Where a build is: plans finished, rows per status and per payer, time so far."""

    plans_total: int | None = None  #: an estimate (None when unknown)
    plans_done: int = 0
    skipped: int = 0  #: rows reused unchanged from the previous run
    statuses: Counter[str] = field(default_factory=Counter)
    by_payer: dict[str, Counter[str]] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    finished: bool = False

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def rows(self) -> int:
        return sum(self.statuses.values())

    def count(self, payer: str, status: str, *, reused: bool) -> None:
        self.statuses[status] += 1
        self.by_payer.setdefault(payer, Counter())[status] += 1
        if reused:
            self.skipped += 1
            self.by_payer[payer]["skipped"] += 1

    def eta(self) -> float | None:
        """Seconds left at the rate so far (None before any plan or with no estimate)."""
        if not self.plans_total or not self.plans_done:
            return None
        left = max(0, self.plans_total - self.plans_done)
        return self.elapsed / self.plans_done * left


def _lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _sheet_rows(path: Path) -> int | None:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return book.worksheets[0].max_row if book.worksheets else None
    finally:
        book.close()


def estimate_plans(paths: Iterable[str | Path]) -> int | None:
    """About how many plans the inputs hold: data lines of CSV / JSON Lines, rows of a
    workbook's first sheet, one per form or JSON file. An upper bound for long exports."""
    total = 0
    for name in paths:
        path = Path(name)
        suffix = path.suffix.lower()
        try:
            if suffix in (".csv", ".tsv", ".txt"):
                total += max(0, _lines(path) - 1)
            elif suffix == ".jsonl":
                total += _lines(path)
            elif suffix in (".xlsx", ".xlsm"):
                total += max(0, (_sheet_rows(path) or 1) - 1)
            else:
                total += 1
        except Exception:  # noqa: BLE001 - an estimate; the reader reports the real problem
            total += 1
    return total or None
