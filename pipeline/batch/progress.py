"""Build progress as data: counts per status and payer, elapsed time, an estimate of the total.

The library reports progress by calling a function the caller supplies with a
:class:`BuildProgress`; it never prints. :func:`estimate_plans` guesses how many plans some
inputs hold, cheaply (line counts, sheet dimensions), so a bar can show an ETA.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
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
        counts = self.by_payer.get(payer)
        if counts is None:  # (setdefault would make a Counter every row)
            counts = self.by_payer[payer] = Counter()
        counts[status] += 1
        if reused:
            self.skipped += 1
            counts["skipped"] += 1

    def eta(self) -> float | None:
        """Seconds left at the rate so far (None before any plan or with no estimate)."""
        if not self.plans_total or not self.plans_done:
            return None
        left = max(0, self.plans_total - self.plans_done)
        return self.elapsed / self.plans_done * left


#: Inputs up to this size (bytes, together) are read to count their plans exactly; larger ones
#: are estimated from their lines or rows, so a big batch is not read twice.
READ_LIMIT = 128_000


def small_inputs(paths: Iterable[str | Path]) -> bool:
    """Whether the inputs are small enough to be read for an exact count."""
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += Path(path).stat().st_size
    return total <= READ_LIMIT


def _lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _sheet_rows(path: Path) -> int | None:
    """Rows of a workbook's worksheets (the row elements, counted as the XML streams by)."""
    import zipfile

    count, tail = 0, b""
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.startswith("xl/worksheets/") and member.endswith(".xml"):
                with archive.open(member) as stream:
                    while chunk := stream.read(1 << 20):
                        block = tail + chunk
                        count += block.count(b"<row ") + block.count(b"<row>")
                        tail = block[-6:]
                        count -= tail.count(b"<row ") + tail.count(b"<row>")
                count += tail.count(b"<row ") + tail.count(b"<row>")
                tail = b""
    return count or None


#: Exports whose plans are counted by reading them (a form is one plan, a scan is slow to read).
COUNTED = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".jsonl", ".ndjson")


def _read_count(paths: list[Path]) -> int:
    """Plans the readers make of these exports (what the build will see; findings unused)."""
    from pipeline.readers import ReadOptions
    from pipeline.readers.export import read_paths

    return sum(
        1 for _, results in read_paths(paths, ReadOptions()) for r in results if r.plan is not None
    )


def estimate_plans(paths: Iterable[str | Path], *, read: bool = True) -> int | None:
    """How many plans the inputs hold: exports are read and their plans counted (``read``;
    exact), a form or JSON file is one; without ``read`` or when a file cannot be read, data
    lines of CSV / JSON Lines and rows of a workbook's first sheet (an upper bound)."""
    paths = [Path(p) for p in paths]
    exports = [p for p in paths if p.suffix.lower() in COUNTED]
    if read and exports:
        try:
            forms = [p for p in paths if p not in exports]
            return (_read_count(exports) + len(forms)) or None
        except Exception:  # noqa: BLE001 - an estimate; the build reports the real problem
            pass
    total = 0
    for path in paths:
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


def estimate_later(paths: Iterable[str | Path]) -> Callable[[], int | None]:
    """``estimate_plans(paths, read=small_inputs(paths))``, called for when needed: inputs too
    large to read are counted in a thread meanwhile (inflating a workbook's sheet, 0.05 s at
    10,000 rows, lets go of the interpreter), small ones when asked."""
    paths = list(paths)
    if small_inputs(paths):
        return lambda: estimate_plans(paths, read=True)
    found: list[int | None] = []
    thread = threading.Thread(target=lambda: found.append(estimate_plans(paths, read=False)),
                              name="txplan-estimate", daemon=True)  # fmt: skip
    thread.start()

    def result() -> int | None:
        thread.join()
        return found[0] if found else None

    return result
