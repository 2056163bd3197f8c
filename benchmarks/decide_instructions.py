"""``prepare`` + ``decide`` of N plans inside one C call, for callgrind's instruction counts.

Run: PYTHONPATH=. valgrind --tool=callgrind --collect-atstart=no \\
         --toggle-collect=functools_reduce .venv/bin/python benchmarks/decide_instructions.py \\
         [--rows 300] [--distinct]
It writes ``2 * --rows`` synthetic intake rows, reads them (not counted), merges and decides
the second half to warm the caches, then the first half, each plan rebuilt from its JSON as a
worker does, inside ``functools.reduce``: callgrind counts only that (its "Collected" line).
Instruction counts do not depend on the machine's load, so two versions of txplan can be
compared one run each; ``--distinct`` as in plan_work.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plan_work import _distinct  # noqa: E402
from synthetic import write_intake_xlsx  # noqa: E402

from pipeline.batch.decision import decide, prepare  # noqa: E402
from pipeline.goalbank.bank import load_bank  # noqa: E402
from pipeline.model import Plan  # noqa: E402
from pipeline.profiles import load_agency, load_payer  # noqa: E402
from pipeline.readers import read  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--payer", default="clinical")
    parser.add_argument("--agency", default="riverside")
    parser.add_argument("--distinct", action="store_true")
    args = parser.parse_args(argv)
    folder = Path(tempfile.gettempdir()) / "txplan-plan-work"
    folder.mkdir(exist_ok=True)
    intake = write_intake_xlsx(folder / f"intake-{2 * args.rows}.xlsx", 2 * args.rows)
    plans = [r.plan for r in read(intake) if r.plan is not None]
    if args.distinct:
        plans = [_distinct(plan) for plan in plans]
    sent = [plan.model_dump_json() for plan in plans]
    bank, payer = load_bank(), load_payer(args.payer)
    agency, today = load_agency(args.agency), dt.date(2026, 6, 1)

    def step(done: int, plan_json: str) -> int:
        merged, found = prepare(Plan.model_validate_json(plan_json), bank)
        decide(merged, payer, agency, merge_findings=found, today=today)
        return done + 1

    for plan_json in sent[args.rows :]:  # warm: the bank's indexes, tables, caches
        step(0, plan_json)
    print(functools.reduce(step, sent[: args.rows], 0), "plans")


if __name__ == "__main__":
    main()
