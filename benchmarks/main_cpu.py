"""Where the main process of `txplan build` spends its CPU: each step's process time.

Run: PYTHONPATH=. .venv/bin/python benchmarks/main_cpu.py build in.xlsx --payer clinical \\
         --agency riverside --draft --workers 2 --rebuild -o out
(any `txplan` arguments). It runs the command in this process with ``time.process_time``
around the main process's steps (reading the rows, each plan's ``_item``, the store lookup,
the plan's JSON, the pool's messages, the sink, store inserts, ledger rows, the manifest),
the collector's passes timed through ``gc.callbacks``, and prints one line to stderr:
``main`` (the whole process), ``not_reading`` (the rest once reading is taken off),
``workers`` (the workers' CPU, from RUSAGE_CHILDREN), ``main_sys`` and ``workers_sys`` (the
kernel's share of each: file creation, SQLite's writes and fsyncs, page faults) and each
step's seconds. Steps nest (``sink`` holds ``store.save``, ``plan item`` holds ``transport``,
which holds ``plan JSON`` and ``field sources``); ``rest`` is what no step holds (the command
line's start and end, the loops between the steps). Compare two versions in alternating runs
on the same machine.
"""

from __future__ import annotations

import atexit
import functools
import gc
import resource
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

clock = time.process_time
spent: dict[str, float] = {}


def _add(label: str, seconds: float) -> None:
    spent[label] = spent.get(label, 0.0) + seconds


def _wrap(owner: Any, name: str, label: str | None = None) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        began = clock()
        try:
            return original(*args, **kwargs)
        finally:
            _add(label or name, clock() - began)

    setattr(owner, name, timed)


def _timed_iter(label: str, source: Iterator[Any]) -> Iterator[Any]:
    while True:
        began = clock()
        try:
            item = next(source)
        except StopIteration:
            _add(label, clock() - began)
            return
        _add(label, clock() - began)
        yield item


def _collector() -> None:
    began = [0.0]

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            began[0] = clock()
        else:
            _add("collector", clock() - began[0])

    gc.callbacks.append(seen)


#: The steps no other step holds (their sum and ``rest`` make ``main``; the collector runs
#: inside them).
_OUTER = ("imports", "job start", "reading", "plan item", "pool send", "pool receive", "sink",
          "manifest", "ledger compact")  # fmt: skip


def main() -> None:
    started = clock()
    from pipeline.batch import build, inputs, job, ledger, manifest, pool, sink, versioning
    from pipeline.cli import main as txplan
    from pipeline.cli import plan_report
    from pipeline.model import Plan

    original_init = inputs.InputGroup.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        plans: Callable[[], Iterator[Any]] = self.plans
        self.plans = lambda: _timed_iter("reading", plans())

    inputs.InputGroup.__init__ = init  # type: ignore[method-assign]
    for owner, name, label in (
        (build, "_item", "plan item"),
        (build, "transport", "transport"),  # imported by name: wrapped where it is called
        (job, "fields_text", "field sources"),
        (sink, "shaped_texts", "row texts"),
        (plan_report.PlanReport, "add_row_json", "cli row report"),
        (ledger.Ledger, "sync", "ledger sync"),
        (sink.Sink, "_record_groups", "input groups"),
        (versioning.Versioner, "decide", "store lookup"),
        (Plan, "model_dump_json", "plan JSON"),
        (pool.Pool, "_collect", "pool receive"),
        (pool.Pool, "_dispatch", "pool send"),
        (job.PlanJob, "__init__", "job start"),
        (sink.Sink, "add", "sink"),
        (sink.Sink, "_save_versions", "store.save"),
        (ledger.Ledger, "record", "ledger rows"),
        (manifest.Row, "from_json", "Row.from_json"),
        (manifest.ManifestParts, "add", "manifest rows"),
        (manifest.ManifestParts, "finish", "manifest"),
        (ledger.Ledger, "compact", "ledger compact"),
    ):
        _wrap(owner, name, label)
    _collector()
    spent["imports"] = clock() - started

    def report() -> None:
        total = clock() - started
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        steps = " ".join(f"{k}={v:.2f}" for k, v in spent.items())
        held = sum(spent.get(k, 0.0) for k in _OUTER)
        print(f"main={total:.2f} not_reading={total - spent.get('reading', 0.0):.2f} "
              f"workers={children.ru_utime + children.ru_stime:.2f} "
              f"main_sys={own.ru_stime:.2f} workers_sys={children.ru_stime:.2f} {steps} "
              f"rest={total - held:.2f}", file=sys.stderr)  # fmt: skip

    atexit.register(report)
    sys.argv = ["txplan", *sys.argv[1:]]
    txplan()


if __name__ == "__main__":
    main()
