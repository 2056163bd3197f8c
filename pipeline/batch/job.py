"""One plan's share of a build, as run in a worker: merge -> rules -> render -> write.

A :class:`PlanTask` carries the plan as JSON and the documents to make (payer slot and file
stem, named in the parent so names never depend on timing). :class:`PlanJob` holds what every
task shares (payers, agency, goal bank, options), is created once in the parent and inherited
by each worker, and answers with plain manifest rows (dicts), so results cross the process
boundary cheaply. Each render runs under a time limit; a render that overruns fails its row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic_core import PydanticSerializationError

from pipeline import atomic
from pipeline.batch.aside import fields_text
from pipeline.batch.decision import (
    Decision,
    PayerChoice,
    decide,
    decide_client_copy,
    may_be_draft,
)
from pipeline.batch.decision import prepare as prepare_plan
from pipeline.batch.limits import TimeLimit, time_limit
from pipeline.batch.manifest import Output, Row, sha256
from pipeline.errors import TxplanError
from pipeline.findings import Finding, error, warning
from pipeline.model import Plan
from pipeline.model.canonical import ASIDE, HASH_BLIND
from pipeline.writers import Rendered, WriterOptions, prepare, render
from pipeline.writers.clean import clean_plan, known_clean, needs_cleaning
from pipeline.writers.client_copy import CLIENT_COPY as CLIENT_COPY_WRITER
from pipeline.writers.verify import BrokenDocument, verify

CLIENT_COPY = "client-copy"
#: Where DOCX made only to be converted to PDF wait, inside the output folder.
WORK_DIR = ".txplan-work"


@dataclass(frozen=True)
class PlanTask:
    """One plan and the documents to make of it: ``(slot, stem)``; slot == len(payers) is the
    client copy."""

    plan_json: str
    todo: tuple[tuple[int, str], ...]
    source: str
    notes: tuple[str, ...] = ()  #: BLD005 messages for every row (an id renamed for files)
    merge: bool = True  #: False for a plan taken from the store (already merged)
    #: False when the parent already hashed the intake (a client with history: the version's
    #: origin holds that hash, and the worker's would go unused)
    hash_intake: bool = True
    #: The plan's provenance field sources as canonical JSON, sent aside (see
    #: :func:`transport`): ``plan_json`` holds none. None: they are inside ``plan_json``.
    aside: str | None = None


@dataclass(frozen=True)
class Made:
    """One row a worker made, with the DOCX still to convert to PDF (if PDF was asked for)."""

    slot: int
    row: dict[str, Any]
    pdf_from: str | None = None  #: path of the DOCX to convert, relative to the output folder


@dataclass(frozen=True)
class PlanDone:
    """A worker's answer for one task."""

    made: tuple[Made, ...]
    version: Any = None  #: the merged plan as a store.Prepared, when the parent saves versions
    intake_hash: str | None = None  #: content hash of the plan as read, before the merge
    #: On a cluster, the documents as ``(name, bytes)`` for the client to write (the worker
    #: never touches the client's disk); empty when the worker wrote them itself.
    files: tuple[tuple[str, bytes], ...] = ()


class PlanJob:
    """Everything the tasks of one build share; created in the parent before workers fork."""

    def __init__(self, payers: Sequence[Any], agency: Any, options: Any, *,
                 by_coverage: bool = False) -> None:  # fmt: skip
        self.payers = list(payers)
        #: payers chosen by each client's coverage: the choice's findings go on its rows
        self.by_coverage = by_coverage
        self.coverage: tuple[Finding, ...] = ()
        self._chosen: tuple[int, ...] = ()  #: the payer slots decided for the current plan
        self._decided: dict[int, Decision] = {}  #: the current plan's payer decisions, by slot
        self.agency = agency
        self.options = options
        self.out = Path(options.out_dir)
        self.bank = None
        if options.merge:
            from pipeline.goalbank.bank import load_bank

            self.bank = load_bank(options.goalbank) if options.goalbank else load_bank()
        self.save_merged = options.store is not None
        #: The client copy's "payer" (its template path): part of the job, so a cluster
        #: worker renders it from the template shipped with the job, not from its own disk.
        self.client_copy_writer = CLIENT_COPY_WRITER
        self.notes: tuple[str, ...] = ()
        self._prepared = False
        #: Set by the cluster pool: documents are collected here and returned, not written.
        self.collect = False
        self._outbox: list[tuple[str, bytes]] = []
        _warm_up()
        # Templates are data from outside: they are compiled in the workers, on first use
        # and under the render's time limit, never here in the parent (issue 16).

    def writer_options(self, *, draft: bool, fhir: bool = False) -> WriterOptions:
        """What the writers are told for one document (DRAFT only for a blocked plan)."""
        options = self.options
        return WriterOptions(draft=draft, flatten=options.flatten, renderer=options.renderer,
                             fhir=fhir)  # fmt: skip

    def load_writers(self) -> None:
        """Import the writer modules of this job's documents (python-docx, Jinja, lxml...),
        nothing else: called in the parent before it forks its workers, so each worker finds
        them loaded and shared (copy-on-write) instead of importing them itself (0.1 s of CPU
        a worker). Templates are still compiled only in the workers (issue 16). A failure
        here is left to the render to report."""
        from pipeline.writers import writer_for

        audiences = [*self.payers, *([self.client_copy_writer] if self.options.client_copy else [])]
        for payer in audiences:
            try:
                writer_for(payer)
            except Exception:  # noqa: BLE001, S112 - each render reports its own
                continue

    def _prepare_writers(self) -> None:
        """Each writer's once-per-batch work (compile a template); called in a worker."""
        audiences = [*self.payers, *([self.client_copy_writer] if self.options.client_copy else [])]
        for payer in audiences:
            for draft in sorted({False, bool(self.options.draft)}):
                prepare(payer, self.agency, self.writer_options(draft=draft))

    def __getstate__(self) -> dict[str, Any]:
        """What a cluster worker is sent: no callbacks, no store handle (the client keeps the
        store; ``save_merged`` still says whether to return the merged plan)."""
        from dataclasses import replace

        state = dict(self.__dict__)
        state["options"] = replace(self.options, progress=None, on_row=None, on_row_json=None,
                                   store=None)  # fmt: skip
        state["_outbox"] = []
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """On a cluster worker: load and compile what every task shares, once per worker."""
        self.__dict__.update(state)
        _warm_up()
        self._prepare_writers()

    # --- in the worker ------------------------------------------------------------------

    def run(self, task: PlanTask) -> PlanDone:
        """One plan's rows; never raises for a plan's own faults (they fail its rows)."""
        try:
            return self._run(task)
        except TimeLimit:
            seconds = self.options.timeout
            return self._all_failed(task, "BLD003", f"merge timed out after {seconds:g} s")
        except Exception as exc:  # noqa: BLE001 - a bug on one plan must not stop the batch
            return self.crashed(task, f"{type(exc).__name__}: {exc}")

    def start(self) -> None:
        """A worker's once-per-batch work (compile the templates), bounded, in the worker: run
        by the pool as soon as a worker starts (while the parent reads the first rows), else
        before the first task. A failure here is each render's to report."""
        if self._prepared:
            return
        self._prepared = True
        try:
            with time_limit(self.options.timeout):
                self._prepare_writers()
        except (TimeLimit, Exception):  # noqa: BLE001 - each render reports its own
            pass

    def _run(self, task: PlanTask) -> PlanDone:
        self.notes = task.notes
        self.start()  # compile the templates here, in the worker, bounded
        self._outbox = []
        plan = Plan.model_validate_json(task.plan_json)  # its field sources aside, if sent so
        if needs_cleaning(task.plan_json):  # control characters: never into a document
            plan = clean_plan(plan, task.plan_json)
        self._chosen = tuple(range(len(self.payers)))
        if self.by_coverage:  # the parent chose this plan's slots the same way
            self._chosen, self.coverage = PayerChoice(tuple(self.payers), True).for_plan(plan)
        merge_findings: list[Finding] = []
        intake = plan
        if self.bank is not None and task.merge:
            with time_limit(self.options.timeout):
                plan, found = prepare_plan(plan, self.bank)
            merge_findings = list(found)
        version = intake_hash = None
        if self.save_merged:  # every plan built is a version, whatever its status
            from pipeline.versions.store import content_hash, prepare

            version = prepare(plan, task.aside)
            # Its canonical JSON is this plan's JSON: the writers' check for characters no
            # document keeps reads it instead of encoding the plan once more.
            known_clean(plan, version.canonical)
            if task.merge and task.hash_intake:
                # Hashed after the record (parts are frozen: the merge kept the intake as
                # read): the parts the merge kept are the merged plan's, their texts reused,
                # and the next plan's record still reuses the parts it shares with this one.
                intake_hash = content_hash(intake, remember=False)
        self._decided = {}
        made = tuple(self._one(plan, merge_findings, slot, stem, task.source)
                     for slot, stem in task.todo)  # fmt: skip
        self._decided = {}
        files, self._outbox = tuple(self._outbox), []
        if version is not None:
            return PlanDone(made, version, intake_hash, files)
        return PlanDone(made, files=files)

    def _one(self, plan: Plan, merge_findings: list[Finding], slot: int, stem: str,
             source: str) -> Made:  # fmt: skip
        options = self.options
        notes = [warning("BLD005", f"client {plan.client.id}", note) for note in self.notes]
        notes += self.coverage
        if slot == len(self.payers):  # only for a plan in force: every chosen payer's decision
            payers = [self._decision(plan, merge_findings, i, notes) for i in self._chosen]
            copy = decide_client_copy(plan, notes, payers)
            draft = copy.blocked and options.draft and may_be_draft(copy)
            row = Row(plan.client.id, CLIENT_COPY, self.agency.id, copy.status, source, draft,
                      copy.findings)  # fmt: skip
            if copy.blocked and not draft:
                return Made(slot, row.as_json())
            return self._render(row, stem, plan, self.client_copy_writer, draft, slot)
        payer = self.payers[slot]
        decision = self._decision(plan, merge_findings, slot, notes)
        blocked = decision.blocked
        draft = blocked and options.draft
        row = Row(plan.client.id, payer.id, self.agency.id, decision.status,
                  source, draft, decision.findings)  # fmt: skip
        if blocked and not options.draft:
            return Made(slot, row.as_json())
        return self._render(row, stem, plan, payer, draft, slot)

    def _decision(self, plan: Plan, merge_findings: list[Finding], slot: int,
                  notes: list[Finding]) -> Decision:  # fmt: skip
        """The payer's decision on this plan (the one `txplan check` prints), made once per
        plan: the client copy asks for every payer's, rendered in this task or not."""
        if slot not in self._decided:
            self._decided[slot] = decide(plan, self.payers[slot], self.agency,
                                         merge_findings=merge_findings,
                                         today=self.options.today, notes=notes)  # fmt: skip
        return self._decided[slot]

    def _render(self, row: Row, stem: str, plan: Plan, payer: Any, draft: bool,
                slot: int) -> Made:  # fmt: skip
        """Render under the time limit and write; failures become the row's finding."""
        seconds = self.options.timeout
        try:
            with time_limit(seconds):
                fhir = "fhir" in self.options.formats and payer is not self.client_copy_writer
                writer_options = self.writer_options(draft=draft, fhir=fhir)
                documents = render(plan, payer, self.agency, writer_options)
                for document in documents:  # checked before any row records it
                    verify(document.data, document.suffix)
        except TimeLimit:
            return Made(slot, failed(row, "BLD003", timeout_message(seconds)).as_json())
        except BrokenDocument as exc:
            return Made(slot, failed(row, "BLD006", str(exc)).as_json())
        except TxplanError as exc:
            return Made(slot, failed(row, "BLD001", str(exc)).as_json())
        pdf_from = None
        for document in documents:
            if document.notes:  # e.g. a form the fast path handed to the stock path
                row = replace(row, findings=row.findings + document.notes)
            row, converted = self._store(row, stem, document)
            pdf_from = pdf_from or converted
        return Made(slot, row.as_json(), pdf_from)

    def _store(self, row: Row, stem: str, document: Rendered) -> tuple[Row, str | None]:
        """Write one document as the formats ask: a DOCX as .docx and/or queued for PDF
        conversion (the DOCX to convert is returned); any other document as it is."""
        formats, data = self.options.formats, document.data
        if document.suffix != ".docx":
            return with_outputs(row, self._write(f"{stem}{document.suffix}", data)), None
        pdf_from = None
        if "docx" in formats:
            row = with_outputs(row, self._write(f"{stem}.docx", data))
            pdf_from = f"{stem}.docx"
        if "pdf" in formats and pdf_from is None:
            pdf_from = f"{WORK_DIR}/{stem}.docx"
            self._put(pdf_from, data)
        return row, pdf_from if "pdf" in formats else None

    def _write(self, name: str, data: bytes) -> Output:
        self._put(name, data)
        return Output(name, sha256(data))

    def _put(self, name: str, data: bytes) -> None:
        """Write a file into the output folder, or on a cluster hand it to the client."""
        if self.collect:
            self._outbox.append((name, data))
        else:
            if name.startswith(WORK_DIR):  # planted as a link, it would take documents outside
                atomic.refuse_symlink(self.out / WORK_DIR)
            atomic.write_bytes(self.out / name, data, durable=False)  # the ledger makes it durable

    # --- in the parent ------------------------------------------------------------------

    def budget(self, task: PlanTask) -> float:
        """Seconds a task may take: one time limit per step (merge and each document)."""
        return (self.options.timeout or 3600.0) * (len(task.todo) + 1)

    def timed_out(self, task: PlanTask, seconds: float) -> PlanDone:
        message = timeout_message(self.options.timeout) + " (its worker was stopped)"
        return self._all_failed(task, "BLD003", message)

    def crashed(self, task: PlanTask, why: str) -> PlanDone:
        return self._all_failed(task, "BLD004", f"the plan could not be built: {why}")

    def _all_failed(self, task: PlanTask, code: str, message: str) -> PlanDone:
        plan = Plan.model_validate_json(task.plan_json)
        made = []
        for slot, _stem in task.todo:
            payer = CLIENT_COPY if slot == len(self.payers) else self.payers[slot].id
            row = Row(plan.client.id, payer, self.agency.id, "failed", task.source)
            made.append(Made(slot, failed(row, code, message).as_json()))
        return PlanDone(tuple(made))


def transport(plan: Plan) -> tuple[Plan, str, str | None, str]:
    """What the parent sends a worker of one plan: the plan (any lone surrogate removed, as
    every writer would), its JSON, its provenance's field sources aside, and the SHA-256
    that stands for the plan in the ledger (of the JSON, and of the field sources aside).

    Where each value was read (``provenance.fields``, about 50 sources a plan: two thirds of
    its JSON and of its validation) is read by no worker; only the version record keeps it.
    So it travels as its canonical JSON, encoded here once and put into the version's
    canonical JSON by the worker (``record.prepare(plan, aside)``), and the plan is sent and
    validated without it. Field sources the canonical encoder does not take (a value not
    exactly of its type, checked as validation would) or that hold a character no document
    keeps travel inside the plan, as every plan did before."""
    aside = fields_text(plan) if plan.provenance.fields else None
    if aside is not None and (needs_cleaning(aside) or not _encodes(aside)):
        aside = None
    try:
        plan_json = plan.model_dump_json(exclude=None if aside is None else _ASIDE)
    except PydanticSerializationError:  # a lone surrogate: removed, as every writer would
        plan, aside = clean_plan(plan), None
        plan_json = plan.model_dump_json()
    digest = hashlib.sha256(plan_json.encode("utf-8"))  # of plan_json + "\n" + aside
    if aside is not None:
        digest.update(b"\n")
        digest.update(aside.encode("utf-8"))
    return plan, plan_json, aside, digest.hexdigest()


#: What :func:`transport` leaves out of the plan's JSON when its field sources go aside.
_ASIDE = {HASH_BLIND: {ASIDE}}


def _encodes(text: str) -> bool:
    """Whether the text is UTF-8 encodable (no lone surrogate)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def timeout_message(seconds: float | None) -> str:
    return (f"render timed out after {seconds:g} s; the template may loop without end "
            "(run `txplan templates check`) or raise --timeout")  # fmt: skip


def with_outputs(row: Row, *outputs: Output) -> Row:
    return Row(**{**row.__dict__, "outputs": (*row.outputs, *outputs)})


def failed(row: Row, code: str, message: str) -> Row:
    where = f"{row.client_id} / {row.payer}"
    findings = (*row.findings, error(code, where, message))
    return Row(**{**row.__dict__, "status": "failed", "findings": findings})


def _warm_up() -> None:
    """Load what every worker needs before they fork (shared copy-on-write, loaded once)."""
    from pipeline import rules  # noqa: F401  (rule registry)
    from pipeline.clinical.icd10 import lookup

    lookup("F41.1")  # reads the ICD-10-CM table
