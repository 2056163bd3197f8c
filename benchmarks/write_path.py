"""The per-plan write path on one core: context, DOCX render, verify, write (CPU ms a plan).

Run: .venv/bin/python benchmarks/write_path.py [--rows N] [--payer clinical] [--rounds 5]
Synthetic rows (benchmarks/synthetic.py) are read and merged first (not timed); then, per
round, each stage runs for every plan: the template context alone (``build_context`` for the
names and fields the compiled template reads), the compiled template alone, the whole
registry render a build's worker calls (``writers.render``: clean, context, fast render,
charts), ``verify_docx`` from a cold start (the template's parts are checked once in the
round, by their bytes after that), each plan's render then its ``verify_docx`` in turn (as a
build's worker does: a part proven well-formed by construction is not parsed again) and
``atomic.write_bytes(durable=False)`` into a fresh folder, as a build's worker does. CPU
time (``time.process_time``), the best round. The digest of every document is printed so
that two versions of txplan can be compared for identical output (``PYTHONPATH=<other
checkout>`` runs this file against that one).
The write's cost depends on the file system (see benchmarks/batch_scale.py on ext4 inode
allocation); the target for render, verify and write together is 0.7 ms a plan.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_intake_csv  # noqa: E402

from pipeline import atomic  # noqa: E402
from pipeline.batch.decision import prepare  # noqa: E402
from pipeline.goalbank.bank import load_bank  # noqa: E402
from pipeline.profiles import load_agency, load_payer  # noqa: E402
from pipeline.readers import read  # noqa: E402
from pipeline.writers import WriterOptions, render  # noqa: E402
from pipeline.writers.clean import clean_plan  # noqa: E402
from pipeline.writers.context import build_context  # noqa: E402
from pipeline.writers.docx import fast  # noqa: E402
from pipeline.writers.marking import plan_properties  # noqa: E402
from pipeline.writers.verify import forget_sound, verify_docx  # noqa: E402


def best(rounds: int, action: Callable[[int], Any]) -> float:
    """The least CPU seconds ``action(round)`` took over ``rounds`` runs."""
    least = float("inf")
    for number in range(rounds):
        started = time.process_time()
        action(number)
        least = min(least, time.process_time() - started)
    return least


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--payer", default="clinical")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    payer, agency, bank = load_payer(args.payer), load_agency("riverside"), load_bank()
    with tempfile.TemporaryDirectory(prefix="txplan-write-") as tmp:
        work = Path(tmp)
        write_intake_csv(work / "intake.csv", args.rows)
        plans = [prepare(r.plan, bank)[0] for r in read(work / "intake.csv") if r.plan]
        compiled = fast.compiled_for(Path(payer.template), agency, draft=True)
        fields = getattr(compiled, "fields", None)  # (older txplan: no fields)
        plans = [clean_plan(plan) for plan in plans]
        options = WriterOptions(draft=True)

        def contexts() -> list[dict]:
            extra = {"fields": fields} if fields is not None else {}
            return [build_context(plan, payer, agency, draft=True, names=compiled.names,
                                  **extra) for plan in plans]  # fmt: skip

        properties = [plan_properties(plan, payer, agency, payer.name) for plan in plans]
        items = list(zip(contexts(), properties, strict=True))
        docs = [render(plan, payer, agency, options)[0].data for plan in plans]

        def verify_all(_: int) -> None:
            forget_sound()
            for data in docs:
                verify_docx(data)

        def render_verify(_: int) -> None:
            forget_sound()
            for plan in plans:
                verify_docx(render(plan, payer, agency, options)[0].data)

        def write_all(number: int) -> None:
            folder = atomic.make_dirs(work / f"out-{number}")
            for i, data in enumerate(docs):
                atomic.write_bytes(folder / f"plan-{i}.docx", data, durable=False)

        context = best(args.rounds, lambda _: contexts())
        fast_render = best(args.rounds, lambda _: [compiled.render(c, p) for c, p in items])
        whole = best(args.rounds, lambda _: [render(p, payer, agency, options) for p in plans])
        verify = best(args.rounds, verify_all)
        in_turn = best(args.rounds, render_verify)
        write = best(args.rounds, write_all)
    count = len(docs)
    digest = hashlib.sha256(b"".join(docs)).hexdigest()[:16]
    print(f"{count} plans, {args.payer}, {sum(map(len, docs)) // count} bytes a DOCX, "
          f"digest {digest} (CPU ms a plan)")  # fmt: skip
    for name, seconds in (
        ("context", context),
        ("fast render", fast_render),
        ("render()", whole),
        ("verify_docx", verify),
        ("atomic write", write),
    ):
        print(f"  {name:<13} {1000 * seconds / count:6.3f}")
    print(f"  {'render()+verify':<13} {1000 * (whole + verify) / count:6.3f}")
    print(f"  {'render() then verify, in turn':<13} {1000 * in_turn / count:6.3f}")
    total = 1000 * (fast_render + verify + write) / count
    print(f"  {'fast render+verify+write':<13} {total:6.3f}   (target <= 0.7)")


if __name__ == "__main__":
    main()
