"""One batch, run in its own process: read the uploads, build through pipeline.batch, report.

``python -m pipeline.web.runner DB BATCH_ID`` is what the app starts for each batch, so a batch
runs in the same worker pool as ``txplan build`` (its own worker processes, time limits and
resumable ledger) while the app keeps answering. Progress goes into the batch's row of the web
tables after each batch of plans; a crash leaves the row ``running`` with a dead process, which
the app reports as failed. Its stderr goes to the batch folder's ``runner.log``, never the
server log.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

from pipeline.batch.build import BuildOptions, build
from pipeline.batch.limits import available_cpus
from pipeline.batch.progress import BuildProgress, estimate_plans
from pipeline.errors import TxplanError
from pipeline.findings import Severity, has_errors
from pipeline.model import Plan
from pipeline.web.db import Batch, WebDB, now

#: Worker processes per batch: two batches at once share the machine.
MAX_WORKERS = 4


def progress_json(state: BuildProgress) -> dict[str, Any]:
    eta = None if state.finished else state.eta()
    return {
        "plans_total": state.plans_total,
        "plans_done": state.plans_done,
        "rows": state.rows,
        "skipped": state.skipped,
        "statuses": dict(state.statuses),
        "elapsed": round(state.elapsed, 1),
        "eta": None if eta is None else round(eta, 1),
        "finished": state.finished,
    }


def read_plans(batch: Batch, problems: list[dict[str, str]]) -> Iterator[Plan]:
    """Every plan of the batch's uploads; records and files that cannot be used go to
    ``problems`` (their messages naming the uploaded file, not where it is kept)."""
    from pipeline.readers import ReadOptions, read
    from pipeline.readers.export import said_once

    options = ReadOptions()
    for item in batch.inputs:
        path = batch.uploads / item["stored"]
        try:  # the batch merges: a goal field the upload's system lacks is said once (IN045)
            for result in said_once(str(path), read(path, options), options):
                for finding in result.findings:
                    if finding.severity is not Severity.INFO and result.plan is None:
                        problems.append(
                            _problem(
                                batch,
                                finding.where,
                                str(finding.code),
                                finding.message,
                                finding.severity.value,
                            )
                        )
                if result.plan is not None and not has_errors(result.findings):
                    yield named(result.plan, str(path), item["name"])
        except TxplanError as exc:
            problems.append(_problem(batch, exc.where or str(path), "INPUT", exc.message, "error"))


def named(plan: Plan, stored: str, name: str) -> Plan:
    """The plan with its provenance naming the file as the user uploaded it (the manifest's
    source and the version history then say ``intake.xlsx, row 7``, not the kept name)."""

    def fix(source: Any) -> Any:
        return source.model_copy(update={"file": name}) if source.file == stored else source

    provenance = plan.provenance
    sources = tuple(fix(s) for s in provenance.sources)
    fields = {k: fix(v) for k, v in provenance.fields.items()}
    return plan.model_copy(
        update={"provenance": provenance.model_copy(update={"sources": sources, "fields": fields})}
    )


def _problem(batch: Batch, where: str, code: str, message: str, severity: str) -> dict[str, str]:
    return {
        "where": batch.display(where),
        "code": code,
        "message": batch.display(message),
        "severity": severity,
    }


def run(db: WebDB, batch_id: str) -> int:
    """Build batch ``batch_id``; 0 when it ran to the end (whatever its plans' statuses)."""
    from pipeline.batch.decision import choose_payers
    from pipeline.profiles import load_agency
    from pipeline.versions.store import Store

    batch = db.batch(batch_id)
    if batch is None:
        return 2
    problems: list[dict[str, str]] = []
    opts = batch.options

    def report(state: BuildProgress) -> None:
        db.update_batch(batch_id, progress=progress_json(state), problems=problems)

    try:
        payers = choose_payers(opts["payers"])  # "all": each client's own, as the CLI
        agency = load_agency(opts["agency"])
        inputs = [batch.uploads / i["stored"] for i in batch.inputs]
        estimate = estimate_plans(inputs)
        options = BuildOptions(
            out_dir=batch.documents,
            formats=tuple(opts["formats"]),
            draft=bool(opts.get("draft")),
            client_copy=bool(opts.get("client_copy")),
            store=Store(opts["store"]),
            workers=min(MAX_WORKERS, available_cpus()),
            keep_rows=False,
            progress=report,
            estimate=estimate,
        )
        result = build(read_plans(batch, problems), payers, agency, options)
    except TxplanError as exc:
        db.update_batch(
            batch_id,
            status="failed",
            message=batch.display(str(exc)),
            problems=problems,
            finished_at=now(),
        )
        return 1
    except Exception as exc:  # noqa: BLE001 - reported on the batch page, details in runner.log
        print(f"batch {batch_id}: {type(exc).__name__}", file=sys.stderr)
        import traceback

        traceback.print_exc()
        db.update_batch(
            batch_id,
            status="failed",
            problems=problems,
            finished_at=now(),
            message=f"the build stopped on an internal error ({type(exc).__name__}); "
            "see runner.log in the batch folder",
        )
        return 1
    _audit_build(db, batch)
    saved = f"{result.versions_saved} new plan versions, {result.versions_unchanged} unchanged"
    db.update_batch(
        batch_id,
        status="done",
        progress=progress_json(result.progress),
        problems=problems,
        message=saved,
        finished_at=now(),
    )
    return 0


def _audit_build(db: WebDB, batch: Batch) -> None:
    """Who built which clients' documents: one audit entry per client of the manifest."""
    import json

    path = batch.documents / "manifest.json"
    rows = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    clients = [r["client_id"] for r in rows] or [""]
    db.audit(batch.actor, "build", clients=clients, batch_id=batch.id)


def main(argv: list[str]) -> int:
    import signal

    db_path, batch_id = argv
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    db = WebDB(db_path)
    db.update_batch(batch_id, pid=os.getpid())
    return run(db, batch_id)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
