"""The build's two halves of a plan in flight: what the parent remembers while its task is
out (:class:`PlanContext`), and where finished plans go, in input order (:class:`Sink`):
PDFs converted by chunk, versions saved, then rows recorded in the ledger, once per batch."""

from __future__ import annotations

import gc
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.batch.inputs import GroupRecord
from pipeline.batch.job import CLIENT_COPY, WORK_DIR, PlanDone, failed
from pipeline.batch.ledger import Ledger
from pipeline.batch.manifest import ManifestParts, Row, sha256, shaped_texts
from pipeline.batch.versioning import Pending, origin_for
from pipeline.errors import TxplanError

#: Plans finished (or seconds passed) between two ledger syncs, progress reports and store
#: transactions.
FLUSH = 256
FLUSH_SECONDS = 0.5


def _chunk() -> int:
    """DOCX converted to PDF at a time by each worker's share of LibreOffice (imported when
    first asked: not at the sink's import)."""
    global _CHUNK
    if _CHUNK is None:
        from pipeline.writers.libreoffice import CHUNK

        _CHUNK = CHUNK
    return _CHUNK


_CHUNK: int | None = None


@dataclass
class PlanContext:
    """What the parent remembers of a plan while its task is out: per slot, key and
    fingerprint, and the rows reused from the ledger."""

    client_id: str
    inputs: tuple[str, ...]
    slots: list[tuple[int, str, str]]  #: (slot, key, fingerprint)
    reused: dict[int, dict[str, Any]]  #: slot -> ledger entry (``row``, ``v``)
    pending: Pending | None = None  #: the version to save, when there is a store
    recorded: bool = False  #: its rows are in the ledger (its input group may be recorded)


class Sink:
    """Takes finished plans in input order: converts PDFs by chunk, then per batch appends the
    rows to the ledger (fsynced), saves versions, counts, and reports progress."""

    def __init__(self, out: Path, ledger: Ledger, payers: Sequence[Any], options: Any,
                 result: Any) -> None:  # fmt: skip
        """``options``: the build's BuildOptions; ``result``: its BuildResult, filled in."""
        self.out, self.ledger, self.options, self.result = out, ledger, options, result
        self.slots = [p.id for p in payers] + [CLIENT_COPY]
        #: (key, fingerprint, row, DOCX to convert | "reused" | None, version content hash)
        self.rows: list[tuple[str, str, dict[str, Any], str | None, str | None]] = []
        self.saves: list[tuple[Any, Sequence[str], str, Sequence[str]]] = []
        self.plans = 0
        self.pdfs = 0
        self.converter: Any = None
        self.flushed = time.monotonic()
        self.added: list[PlanContext] = []  #: plans whose rows are in self.rows
        self.groups: list[GroupRecord] = []  #: input groups read, waiting for their rows
        #: this run's rows as the manifest writes them, in the ledger's order, batch by batch
        #: (the build's tail then only puts them in place)
        self.manifest = ManifestParts(out)
        #: Freeze what is alive after each flush (the build's rows, contexts, report): what a
        #: batch keeps grows with it, and the collector's full passes, each over all of it,
        #: took 9 % of the main process's CPU at 10,000 plans. Frozen objects are still freed
        #: when nothing refers to them; only cycles wait for the build's ``gc.unfreeze()``.
        self.freeze = False

    def add(self, plan: PlanContext, done: PlanDone | None) -> None:
        made = {m.slot: m for m in done.made} if done is not None else {}
        for name, data in done.files if done is not None else ():  # from a cluster worker:
            atomic.write_bytes(
                self.out / name, data, durable=False
            )  # on disk before the ledger's row
        version = getattr(done.version, "content_hash", None) if done is not None else None
        for slot, key, fingerprint in plan.slots:
            if slot in plan.reused:
                entry = plan.reused[slot]
                self.rows.append((key, fingerprint, entry["row"], "reused", entry.get("v")))
                continue
            item = made[slot]
            self.rows.append((key, fingerprint, item.row, item.pdf_from, version))
            self.pdfs += item.pdf_from is not None
        pending = plan.pending
        if done is not None and done.version is not None and pending is not None:
            payer_rows = [m.row for m in done.made if m.slot < len(self.slots) - 1]
            payer_rows += [e["row"] for s, e in plan.reused.items() if s < len(self.slots) - 1]
            if pending.save:
                built = [r["payer"] for r in payer_rows if r["status"] == "ok"]
                origin = origin_for(pending, done.intake_hash, payer_rows)
                self.saves.append((done.version, plan.inputs, pending.reason, built, origin))
            else:  # a skipped intake: the latest version was rendered and stays the latest
                self._unchanged(plan.client_id)
        elif done is None and pending is not None:
            self._unchanged(plan.client_id)  # saved by the run that built it
        self.plans += 1
        self.added.append(plan)
        if self.pdfs >= _chunk() * max(1, self.options.workers) or (
            self.pdfs == 0
            and (self.plans >= FLUSH or time.monotonic() - self.flushed >= FLUSH_SECONDS)
        ):
            self.flush()

    def _unchanged(self, client_id: str) -> None:
        self.result.versions_unchanged += 1
        if self.options.keep_rows:
            self.result.versions.append((client_id, None))

    def flush(self, *, final: bool = False) -> None:
        if self.pdfs:
            self._convert()
        if self.saves:  # versions first: a row is recorded done only once its version is in
            self._save_versions()  # the store (a kill in between rebuilds; never loses one)
        progress = self.result.progress
        on_json = self.options.on_row_json
        for key, fingerprint, row, how, version in self.rows:
            texts = shaped_texts(row)  # each value escaped once for the ledger and manifest
            if texts is None:
                self.ledger.record(key, fingerprint, row, version)
                self.manifest.add(row)
            else:
                self.ledger.record(key, fingerprint, row, version, texts[1])
                self.manifest.add(row, texts[0])
            progress.count(row["payer"], row["status"], reused=how == "reused")
            if on_json is not None:
                on_json(row)
            if self.options.keep_rows or self.options.on_row is not None:
                obj = Row.from_json(row)
                if self.options.keep_rows:
                    self.result.rows.append(obj)
                if self.options.on_row is not None:
                    self.options.on_row(obj)
        for plan in self.added:
            plan.recorded = True
        self._record_groups()
        atomic.fsync_dir(self.out)  # this batch's documents, before the rows that name them
        self.ledger.sync()
        progress.plans_done += self.plans
        progress.finished = final
        self.rows, self.saves, self.plans, self.pdfs, self.added = [], [], 0, 0, []
        self.flushed = time.monotonic()
        if self.freeze:
            gc.freeze()
        if self.options.progress is not None:
            self.options.progress(progress)
        if final and self.converter is not None:
            self.converter.__exit__(None, None, None)

    def _record_groups(self) -> None:
        """Record each input group whose plans' rows are all recorded (after them)."""
        waiting = []
        for group in self.groups:
            if group.ready():
                self.ledger.record_group(group.key, group.fingerprint,
                                         group.entry(self.options.store))  # fmt: skip
            else:
                waiting.append(group)
        self.groups[:] = waiting

    def _save_versions(self) -> None:
        store = self.options.store
        if self.options.keep_rows:
            versions = store.save_prepared(self.saves)
        else:  # only counted: the Version objects are not made
            versions = store.save_prepared(self.saves, versions=False)
        for (prepared, *_rest), version in zip(self.saves, versions, strict=True):
            if version is None:
                self.result.versions_unchanged += 1
            else:
                self.result.versions_saved += 1
            if self.options.keep_rows:
                self.result.versions.append((prepared.client_id, version))

    def _convert(self) -> None:
        """Convert this batch's DOCX with the build's one LibreOffice; failures fail rows."""
        from pipeline.writers.libreoffice import ConversionError, PdfConverter, checked

        wanted = [i for i, row in enumerate(self.rows) if row[3] not in (None, "reused")]
        if self.converter is None:
            try:
                self.converter = PdfConverter(
                    parallel=self.options.workers, timeout=self.options.pdf_stall
                ).__enter__()
            except TxplanError as exc:
                for i in wanted:
                    self._fail(i, "BLD002", str(exc))
                return
        docs = {str(i): (self.out / self.rows[i][3]).read_bytes() for i in wanted}
        pdfs = self.converter.convert(docs)
        self.result.pdf_processes = self.converter.calls
        for i in wanted:
            key, fingerprint, row, src, version = self.rows[i]
            stem = Path(src).stem
            pdf = checked(pdfs[str(i)])
            if isinstance(pdf, ConversionError):
                self._fail(i, "BLD002", f"{stem}.docx -> PDF: {pdf.message}")
            else:
                atomic.write_bytes(self.out / f"{stem}.pdf", pdf, durable=False)
                outputs = [*row["outputs"], {"path": f"{stem}.pdf", "sha256": sha256(pdf)}]
                self.rows[i] = (key, fingerprint, {**row, "outputs": outputs}, None, version)
            if src.startswith(WORK_DIR):
                (self.out / src).unlink(missing_ok=True)

    def _fail(self, i: int, code: str, message: str) -> None:
        key, fingerprint, row, _src, version = self.rows[i]
        row = failed(Row.from_json(row), code, message).as_json()
        self.rows[i] = (key, fingerprint, row, None, version)
