"""The JSON API: start a build, follow it, fetch its archive, due reviews, a client's history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from pipeline.errors import TxplanError
from pipeline.web import batches as bt
from pipeline.web import records
from pipeline.web.common import actor, form_of, json_error, parts, uploads
from pipeline.web.db import REPEAT, Batch
from pipeline.web.forms import build_choices


def batch_json(request: Request, batch: Batch) -> dict[str, Any]:
    data = bt.rows(batch)
    return {
        "id": batch.id,
        "status": "running" if batch.status in ("staged", "running") else batch.status,
        "created_at": batch.created_at,
        "finished_at": batch.finished_at,
        "message": batch.message,
        "options": {k: v for k, v in batch.options.items() if k != "store"},
        "inputs": [i["name"] for i in batch.inputs],
        "progress": batch.progress,
        "counts": records.counts(batch, data),
        "problems": batch.problems,
        "rows": [
            {
                "client_id": row["client_id"],
                "payer": row["payer"],
                "status": row["status"],
                "draft": row["draft"],
                "source": row["source"],
                "findings": row["findings"],
                "outputs": [
                    {
                        "path": o["path"],
                        "sha256": o["sha256"],
                        "url": str(request.url_for("file", id=batch.id, row=row["n"], index=i)),
                    }
                    for i, o in enumerate(row["outputs"])
                ],
            }
            for row in data
        ],
    }


async def create_build(request: Request) -> Response:
    p = parts(request)
    form = await form_of(request, files=True)
    try:
        files = await uploads(form, "files", p.limits)
        if not files:
            return json_error(400, "upload at least one intake file", "files")
        choices = build_choices(form)
        batch = p.batches.stage(actor(request), files, choices)
    except TxplanError as exc:
        return json_error(400, exc.message, exc.where)
    finally:
        await form.close()
    p.batches.start(batch)
    url = str(request.url_for("api_build", id=batch.id))
    return JSONResponse({"id": batch.id, "url": url}, status_code=202, headers={"location": url})


def _batch_or_404(request: Request) -> Batch | Response:
    batch = parts(request).batches.get(request.path_params["id"])
    if batch is None:
        return json_error(404, f"no batch {request.path_params['id']!r}", "id")
    return batch


async def get_build(request: Request) -> Response:
    batch = _batch_or_404(request)
    if isinstance(batch, Response):
        return batch
    data = batch_json(request, batch)
    if batch.status == "done":
        clients = [r["client_id"] for r in data["rows"]]
        parts(request).db.audit(
            actor(request),
            "view results",
            clients=clients or [""],
            batch_id=batch.id,
            again_after=REPEAT,
        )
    return JSONResponse(data)


async def get_archive(request: Request) -> Response:
    batch = _batch_or_404(request)
    if isinstance(batch, Response):
        return batch
    if batch.status != "done":
        return json_error(
            409, f"batch {batch.id} is {batch.status}; the archive is made when it is done", "id"
        )
    data = bt.rows(batch)
    path = bt.archive(batch, data)
    parts(request).db.audit(
        actor(request),
        "download archive",
        batch_id=batch.id,
        clients=[r["client_id"] for r in data] or [""],
    )
    return FileResponse(path, media_type="application/zip", filename=f"txplan-{batch.id}.zip")


async def get_due(request: Request) -> Response:
    try:
        within = int(request.query_params.get("within", "7"))
        if within < 0:
            raise ValueError
    except ValueError:
        return json_error(400, "within must be a whole number of days, 0 or more", "within")
    today_text = request.query_params.get("today")
    try:
        today = dt.date.fromisoformat(today_text) if today_text else dt.date.today()
    except ValueError:
        return json_error(400, f"{today_text!r} is not a date (YYYY-MM-DD)", "today")
    try:
        items, findings = records.due(parts(request).store, today, within)
    except TxplanError as exc:
        return json_error(400, exc.message, exc.where)
    parts(request).db.audit(
        actor(request), "view due list", clients=[i["client_id"] for i in items] or [""]
    )
    return JSONResponse(
        {"today": today.isoformat(), "within": within, "due": items, "findings": findings}
    )


async def get_history(request: Request) -> Response:
    client_id = request.path_params["client_id"]
    try:
        data = records.history(parts(request).store, client_id)
    except TxplanError as exc:
        return json_error(404, exc.message, exc.where)
    parts(request).db.audit(actor(request), "view history", clients=[client_id])
    return JSONResponse(data)


ROUTES = [
    Route("/api/builds", create_build, methods=["POST"], name="api_builds"),
    Route("/api/builds/{id}", get_build, name="api_build"),
    Route("/api/builds/{id}/archive", get_archive, name="api_archive"),
    Route("/api/due", get_due, name="api_due"),
    Route("/api/clients/{client_id}/history", get_history, name="api_history"),
]
