"""The build stage: for each plan, merge -> payer rules -> render (or block) -> manifest.

:func:`build` is what ``txplan build`` calls. Plans are streamed from the readers to worker
processes (:mod:`pipeline.batch.pool`, :mod:`pipeline.batch.job`), each render with a time
limit; results come back in input order to the sink (:mod:`pipeline.batch.sink`), which
converts PDFs in chunks with LibreOffice and appends each batch of rows to the folder's ledger
(:mod:`pipeline.batch.ledger`) before the next, so memory stays flat and a killed run resumes
where it stopped. Rows whose inputs are unchanged since the last run, and whose files are
intact, are reused, not rebuilt; an input file unchanged as a whole is not even read
(:mod:`pipeline.batch.inputs`). A rule error blocks that plan's document for that payer
(unless ``draft``); a document that cannot be rendered or converted is ``failed``; the rest of
the batch goes on. Every file is written to a temporary name and renamed.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline import __version__, atomic
from pipeline.batch.decision import PayerChoice
from pipeline.batch.inputs import GroupRecord, InputGroup, reusable
from pipeline.batch.job import CLIENT_COPY, WORK_DIR, PlanJob, PlanTask, transport
from pipeline.batch.ledger import Ledger, digest, file_digest, tree_digest
from pipeline.batch.manifest import Output, Row
from pipeline.batch.names import DEFAULT_PATTERN, Namer, output_stem, rename_note
from pipeline.batch.pool import Pool
from pipeline.batch.progress import BuildProgress
from pipeline.batch.sink import PlanContext, Sink
from pipeline.batch.versioning import Pending, Versioner
from pipeline.errors import TxplanError
from pipeline.findings import Finding
from pipeline.model import Plan
from pipeline.versions.naming import version_tag
from pipeline.versions.record import Origin
from pipeline.writers import check_renderer

FORMATS = ("docx", "pdf", "fhir")
#: The suffix Namer gives a second document of the same name ("~2").
_UNIQUE = re.compile(r"~[0-9]+$")
#: A plan reused with its unchanged input group: its version is the store's, unchanged.
_UNCHANGED = Pending(Origin(), "unchanged input", False)
#: Net allocations between two young collections during a build (Python's default: 700).
GC_YOUNG = 10_000


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
    store: Any = None  #: a pipeline.versions.store.Store: each built plan is saved as a version
    supersede: str | None = None  #: rationale for replacing reviewed versions with this intake
    workers: int = 1  #: worker processes; 1 renders in this process
    timeout: float | None = 60.0  #: seconds each render (and each merge) may take
    renderer: str = "auto"  #: auto | fast | docxtpl (passed to the DOCX writer)
    resume: bool = True  #: reuse rows recorded unchanged in the folder's ledger
    keep_rows: bool = True  #: keep every Row in BuildResult.rows (off for huge batches)
    progress: Callable[[BuildProgress], None] | None = None  #: called after each batch of rows
    on_row: Callable[[Row], None] | None = None  #: called for each row, in input order
    #: Called for each row as its JSON form (the dict the ledger and manifest.json record;
    #: read it, never change it), in input order: no Row is made for it (cheaper than on_row).
    on_row_json: Callable[[dict[str, Any]], None] | None = None
    #: Expected number of plans (for the progress ETA), or what gives it: asked once the
    #: build's job is set up (the code table read meanwhile), before any worker starts.
    estimate: int | Callable[[], int | None] | None = None
    #: A Dask scheduler's address, or ``local:N`` (a LocalCluster of N worker processes):
    #: render there instead of in local worker processes (pipeline.batch.cluster).
    cluster: str | None = None
    #: Seconds a LibreOffice conversion may go without a new PDF (None: $TXPLAN_PDF_STALL,
    #: else 60); see pipeline.writers.libreoffice.
    pdf_stall: float | None = None


@dataclass
class BuildResult:
    rows: list[Row] = field(default_factory=list)  #: every row, when options.keep_rows
    manifest: tuple[Path, Path] | None = None
    pdf_processes: int = 0  #: LibreOffice processes started
    versions: list[tuple[str, Any]] = field(default_factory=list)  #: (client, Version | None)
    versions_saved: int = 0
    versions_unchanged: int = 0
    #: what the store did with intake for clients with history (VER001 skipped, VER002 update)
    notices: list[Finding] = field(default_factory=list)
    workers_replaced: int = 0  #: workers killed after a time-out or crash
    progress: BuildProgress = field(default_factory=BuildProgress)

    @property
    def skipped(self) -> int:
        return self.progress.skipped


def _source(plan: Plan) -> str:
    return str(plan.provenance.sources[0]) if plan.provenance.sources else ""


def _fingerprints(payers: Sequence[Any], agency: Any, options: BuildOptions,
                  by_coverage: bool = False) -> list[str]:  # fmt: skip
    """Per slot (each payer, then the client copy): a digest of everything but the plan that
    shapes its row: txplan, goal bank, agency, payer profile and template, options, and
    whether payers are chosen by each client's coverage (its findings are on the rows)."""
    from pipeline.goalbank.bank import DEFAULT_GOALBANK
    from pipeline.writers.client_copy import TEMPLATE as CLIENT_TEMPLATE

    bank = file_digest(options.goalbank or DEFAULT_GOALBANK) if options.merge else "no merge"
    logo = file_digest(agency.logo) if getattr(agency, "logo", None) else ""
    store = str(Path(options.store.path).resolve()) if options.store is not None else None
    settings = repr((sorted(options.formats), options.draft, options.flatten, options.merge,
                     options.today, options.renderer, store, by_coverage))  # fmt: skip
    common = digest(__version__, bank, agency.model_dump_json(), logo, settings)
    prints = [
        digest(common, p.model_dump_json(), file_digest(p.template), tree_digest(p.directory))
        for p in payers
    ]
    # the client copy is made only for a plan some payer document accepts (TXR031): its row
    # changes with every payer's
    return [*prints, digest(common, CLIENT_COPY, file_digest(CLIENT_TEMPLATE), *prints)]


def build(
    plans: Iterable[Plan | InputGroup],
    payers: Sequence[Any] | PayerChoice,
    agency: Any,
    options: BuildOptions | None = None,
) -> BuildResult:
    """Render every plan for every payer under ``agency`` into ``options.out_dir`` (for a
    :class:`PayerChoice` by coverage, each plan for the payers its coverage names)."""
    options = options or BuildOptions()
    choice = payers if isinstance(payers, PayerChoice) else PayerChoice(tuple(payers))
    payers = list(choice.payers)
    unknown = set(options.formats) - set(FORMATS)
    if unknown:
        raise TxplanError(f"unknown format {', '.join(sorted(unknown))}; use docx, pdf", "--format")
    check_renderer(options.renderer)
    if options.store is not None:
        options.store.check()  # a damaged, busy or read-only store stops before any work
    out = Path(options.out_dir)
    atomic.make_dirs(out)
    ledger = Ledger(out)  # refuses a symlinked ledger
    threshold = gc.get_threshold()
    # The collector's young pass every 700 net allocations ran 2,000 times a 4,000-plan
    # build in the main process (0.55 CPU s, 9 % of it) and as often in each worker; most of
    # what a plan allocates is freed before 10,000 more are made (the workers inherit this).
    gc.set_threshold(max(threshold[0], GC_YOUNG), *threshold[1:])
    sink: Sink | None = None
    try:
        atomic.remove_partial_files(out)
        shutil.rmtree(atomic.refuse_symlink(out / WORK_DIR), ignore_errors=True)
        from pipeline.writers.libreoffice import remove_stale_folders

        remove_stale_folders()  # a killed run's converter documents go, whatever this one makes
        job = PlanJob(payers, agency, options, by_coverage=choice.by_coverage)
        if callable(options.estimate):  # counted in a thread meanwhile: done before any fork
            job.options = options = replace(options, estimate=options.estimate())
        result = BuildResult(progress=BuildProgress(plans_total=options.estimate))
        sink = Sink(out, ledger, payers, options, result)
        contexts: deque[PlanContext] = deque()
        prints = _fingerprints(payers, agency, options, choice.by_coverage)
        versioner = Versioner(options.store, supersede=options.supersede, bank=job.bank)
        result.notices = versioner.notices
        groups: list[GroupRecord] = []
        sink.groups = groups
        items = _items(plans, choice, prints, options, ledger, contexts, versioner, groups)
        if options.workers > 1:
            if not options.cluster:  # the writers' modules, imported once for all workers
                job.load_writers()
            # What is loaded now (code table, goal bank, templates) lives as long as the
            # workers: out of the collector's sight, it stays shared with them, not copied.
            # What the batch keeps (rows, contexts, the report) is frozen at each flush.
            gc.freeze()
            sink.freeze = True
        with _pool(job, options, (ledger.fileno(), *sink.manifest.filenos())) as pool:
            for done in pool.imap(items):
                sink.add(contexts.popleft(), done)
            result.workers_replaced = pool.replaced
            if hasattr(pool, "stop"):
                pool.stop()  # the workers exit while the last rows are recorded
            sink.flush(final=True)
        if ledger.recorded:  # a run that produced no rows leaves the folder's record as it was
            ledger.sync()
            result.manifest = sink.manifest.finish(ledger.kept_rows())
            ledger.compact()
        shutil.rmtree(out / WORK_DIR, ignore_errors=True)
        return result
    finally:
        if sink is not None:
            sink.manifest.discard()  # left only by a build that stopped or made no rows
        gc.set_threshold(*threshold)
        gc.unfreeze()
        ledger.close()


def _pool(job: PlanJob, options: BuildOptions, private: tuple[int, ...]) -> Any:
    """The local process pool, or a Dask cluster when ``options.cluster`` names one;
    ``private``: the parent's descriptors its workers close at once (ledger, manifest parts)."""
    if options.cluster:
        try:
            from pipeline.batch.cluster import ClusterPool
        except ImportError as exc:
            raise TxplanError("--cluster needs Dask distributed: pip install 'txplan[cluster]'",
                              "--cluster") from exc  # fmt: skip

        return ClusterPool(job, options.cluster)
    return Pool(job, workers=options.workers, private=private)


def _items(plans: Iterable[Plan | InputGroup], choice: PayerChoice, prints: list[str],
           options: BuildOptions, ledger: Ledger, contexts: deque[PlanContext],
           versioner: Versioner,
           groups: list[GroupRecord]) -> Iterator[tuple[bool, Any]]:  # fmt: skip
    """Tasks for the pool, in input order: ``(True, PlanTask)`` for a plan with documents to
    make, ``(False, None)`` for one whose rows are all reused from the ledger. An input
    group unchanged since the folder's last build is not even read."""
    slots: list[tuple[int, Any]] = list(enumerate(choice.payers))
    if options.client_copy:
        slots.append((len(choice.payers), None))
    namer, marks = Namer(), None
    for source in plans:
        if not isinstance(source, InputGroup):
            yield _item(source, choice, slots, prints, options, ledger, contexts, versioner,
                        namer)  # fmt: skip
            continue
        record = GroupRecord(source.key, source.fingerprint(prints, len(slots)))
        entry = ledger.previous_group(record.key, record.fingerprint) if options.resume else None
        if entry is not None:
            if marks is None and options.store is not None:
                marks = options.store.latest_marks()
            found = reusable(entry, ledger, Path(options.out_dir), marks)
            if found is not None:
                source.replay(entry.get("summary") or {})
                for client, plan_slots, reused in found:
                    for _slot, key, _fingerprint in plan_slots:  # names stay taken
                        namer(_UNIQUE.sub("", key.split("/", 1)[1]))
                    context = PlanContext(client, (), plan_slots, reused, _UNCHANGED)
                    contexts.append(context)
                    yield False, None
                continue
        for intake in versioner.prefetch(source.plans()):
            item = _item(intake, choice, slots, prints, options, ledger, contexts, versioner,
                         namer)  # fmt: skip
            record.plans.append(contexts[-1])
            yield item
        record.summary = source.summary()
        if record.summary is not None and record.plans:
            record.complete = True
            groups.append(record)


def _item(intake: Plan, choice: PayerChoice, slots: list[tuple[int, Any]], prints: list[str],
          options: BuildOptions, ledger: Ledger, contexts: deque[PlanContext],
          versioner: Versioner, name: Namer) -> tuple[bool, Any]:  # fmt: skip
    """One plan's task, its context appended to ``contexts``; its slots are the payers the
    choice gives this plan (all of them, unless chosen by the client's coverage)."""
    out = options.out_dir  # a Path only when a ledger entry has outputs to check
    source = _source(intake)
    inputs = tuple(sorted({s.file for s in intake.provenance.sources}))
    decision, pending = versioner.decide(intake, source, inputs)
    plan = intake if decision is None else decision.plan
    merge = decision is None or decision.merge
    plan, plan_json, aside, plan_hash = transport(plan)
    plan_date = str(plan.plan_date or plan.intake_date or "undated")
    tag = version_tag(plan)  # a reviewed version never takes version 1's file name
    client = plan.client.id
    context = PlanContext(client, inputs, [], {}, pending)
    todo, all_slots, renamed = [], [], False
    payers = len(choice.payers)
    if choice.by_coverage:
        chosen = set(choice.for_plan(plan)[0])
        slots = [(slot, payer) for slot, payer in slots if slot == payers or slot in chosen]
    for slot, payer in slots:
        slot_id = CLIENT_COPY if payer is None else payer.id
        pattern = DEFAULT_PATTERN if payer is None else payer.output_name
        stem, renamed = output_stem(pattern, client, slot_id, plan_date, tag)
        stem = name(stem)
        all_slots.append((slot, stem))
        key, fingerprint = f"{slot_id}/{stem}", digest(prints[slot], plan_hash, str(merge))
        context.slots.append((slot, key, fingerprint))
        previous = ledger.previous(key, fingerprint, out) if options.resume else None
        if previous is not None:
            context.reused[slot] = previous
        else:
            todo.append((slot, stem))
    if context.reused and not _in_store(context, payers, options.store):
        todo, context.reused = [(slot, stem) for slot, stem in all_slots], {}
    contexts.append(context)
    if todo:
        notes = (rename_note(client),) if renamed else ()
        # A decision made here hashed the intake already (its origin holds the hash).
        return True, PlanTask(plan_json, tuple(todo), source, notes, merge, decision is None,
                              aside)  # fmt: skip
    return False, None


def _in_store(context: PlanContext, payers: int, store: Any) -> bool:
    """Whether the rows a plan reuses can stand: a row built ``ok`` for a payer says its plan
    was saved as a version, so that version must be in the store (a killed or failed run,
    or another store, may have lost it); otherwise the plan is built again."""
    if store is None:
        return True
    for slot, entry in context.reused.items():
        if slot < payers and entry["row"]["status"] == "ok":
            version = entry.get("v")
            return version is not None and store.has_version(context.client_id, version)
    return True


__all__ = ["FORMATS", "BuildOptions", "BuildResult", "Output", "build"]
