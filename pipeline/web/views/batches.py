"""Batch pages: New batch (upload, choices, the column mapping), progress, results, files."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from pipeline.errors import TxplanError
from pipeline.profiles import list_agencies, list_payers, load_payer
from pipeline.web import batches as bt
from pipeline.web import records
from pipeline.web.api import get_archive
from pipeline.web.common import actor, form_of, page, parts, uploads
from pipeline.web.db import REPEAT, Batch
from pipeline.web.explain import explain
from pipeline.web.forms import build_choices

#: What a preview may show inline; anything else is downloaded.
INLINE = {".pdf": "application/pdf"}
MEDIA = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _payers() -> list[tuple[str, str]]:
    out = []
    for payer_id in list_payers():
        try:
            out.append((payer_id, load_payer(payer_id).name))
        except TxplanError:
            out.append((payer_id, f"{payer_id} (profile has a problem)"))
    return out


def _choices(**extra: Any) -> dict[str, Any]:
    return {"payers": _payers(), "agencies": list_agencies(), **extra}


async def home(request: Request) -> Response:
    p = parts(request)
    listed = [p.batches.refresh(b) for b in p.db.batches()]
    return page(
        request,
        "home.html",
        title="Batches",
        batches=listed,
        limits=p.limits,
        **_choices(chosen={}),
    )


async def stage(request: Request) -> Response:
    p = parts(request)
    form = await form_of(request, files=True)
    try:
        files = await uploads(form, "files", p.limits)
        if not files:
            raise TxplanError("choose at least one intake file", "files")
        choices = build_choices(form)
        batch = p.batches.stage(actor(request), files, choices)
    except TxplanError as exc:
        listed = [p.batches.refresh(b) for b in p.db.batches()]
        return page(
            request,
            "home.html",
            400,
            title="Batches",
            batches=listed,
            limits=p.limits,
            error=exc.message,
            error_where=exc.where,
            **_choices(chosen=_chosen(form)),
        )
    finally:
        await form.close()
    return RedirectResponse(request.url_for("check", id=batch.id), 303)


def _chosen(form: Any) -> dict[str, Any]:
    return {
        "payer": form.getlist("payer"),
        "agency": form.get("agency"),
        "format": form.getlist("format"),
        "draft": form.get("draft"),
        "client_copy": form.get("client_copy"),
    }


def _batch(request: Request) -> Batch:
    batch = parts(request).batches.get(request.path_params["id"])
    if batch is None:
        raise HTTPException(404, f"no batch {request.path_params['id']!r}")
    return batch


async def check(request: Request) -> Response:
    batch = _batch(request)
    files = explain(batch)
    return page(request, "check.html", title="Check the columns", batch=batch, files=files)


async def start(request: Request) -> Response:
    form = await form_of(request)
    await form.close()
    batch = _batch(request)
    if batch.status == "running":
        raise HTTPException(409, "this batch is running already")
    if batch.status == "done":
        raise HTTPException(409, "this batch is done; start a new batch to build again")
    try:
        parts(request).batches.start(batch)
    except TxplanError as exc:
        raise HTTPException(409, exc.message) from exc
    return RedirectResponse(request.url_for("batch", id=batch.id), 303)


async def show(request: Request) -> Response:
    batch = _batch(request)
    rows = bt.rows(batch)
    wanted = request.query_params.get("status", "")
    shown = [r for r in rows if not wanted or r["status"] == wanted]
    if batch.status == "done":
        parts(request).db.audit(
            actor(request),
            "view results",
            batch_id=batch.id,
            clients=[r["client_id"] for r in shown] or [""],
            detail=wanted,
            again_after=REPEAT,
        )
    return page(
        request,
        "batch.html",
        title=f"Batch {batch.id}",
        batch=batch,
        rows=shown,
        total=len(rows),
        wanted=wanted,
        counts=records.counts(batch, rows),
    )


def _row(request: Request, batch: Batch) -> dict[str, Any]:
    rows = bt.rows(batch)
    try:
        return rows[int(request.path_params["row"])]
    except (ValueError, IndexError):
        raise HTTPException(404, "no such row in this batch") from None


async def row(request: Request) -> Response:
    batch = _batch(request)
    item = _row(request, batch)
    parts(request).db.audit(
        actor(request),
        "view findings",
        clients=[item["client_id"]],
        batch_id=batch.id,
        detail=item["payer"],
    )
    return page(
        request, "row.html", title=f"{item['client_id']} for {item['payer']}", batch=batch, row=item
    )


async def file(request: Request) -> Response:
    """One document of one row, as an attachment (or inline, for a PDF preview)."""
    batch = _batch(request)
    item = _row(request, batch)
    path = bt.output_file(batch, item, int(request.path_params["index"]))
    if path is None:
        raise HTTPException(404, "this document is not in the batch's folder")
    inline = request.query_params.get("inline") == "1" and path.suffix.lower() in INLINE
    action = "view document" if inline else "download document"
    parts(request).db.audit(
        actor(request), action, clients=[item["client_id"]], batch_id=batch.id, detail=path.name
    )
    media = MEDIA.get(path.suffix.lower(), "application/octet-stream")
    disposition = "inline" if inline else "attachment"
    return FileResponse(
        path, media_type=media, filename=path.name, content_disposition_type=disposition
    )


async def preview(request: Request) -> Response:
    batch = _batch(request)
    item = _row(request, batch)
    index = int(request.path_params["index"])
    path = bt.output_file(batch, item, index)
    if path is None or path.suffix.lower() not in INLINE:
        raise HTTPException(404, "only a PDF can be previewed; download the document instead")
    return page(
        request, "preview.html", title=path.name, batch=batch, row=item, index=index, name=path.name
    )


ROUTES = [
    Route("/", home, name="home"),
    Route("/batches", stage, methods=["POST"], name="stage"),
    Route("/batches/{id}", show, name="batch"),
    Route("/batches/{id}/check", check, name="check"),
    Route("/batches/{id}/start", start, methods=["POST"], name="start"),
    Route("/batches/{id}/rows/{row:int}", row, name="row"),
    Route("/batches/{id}/rows/{row:int}/preview/{index:int}", preview, name="preview"),
    Route("/batches/{id}/files/{row:int}/{index:int}", file, name="file"),
    Route("/batches/{id}/archive", get_archive, name="archive"),
]
