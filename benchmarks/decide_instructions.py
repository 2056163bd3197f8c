"""``prepare`` + ``decide`` of N plans inside one C call, for callgrind's instruction counts.

Run: PYTHONPATH=. valgrind --tool=callgrind --collect-atstart=no \\
         --toggle-collect=functools_reduce .venv/bin/python benchmarks/decide_instructions.py \\
         [--rows 300] [--distinct] [--worker] [--no-reuse]
It writes ``2 * --rows`` synthetic intake rows, reads them (not counted), merges and decides
the second half to warm the caches, then the first half, each plan rebuilt from its JSON as a
worker does, inside ``functools.reduce``: callgrind counts only that (its "Collected" line).
Instruction counts do not depend on the machine's load, so two versions of txplan can be
compared one run each; ``--distinct`` and ``--no-reuse`` as in plan_work.py. ``--worker``
counts all of a worker's clinical steps on each plan, as plan_work.py times them: the plan sent
as ``job.transport`` sends it (field sources aside), rebuilt from its JSON, the intake's content
hash, ``prepare``, ``decide`` and the merged plan's version record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plan_work import _distinct, _forget  # noqa: E402
from synthetic import write_intake_xlsx  # noqa: E402

from pipeline.batch.build import GC_YOUNG  # noqa: E402
from pipeline.batch.decision import decide, prepare  # noqa: E402
from pipeline.batch.job import transport  # noqa: E402
from pipeline.goalbank.bank import load_bank  # noqa: E402
from pipeline.model import Plan  # noqa: E402
from pipeline.profiles import load_agency, load_payer  # noqa: E402
from pipeline.readers import read  # noqa: E402
from pipeline.versions import record  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--payer", default="clinical")
    parser.add_argument("--agency", default="riverside")
    parser.add_argument("--distinct", action="store_true")
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--no-reuse", action="store_true")
    args = parser.parse_args(argv)
    threshold = gc.get_threshold()  # as a build sets it (its workers inherit it)
    gc.set_threshold(max(threshold[0], GC_YOUNG), *threshold[1:])
    folder = Path(tempfile.gettempdir()) / "txplan-plan-work"
    folder.mkdir(exist_ok=True)
    intake = write_intake_xlsx(folder / f"intake-{2 * args.rows}.xlsx", 2 * args.rows)
    plans = [r.plan for r in read(intake) if r.plan is not None]
    if args.distinct:
        plans = [_distinct(plan) for plan in plans]
    sent = [transport(plan)[1:3] if args.worker else (plan.model_dump_json(), None)
            for plan in plans]  # fmt: skip
    bank, payer = load_bank(), load_payer(args.payer)
    agency, today = load_agency(args.agency), dt.date(2026, 6, 1)

    def step(done: int, item: tuple[str, str | None]) -> int:
        if args.no_reuse:
            _forget()
        plan = Plan.model_validate_json(item[0])
        if args.worker:
            record.content_hash(plan)
        merged, found = prepare(plan, bank)
        decide(merged, payer, agency, merge_findings=found, today=today)
        if args.worker:
            record.prepare(merged, item[1])
        return done + 1

    for item in sent[args.rows :]:  # warm: the bank's indexes, tables, caches
        step(0, item)
    print(functools.reduce(step, sent[: args.rows], 0), "plans")


if __name__ == "__main__":
    main()
