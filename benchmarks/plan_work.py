"""The per-plan clinical work of a build worker, timed alone: merge, rules, version hashes.

Run: PYTHONPATH=. .venv/bin/python benchmarks/plan_work.py [--rows 2000] [--payer clinical]
                                                           [--repeat 3] [--no-reuse] [--whole]
It writes ``--rows`` synthetic intake rows (benchmarks/synthetic.py, XLSX), reads them once
(not timed), then times in this one process what the main process does to send each plan
(``job.transport``: its JSON, its field sources aside, the ledger's plan hash) and, as a
worker does for each plan: the plan rebuilt from that JSON (``Plan.model_validate_json``),
the content hash of the plan as read, ``decision.prepare`` (the merge with the goal bank),
``decide`` for the payer, and the version record (canonical JSON and content hash of the
merged plan, its field sources put back); ``--whole`` sends every plan whole, its field
sources inside its JSON (as before session 6; the digest is the same). It prints
CPU ms a plan (``time.process_time``, the best of ``--repeat`` passes: the machine may be
shared; the collector's threshold as a build sets it) for each step and in all, and a
digest of every hash, canonical JSON and finding, so two versions of txplan can be compared
for identical results as well as for time.
``--no-reuse`` empties the caches keyed by a plan's content (SMART check, keyword hits,
intake counts, the merge's memos) before every plan, as if no two plans shared an
objective's columns or a text (synthetic plans share many); ``--distinct`` appends each
client's id to their presenting problem, so no two plans' texts are the same (as in a real
export; the digest then differs from a run without it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_intake_xlsx  # noqa: E402

from pipeline.batch.build import GC_YOUNG  # noqa: E402
from pipeline.batch.decision import decide, prepare  # noqa: E402
from pipeline.batch.job import transport  # noqa: E402
from pipeline.clinical import smart  # noqa: E402
from pipeline.goalbank.bank import load_bank  # noqa: E402
from pipeline.merge import baseline, client, complete, memo, select  # noqa: E402
from pipeline.model import Plan  # noqa: E402
from pipeline.profiles import load_agency, load_payer  # noqa: E402
from pipeline.readers import read  # noqa: E402
from pipeline.versions import record  # noqa: E402


def _forget() -> None:
    for module, names in _CACHES:
        for name in names:
            cached = getattr(module, name, None)
            if cached is not None:
                cached.cache_clear()
    smart.__dict__.get("_CHECKED", {}).clear()
    memo.clear(
        "covered", "instruments named", "filled objectives", "filled interventions", "filled goals"
    )


_CACHES = (
    (smart, ("_problems", "_disagreements")),
    (select, ("keyword_hits",)),
    (client, ("format_date",)),
    (baseline, ("intake_count", "_intake_count", "_count_baseline", "log_baseline")),
    (complete, ("_log_named", "_stated_from", "_stated_target")),
)


def _distinct(plan: Any) -> Any:
    """The plan with the client's id at the end of their presenting problem."""
    problem = plan.presenting_problem
    words = f"{problem.client_words or ''} ({plan.client.id})"
    return plan.model_copy(
        update={"presenting_problem": problem.model_copy(update={"client_words": words})}
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--payer", default="clinical")
    parser.add_argument("--agency", default="riverside")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-reuse", action="store_true")
    parser.add_argument("--distinct", action="store_true")
    parser.add_argument("--whole", action="store_true")
    args = parser.parse_args(argv)
    # The collector's young threshold as a build sets it (its workers inherit it): with
    # Python's default the collections cost about a third more CPU a plan than in a worker.
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], GC_YOUNG), *threshold[1:])
    # A fixed path: it is in every plan's provenance, so in the canonical JSON and the digest.
    folder = Path(tempfile.gettempdir()) / "txplan-plan-work"
    folder.mkdir(exist_ok=True)
    intake = write_intake_xlsx(folder / f"intake-{args.rows}.xlsx", args.rows)
    plans = [r.plan for r in read(intake) if r.plan is not None]
    if args.distinct:
        plans = [_distinct(plan) for plan in plans]
    bank, payer = load_bank(), load_payer(args.payer)
    agency, today = load_agency(args.agency), dt.date(2026, 6, 1)
    forget: Callable[[], None] = _forget if args.no_reuse else (lambda: None)
    steps = dict.fromkeys(
        ("plan to JSON", "plan from JSON", "intake hash", "decision.prepare", "decide",
         "version record"), 0.0,
    )  # fmt: skip

    def send(plan: Plan) -> tuple[str, str | None]:
        if args.whole:
            plan_json = plan.model_dump_json()
            hashlib.sha256(plan_json.encode("utf-8")).hexdigest()  # the ledger's plan hash
            return plan_json, None
        return transport(plan)[1:3]

    def one_pass() -> tuple[dict[str, float], str]:
        spent = dict.fromkeys(steps, 0.0)
        digest = hashlib.sha256()
        clock = time.process_time
        for read_plan in plans:
            forget()
            tm = clock()
            plan_json, aside = send(read_plan)
            ts = clock()
            plan = Plan.model_validate_json(plan_json)
            t0 = clock()
            intake_hash = record.content_hash(plan)
            t1 = clock()
            merged, found = prepare(plan, bank)
            t2 = clock()
            decision = decide(merged, payer, agency, merge_findings=found, today=today)
            t3 = clock()
            version: Any = record.prepare(merged, aside)
            t4 = clock()
            times = (ts - tm, t0 - ts, t1 - t0, t2 - t1, t3 - t2, t4 - t3)
            for step, seconds in zip(steps, times, strict=True):
                spent[step] += seconds
            findings = [(f.code, f.severity.value, f.where, f.message) for f in decision.findings]
            digest.update(f"{intake_hash}|{version.content_hash}|{findings}".encode())
            digest.update(version.canonical.encode("utf-8"))
        return spent, digest.hexdigest()

    one_pass()  # warm: the goal bank's indexes, the ICD-10-CM table, generated encoders
    best: dict[str, float] | None = None
    digest = ""
    for _ in range(args.repeat):
        spent, digest = one_pass()
        if best is None or sum(spent.values()) < sum(best.values()):
            best = spent
    assert best is not None
    for step, seconds in best.items():
        print(f"{step:18s} {1000 * seconds / len(plans):6.3f} ms a plan")
    total = sum(best.values())
    print(f"{'all':18s} {1000 * total / len(plans):6.3f} ms a plan ({len(plans)} plans, CPU)")
    print(f"digest {digest}")


if __name__ == "__main__":
    main()
