"""How a build's progress is shown: a rich bar on a terminal, plain lines otherwise, a summary.

The library calls :class:`ProgressView` with a :class:`~pipeline.batch.progress.BuildProgress` after
each batch of rows; this module is the only place that turns that into text (on stderr).
"""

from __future__ import annotations

import sys
import time
from typing import Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.batch.progress import STATUSES, BuildProgress

#: Seconds between two plain progress lines when stderr is not a terminal.
PLAIN_EVERY = 5.0


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _counts(state: BuildProgress) -> str:
    parts = [f"{state.statuses.get(s, 0)} {s}" for s in STATUSES]
    if state.skipped:
        parts.append(f"{state.skipped} unchanged")
    return ", ".join(parts)


class ProgressView:
    """``with ProgressView(estimate) as view: build(..., BuildOptions(progress=view))``."""

    def __init__(self, estimate: int | None, *, console: Console | None = None,
                 live: bool | None = None) -> None:  # fmt: skip
        self.console = console or Console(stderr=True)
        self.live = sys.stderr.isatty() if live is None else live
        self.estimate = estimate
        self._bar: Progress | None = None
        self._task: Any = None
        self._last = 0.0

    def __enter__(self) -> ProgressView:
        if self.live:
            self._bar = Progress(
                TextColumn("building"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("plans · {task.fields[counts]}"),
                TimeElapsedColumn(),
                TextColumn("ETA {task.fields[eta]}"),
                console=self.console,
                auto_refresh=False,  # no refresh thread: workers are forked from this process
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("build", total=self.estimate, counts="", eta="--:--")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.refresh()
            self._bar.stop()

    def __call__(self, state: BuildProgress) -> None:
        if self._bar is not None:
            total = max(self.estimate or state.plans_total or 0, state.plans_done) or None
            if state.finished:
                total = state.plans_done
            eta = "0:00" if state.finished else _clock(state.eta())
            self._bar.update(self._task, completed=state.plans_done, total=total,
                             counts=_counts(state), eta=eta)  # fmt: skip
            self._bar.refresh()
            return
        now = time.monotonic()
        if state.finished:
            return  # the summary table's caption says it
        if now - self._last >= PLAIN_EVERY:
            self._last = now
            of = f"/~{state.plans_total}" if state.plans_total and not state.finished else ""
            eta = "" if state.finished else f", ETA {_clock(state.eta())}"
            self.console.print(
                f"progress: {state.plans_done}{of} plans ({_counts(state)}), "
                f"{_clock(state.elapsed)} elapsed{eta}",
                highlight=False,
                soft_wrap=True,
            )


def summary_table(state: BuildProgress) -> Table:
    """Rows ok / blocked / failed / unchanged per payer, with totals and time."""
    caption = f"{state.plans_done} plans in {state.elapsed:.1f} s"
    table = Table(caption=caption, caption_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)  # fmt: skip
    table.add_column("payer")
    for status in (*STATUSES, "unchanged"):
        table.add_column(status, justify="right")
    for payer, counts in state.by_payer.items():
        table.add_row(payer, *(str(counts.get(s, 0)) for s in STATUSES),
                      str(counts.get("skipped", 0)))  # fmt: skip
    table.add_row("total", *(str(state.statuses.get(s, 0)) for s in STATUSES),
                  str(state.skipped), style="bold")  # fmt: skip
    return table
