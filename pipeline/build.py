"""The build stage: for each plan, merge -> payer rules -> render (or block) -> manifest.

:func:`build` is what ``txplan build`` calls. A rule error blocks that plan's document for
that payer (unless ``draft``); a document that cannot be rendered or converted is ``failed``;
the rest of the batch goes on. Every file is written to a temporary name and renamed, and
every PDF of a batch comes from one LibreOffice process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import TxplanError
from .findings import Finding, error, has_errors
from .model import Plan
from .writers.jsonl import atomic_write_bytes
from .writers.manifest import Output, Row, sha256, write_manifest

FORMATS = ("docx", "pdf")
CLIENT_COPY = "client-copy"


@dataclass(frozen=True)
class BuildOptions:
    """What a build writes and how."""

    out_dir: Path = Path("outputs")
    formats: tuple[str, ...] = ("docx",)
    draft: bool = False  #: render blocked plans too, their documents marked DRAFT
    client_copy: bool = False
    flatten: bool | None = None  #: None = the payer profile's ``render.flatten``
    goalbank: Path | None = None  #: None = the default goal bank
    merge: bool = True  #: merge each plan with the goal bank first
    today: dt.date | None = None  #: stands in for a missing plan date in the rules
    store: Any = None  #: a pipeline.store.Store: each built plan is saved as a version


@dataclass
class _Pending:
    """A document rendered as DOCX that still needs its PDF."""

    row: int
    stem: str
    docx: bytes


@dataclass
class BuildResult:
    rows: list[Row] = field(default_factory=list)
    manifest: tuple[Path, Path] | None = None
    pdf_processes: int = 0  #: LibreOffice processes started (one per batch)
    versions: list[tuple[str, Any]] = field(default_factory=list)  #: (client, Version | None)


def _merge(plans: Iterable[Plan], options: BuildOptions):
    """Yield (plan, merge findings); plans pass through unchanged when merge is off."""
    if not options.merge:
        for plan in plans:
            yield plan, []
        return
    from .goalbank import load_bank
    from .merge import merge

    bank = load_bank(options.goalbank) if options.goalbank else load_bank()
    for plan in plans:
        merged, findings = merge(plan, bank)
        yield merged, list(findings)


class _Namer:
    """Unique output stems: a second plan with the same name gets ``-2``, ``-3``..."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, stem: str) -> str:
        count = self.seen.get(stem, 0) + 1
        self.seen[stem] = count
        return stem if count == 1 else f"{stem}-{count}"


def _write(out_dir: Path, name: str, data: bytes) -> Output:
    atomic_write_bytes(out_dir / name, data)
    return Output(name, sha256(data))


def _source(plan: Plan) -> str:
    return str(plan.provenance.sources[0]) if plan.provenance.sources else ""


def build(
    plans: Iterable[Plan],
    payers: Sequence[Any],
    agency: Any,
    options: BuildOptions | None = None,
) -> BuildResult:
    """Render every plan for every payer under ``agency`` into ``options.out_dir``."""
    from .rules import check
    from .writers.client_copy import render_client_copy
    from .writers.docx import render_docx
    from .writers.pdf_form import fill_form

    options = options or BuildOptions()
    unknown = set(options.formats) - set(FORMATS)
    if unknown:
        raise TxplanError(f"unknown format {', '.join(sorted(unknown))}; use docx, pdf", "--format")
    out, result, name = Path(options.out_dir), BuildResult(), _Namer()
    pending: list[_Pending] = []
    for plan, merge_findings in _merge(plans, options):
        first = len(result.rows)
        plan_date = (plan.plan_date or plan.intake_date or "undated").__str__()
        for payer in payers:
            findings = merge_findings + check(plan, payer, today=options.today, agency=agency)
            blocked = has_errors(findings)
            draft = blocked and options.draft
            row = Row(plan.client.id, payer.id, agency.id, "blocked" if blocked else "ok",
                      _source(plan), draft, tuple(findings))  # fmt: skip
            if blocked and not options.draft:
                result.rows.append(row)
                continue
            stem = name(payer.file_stem(plan.client.id, plan_date))
            try:
                if payer.kind == "pdf_form":
                    flatten = options.flatten
                    if flatten is None:
                        flatten = payer.render.get("flatten", False)
                    data = fill_form(plan, payer, agency, flatten=bool(flatten), draft=draft)
                    row = _with(row, outputs=(_write(out, f"{stem}.pdf", data),))
                else:
                    data = render_docx(plan, payer, agency, draft=draft)
                    row = _emit_docx(row, out, stem, data, options, pending, len(result.rows))
            except TxplanError as exc:
                row = _failed(row, "BLD001", str(exc))
            result.rows.append(row)
        if options.client_copy:
            stem = name(f"{plan.client.id}_{CLIENT_COPY}_{plan_date}")
            row = Row(plan.client.id, CLIENT_COPY, agency.id, "ok", _source(plan))
            try:
                data = render_client_copy(plan, agency)
                row = _emit_docx(row, out, stem, data, options, pending, len(result.rows))
            except TxplanError as exc:
                row = _failed(row, "BLD001", str(exc))
            result.rows.append(row)
        if options.store is not None:
            _save_version(options.store, plan, result.rows[first:], result)
    if pending:
        result.pdf_processes = _convert(pending, result.rows, out)
    result.manifest = write_manifest(out, result.rows)
    return result


def _save_version(store: Any, plan: Plan, rows: list[Row], result: BuildResult) -> None:
    """Save a plan built (not blocked) for some payer as the client's next version."""
    built = [r.payer for r in rows if r.status == "ok" and r.payer != CLIENT_COPY]
    if built:
        inputs = sorted({s.file for s in plan.provenance.sources})
        version = store.save(plan, inputs=inputs, reason="build", payers=built)
        result.versions.append((plan.client.id, version))


def _with(row: Row, **changes: Any) -> Row:
    return Row(**{**row.__dict__, **changes})


def _failed(row: Row, code: str, message: str) -> Row:
    where = f"{row.client_id} / {row.payer}"
    return _with(row, status="failed", findings=(*row.findings, error(code, where, message)))


def _emit_docx(row: Row, out: Path, stem: str, data: bytes, options: BuildOptions,
               pending: list[_Pending], index: int) -> Row:  # fmt: skip
    """Write the DOCX if asked for; queue its PDF for the batch's one converter."""
    if "docx" in options.formats:
        row = _with(row, outputs=(*row.outputs, _write(out, f"{stem}.docx", data)))
    if "pdf" in options.formats:
        pending.append(_Pending(index, stem, data))
    return row


def _convert(pending: list[_Pending], rows: list[Row], out: Path) -> int:
    """Convert every queued DOCX with one LibreOffice; failures mark their rows failed."""
    from .writers.pdf import ConversionError, PdfConverter

    try:
        converter = PdfConverter()
    except TxplanError as exc:
        for item in pending:
            rows[item.row] = _failed(rows[item.row], "BLD002", str(exc))
        return 0
    with converter:
        pdfs = converter.convert({item.stem: item.docx for item in pending})
    for item in pending:
        pdf = pdfs[item.stem]
        row = rows[item.row]
        if isinstance(pdf, ConversionError):
            rows[item.row] = _failed(row, "BLD002", f"{item.stem}.docx -> PDF: {pdf.message}")
        else:
            written = _write(out, f"{item.stem}.pdf", pdf)
            rows[item.row] = _with(row, outputs=(*row.outputs, written))
    return converter.calls


def findings_of(rows: Iterable[Row]) -> list[Finding]:
    """Every finding of a build, in row order."""
    return [f for row in rows for f in row.findings]
