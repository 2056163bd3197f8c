"""Benchmark: N synthetic intake rows -> parse, merge, check, DOCX (fast vs stock docxtpl), PDF.

Run ``make bench`` or ``python benchmarks/bench.py [--rows N] [--template ID] [--pdf K]``.
Every stage runs in this one process (one core). The baselines run in the same process on
the same template and the first ``--baseline`` plans: txplan's stock path
(``--renderer docxtpl``: a new DocxTemplate per plan, then letterhead and the fixed zip) and
bare docxtpl (a new DocxTemplate per plan, render, save; no letterhead). PDF: ``--pdf``
documents through the build's converter (one LibreOffice per core, as ``build --workers``)
against one ``soffice`` per file for the first ``--pdf-baseline`` of them, per document.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from synthetic import write_intake_csv

from pipeline.batch.limits import available_cpus
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.profiles import load_agency, load_payer
from pipeline.readers import read
from pipeline.rules import check
from pipeline.writers.client_copy import CLIENT_COPY as AUDIENCE
from pipeline.writers.client_copy import TEMPLATE as CLIENT_COPY
from pipeline.writers.context import build_context
from pipeline.writers.docx import fast as fastdocx
from pipeline.writers.docx.render import render_document
from pipeline.writers.marking import plan_properties
from pipeline.writers.pdfform.fields import evaluate, variables
from pipeline.writers.sandbox import make_env

STANDARD = ("clinical", "medicaid-isp", "managed-care-otr", "medicare-poc")
Row = tuple[str, int, float, str]


def machine() -> str:
    """``2 cores, AMD EPYC, Python 3.11.7``: what the numbers were measured on."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def each(action: Callable[[Any], Any], items: Sequence[Any]) -> Callable[[], None]:
    """Run ``action`` on every item, keeping no result (memory stays flat)."""

    def run() -> None:
        for item in items:
            action(item)

    return run


def _renderer(template: Path, payer: Any, agency: Any, name: str) -> Callable[[Any], bytes]:
    """Render one plan with a named renderer (context and properties included)."""
    kind = payer.name if payer is not AUDIENCE else "Your plan"

    def run(plan: Any) -> bytes:
        context = build_context(plan, payer, agency)
        props = plan_properties(plan, payer, agency, kind)
        return render_document(template, context, agency, draft=False, properties=props,
                               renderer=name)  # fmt: skip

    return run


def bare_docxtpl(template: Path, payer: Any, agency: Any) -> Callable[[Any], bytes]:
    """Stock docxtpl alone: a new DocxTemplate per plan, render in the sandbox, save."""

    def run(plan: Any) -> bytes:
        tpl = DocxTemplate(str(template))
        tpl.render(build_context(plan, payer, agency), jinja_env=make_env(), autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()

    return run


def bench_template(template_id: str, plans: list[Any], agency: Any, baseline: int) -> list[Row]:
    """Check, context and DOCX rows for one template; ratios against both baselines."""
    if template_id == "client-copy":
        payer, template = AUDIENCE, CLIENT_COPY
    else:
        payer = load_payer(template_id)
        template = Path(payer.template)
    rows: list[Row] = []
    if payer is not AUDIENCE:
        _, seconds = timed(each(lambda p: check(p, payer, agency=agency), plans))
        rows.append((f"check ({template_id})", len(plans), seconds, ""))
    _, seconds = timed(each(lambda p: build_context(p, payer, agency), plans))
    rows.append(("  context (part of DOCX)", len(plans), seconds, ""))
    fastdocx.clear_cache()
    _, seconds = timed(lambda: fastdocx.compiled_for(template, agency, draft=False))
    rows.append(("  compile once (part of DOCX)", 1, seconds, ""))
    fast = _renderer(template, payer, agency, "fast")
    _, fast_s = timed(each(fast, plans))
    sample = plans[:baseline]
    stock = _renderer(template, payer, agency, "docxtpl")
    _, stock_s = timed(each(stock, sample))
    bare = bare_docxtpl(template, payer, agency)
    _, bare_s = timed(each(bare, sample))
    fast_ms = fast_s / len(plans)
    rows.append((f"DOCX fast ({template_id})", len(plans), fast_s,
                 f"{stock_s / len(sample) / fast_ms:.0f}x stock path, "
                 f"{bare_s / len(sample) / fast_ms:.0f}x bare docxtpl"))  # fmt: skip
    rows.append(("  baseline: txplan --renderer docxtpl", len(sample), stock_s, "1x"))
    rows.append(("  baseline: bare docxtpl", len(sample), bare_s, ""))
    return rows


def bench_pdf(documents: list[bytes], baseline: int, parallel: int) -> list[Row]:
    """The build's converter (``parallel`` LibreOffice processes, as ``--workers``) for all
    ``documents`` vs one soffice process per file for the first ``baseline`` of them; the
    ratio compares the time per document."""
    from pipeline.errors import TxplanError
    from pipeline.writers.libreoffice import PdfConverter, docx_to_pdf

    sample = documents[:baseline]
    try:

        def batch() -> None:
            with PdfConverter(parallel=parallel) as converter:
                converter.convert({f"doc{i}": d for i, d in enumerate(documents)})

        _, batch_s = timed(batch)
        _, single_s = timed(lambda: [docx_to_pdf(d, f"doc{i}") for i, d in enumerate(sample)])
    except TxplanError as exc:
        return [(f"PDF skipped: {exc}", 0, 0.0, "")]
    ratio = (single_s / len(sample)) / (batch_s / len(documents))
    return [
        (f"PDF (build's converter, {parallel} processes)", len(documents), batch_s,
         f"{ratio:.1f}x"),
        ("  baseline: one soffice per file", len(sample), single_s, "1x"),
    ]  # fmt: skip


def cpu_timed(action: Callable[[], Any]) -> tuple[Any, float, float]:
    """``action``'s result, wall seconds and CPU seconds of this process (one core's work,
    whatever else the machine runs)."""
    cpu = time.process_time()
    result, seconds = timed(action)
    return result, seconds, time.process_time() - cpu


def bench_forms(plans: list[Any], agency: Any, baseline: int) -> list[Row]:
    """Filled PDF forms (bluepeak-pdf, flattened as submitted): the fast writer (form compiled
    once per batch, per plan only values, appearance streams and changed objects written)
    against the stock pypdf path (the form parsed once too, then cloned and filled by
    pypdf for each plan), in the same run; forms a second a core from CPU time."""
    from pipeline.writers import pdf_form
    from pipeline.writers.clean import clean_plan

    payer = load_payer("bluepeak-pdf")
    plans = [clean_plan(p) for p in plans]  # as writers.render does once for every writer
    sample = plans[:baseline]
    pdf_form.clear_cache()
    pdf_form.STATS.update(fast=0, stock=0, fallback={})
    _, prepare_s = timed(lambda: pdf_form.prepare(payer, agency, None))

    def fill(plan: Any, renderer: str = "auto") -> bytes:
        return pdf_form.fill_form(plan, payer, agency, renderer=renderer, cleaned=True)

    fast, fast_s, fast_cpu = cpu_timed(lambda: [fill(p) for p in plans])
    fell = sum(pdf_form.STATS["fallback"].values())
    _, stock_s, stock_cpu = cpu_timed(lambda: [fill(p, "stock") for p in sample])
    ratio = (stock_cpu / len(sample)) / (fast_cpu / len(plans))
    note = f"{ratio:.0f}x stock (CPU), {len(plans) / fast_cpu:.0f} forms/s/core"
    field_map = Path(payer.directory) / pdf_form.FIELDS_FILE
    fields, sections = pdf_form.load_fields(field_map), pdf_form.load_addendum(field_map)
    names = variables(fields, sections)

    def values(plan: Any) -> None:
        context = build_context(plan, payer, agency, names=names)
        evaluate(fields, sections, context, "bench")

    _, values_s, values_cpu = cpu_timed(each(values, plans))
    writing = fast_cpu - values_cpu
    if fell:
        note += f", {fell} on the stock path ({pdf_form.STATS['fallback']})"
    return [
        ("  compile the form once (part of PDF form)", 1, prepare_s, ""),
        ("  context + field values (part of PDF form)", len(plans), values_s,
         f"{len(plans) / values_cpu:.0f} plans/s/core"),
        ("  the rest: fit, appearances, bytes", len(plans), fast_s - values_s,
         f"{len(plans) / writing:.0f} forms/s/core" if writing > 0 else ""),
        ("PDF form fast (bluepeak-pdf)", len(plans), fast_s, note),
        ("  baseline: stock pypdf path", len(sample), stock_s,
         f"1x, {len(sample) / stock_cpu:.0f} forms/s/core"),
    ]  # fmt: skip


def report(rows: list[Row]) -> str:
    lines = [f"{'stage':44} {'n':>6} {'seconds':>8} {'ms/plan':>9} {'plans/s':>9}  ratio"]
    for name, count, seconds, ratio in rows:
        per = seconds / count * 1000 if count else 0.0
        rate = f"{count / seconds:9.0f}" if seconds else f"{'-':>9}"
        lines.append(f"{name:44} {count:6d} {seconds:8.2f} {per:9.3f} {rate}  {ratio}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000, help="synthetic intake rows")
    parser.add_argument("--template", action="append", help="payer id or client-copy "
                        "(repeatable; default: the four standard payer templates)")  # fmt: skip
    parser.add_argument("--agency", default="riverside")
    parser.add_argument("--baseline", type=int, default=100, help="plans for the baselines")
    parser.add_argument("--pdf", type=int, default=60, help="documents converted (0: skip)")
    parser.add_argument("--forms", type=int, default=1000, help="PDF forms filled (0: skip)")
    parser.add_argument("--pdf-baseline", type=int, default=6,
                        help="documents converted one soffice per file")  # fmt: skip
    parser.add_argument("--pdf-processes", type=int, default=available_cpus(),
                        help="LibreOffice processes (default: the cores)")  # fmt: skip
    args = parser.parse_args(argv)
    print(f"txplan benchmark: {args.rows} rows on {machine()}", flush=True)
    rows: list[Row] = []
    agency = load_agency(args.agency)
    with tempfile.TemporaryDirectory() as tmp:
        intake, seconds = timed(lambda: write_intake_csv(Path(tmp) / "intake.csv", args.rows))
        results, seconds = timed(lambda: list(read(intake)))
        plans = [r.plan for r in results if r.plan is not None]
        rows.append(("parse (CSV -> plans)", args.rows, seconds, f"{len(plans)} plans"))
        bank, load_s = timed(load_bank)
        merged, seconds = timed(lambda: [merge(p, bank)[0] for p in plans])
        rows.append(("merge (+ goal bank load once)", len(plans), seconds + load_s, ""))
        for template_id in args.template or STANDARD:
            rows += bench_template(template_id, merged, agency, min(args.baseline, len(merged)))
        if args.forms:
            rows += bench_forms(merged[: args.forms], agency, min(20, args.forms))
        if args.pdf:
            docs = [_renderer(Path(load_payer(STANDARD[0]).template), load_payer(STANDARD[0]),
                              agency, "fast")(p) for p in merged[: args.pdf]]  # fmt: skip
            rows += bench_pdf(docs, min(args.pdf_baseline, len(docs)), args.pdf_processes)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(report(rows))
    print(f"peak memory {peak:.0f} MB (one process holding all {len(merged)} plans)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
