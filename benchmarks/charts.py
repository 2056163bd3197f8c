"""Benchmark: what progress charts cost a batch of clinical plans, against the chart-free render.

Run ``python benchmarks/charts.py [--plans N] [--share F]``. Synthetic plans (the benchmark's
intake rows, parsed and merged); a share ``F`` of them gets a second and third PHQ-9 (each
client's own scores, so every chart differs and the cache cannot hide the drawing). In one
process, on the same plans and template (the fast path, compiled first):

- chart-free: ``render_docx`` without its embedding step (the marker stays as text);
- with charts, cold: ``render_docx`` with an empty chart cache (draw, embed, re-zip);
- with charts, warm: the same plans again (the cache has every chart: embed and re-zip only);
- drawing alone: ``chart_png`` per chart with an empty cache.

Ratios are against the chart-free render in the same run; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import machine
from synthetic import write_intake_csv

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Measure, Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.readers import read
from pipeline.writers import charts
from pipeline.writers.clean import clean_plan
from pipeline.writers.docx import fast
from pipeline.writers.docx.render import plan_context, render_document, render_docx
from pipeline.writers.marking import plan_properties
from pipeline.writers.progress import progress_of


def plans_with_history(count: int, share: float, seed: int = 11) -> list[Plan]:
    """``count`` merged synthetic plans; ``share`` of them with three PHQ-9 administrations."""
    rng = random.Random(seed)
    bank = load_bank()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_intake_csv(Path(tmp) / "intake.csv", count)
        plans = [merge(r.plan, bank)[0] for r in read(path) if r.plan is not None]
    out = []
    for plan in plans:
        base = plan.latest_measure("PHQ-9")
        if base is None or base.date is None or base.total is None or rng.random() >= share:
            out.append(plan)
            continue
        later = [
            Measure(instrument="PHQ-9", date=base.date + dt.timedelta(days=28 * k),
                    total=max(0, min(27, base.total - rng.randint(-2, 4) * k)))
            for k in (1, 2)
        ]  # fmt: skip
        out.append(plan.model_copy(update={"measures": (*plan.measures, *later)}))
    return out


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--share", type=float, default=0.5, help="plans with 3 administrations")
    parser.add_argument("--agency", default="riverside")
    args = parser.parse_args(argv)
    plans = plans_with_history(args.plans, args.share)
    payer, agency = load_payer("clinical"), load_agency(args.agency)
    template = Path(payer.template)
    charted = sum(1 for p in plans if any(x.charted for x in progress_of(p)))
    fast.clear_cache()
    fast.compiled_for(template, agency, draft=False)
    render_docx(plans[0], payer, agency)  # matplotlib's import is paid here, not measured
    charts.clear_cache()

    def chart_free() -> None:  # render_docx without the embedding step
        for plan in plans:
            plan = clean_plan(plan)
            context = plan_context(plan, payer, agency, draft=False)
            props = plan_properties(plan, payer, agency, payer.name)
            render_document(template, context, agency, draft=False, properties=props)

    def with_charts() -> None:
        for plan in plans:
            render_docx(plan, payer, agency)

    free_s = timed(chart_free)
    charts.clear_cache()
    cold_s = timed(with_charts)
    warm_s = timed(with_charts)
    series = [x for p in plans for x in progress_of(p) if x.charted]
    charts.clear_cache()
    draw_s = timed(lambda: [charts.chart_png(x) for x in series])
    n = len(plans)
    print(f"progress charts: {n} clinical plans, {charted} with a chart ({len(series)} charts); "
          f"{machine()}")  # fmt: skip
    print(f"{'what':44} {'total s':>9} {'ms/plan':>9}  ratio")
    for label, seconds in (
        ("DOCX fast, chart-free (no embedding step)", free_s),
        ("DOCX fast, with charts, cold cache", cold_s),
        ("DOCX fast, with charts, warm cache", warm_s),
    ):
        print(f"{label:44} {seconds:9.3f} {seconds / n * 1000:9.2f}  {seconds / free_s:5.1f}x")
    per_chart = draw_s / max(1, len(series)) * 1000
    print(f"{'drawing alone (chart_png)':44} {draw_s:9.3f} {per_chart:9.2f}  ms a chart")
    embed = (warm_s - free_s) / max(1, charted) * 1000
    extra = warm_s - free_s
    print(f"{'embedding (warm - chart-free)':44} {extra:9.3f} {embed:9.2f}  ms a charted plan")
    return 0


if __name__ == "__main__":
    sys.exit(main())
