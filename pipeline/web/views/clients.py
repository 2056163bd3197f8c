"""Client pages: search, a client's versions, diffs in words, the redline, the measures chart,
and reviews (a sheet to fill, a filled one previewed, then applied)."""

from __future__ import annotations

import secrets
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from pipeline import atomic
from pipeline.errors import TxplanError
from pipeline.web import records, reviews
from pipeline.web.batches import display_name
from pipeline.web.charts import chart
from pipeline.web.common import actor, form_of, page, parts, uploads

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def search(request: Request) -> Response:
    query = request.query_params.get("q", "")
    found = records.search(parts(request).store, query)
    if query:
        parts(request).db.audit(
            actor(request), "search clients", clients=[c["client_id"] for c in found] or [""]
        )
    return page(request, "clients.html", title="Clients", query=query, found=found)


def _version_arg(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise HTTPException(400, f"{name}: {value!r} is not a version number")
    return int(value)


async def client(request: Request) -> Response:
    client_id = request.path_params["client_id"]
    store = parts(request).store
    try:
        found = records.versions(store, client_id)
        old, new = _version_arg(request, "from"), _version_arg(request, "to")
        compared = records.compare(store, client_id, old, new) if len(found) > 1 else None
    except TxplanError as exc:
        raise HTTPException(404, str(exc)) from exc
    parts(request).db.audit(actor(request), "view history", clients=[client_id])
    history = records.history(store, client_id)
    series = records.measures(found)
    return page(
        request,
        "client.html",
        title=f"Client {client_id}",
        client_id=client_id,
        history=history,
        compared=compared,
        charts=[chart(name, points) for name, points in series.items()],
    )


async def redline(request: Request) -> Response:
    client_id = request.path_params["client_id"]
    try:
        data = records.redline(
            parts(request).store,
            client_id,
            _version_arg(request, "from"),
            _version_arg(request, "to"),
        )
    except TxplanError as exc:
        raise HTTPException(404, str(exc)) from exc
    parts(request).db.audit(actor(request), "download redline", clients=[client_id])
    name = f"{_safe(client_id)}-redline.docx"
    return Response(
        data, media_type=DOCX, headers={"content-disposition": f'attachment; filename="{name}"'}
    )


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:60] or "client"


async def review_sheet(request: Request) -> Response:
    client_id = request.path_params["client_id"]
    try:
        latest = records.versions(parts(request).store, client_id)[-1]
    except TxplanError as exc:
        raise HTTPException(404, str(exc)) from exc
    parts(request).db.audit(actor(request), "download review sheet", clients=[client_id])
    name = f"{_safe(client_id)}-review.csv"
    return Response(
        records.review_sheet(latest),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


async def sheet_for(request: Request) -> Response:
    """The Reviews page's client box: on to that client's review sheet."""
    client_id = request.query_params.get("client", "").strip()
    if not client_id:
        raise HTTPException(400, "client: give a client id")
    return RedirectResponse(request.url_for("review_sheet", client_id=client_id), 303)


def _review_dir(request: Request) -> Path:
    return parts(request).root / "reviews"


async def reviews_page(request: Request) -> Response:
    return page(
        request, "reviews.html", title="Reviews", client_id=request.query_params.get("client", "")
    )


async def review_upload(request: Request) -> Response:
    """Keep the filled sheet under a random name and show what it would change."""
    p = parts(request)
    form = await form_of(request, files=True)
    try:
        files = await uploads(form, "review", p.limits)
    finally:
        await form.close()
    if len(files) != 1:
        return page(
            request,
            "reviews.html",
            400,
            title="Reviews",
            client_id="",
            error="choose one filled review sheet (CSV or XLSX)",
        )
    name, data = files[0]
    suffix = Path(display_name(name)).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        return page(
            request,
            "reviews.html",
            400,
            title="Reviews",
            client_id="",
            error=f"{display_name(name)}: a review sheet is a CSV or XLSX file",
        )
    key = secrets.token_hex(8)
    folder = _review_dir(request) / key
    atomic.write_bytes(folder / f"review{suffix}", data)
    atomic.write_text(folder / "name", display_name(name))
    return RedirectResponse(request.url_for("review", key=key), 303)


def _review_file(request: Request) -> tuple[str, Path, str]:
    key = request.path_params["key"]
    folder = _review_dir(request) / key
    if not (key.isalnum() and len(key) == 16 and folder.is_dir()):
        raise HTTPException(404, "no such review upload; upload the sheet again")
    path = next(folder.glob("review.*"))
    return key, path, (folder / "name").read_text(encoding="utf-8")


def _show(path: Path, name: str, text: str) -> str:
    """``text`` naming the uploaded file as the user named it, not as it is kept."""
    return text.replace(str(path), name).replace(path.name, name)


async def review(request: Request) -> Response:
    key, path, name = _review_file(request)
    try:
        outcome = reviews.evaluate(path, name, parts(request).store)
    except TxplanError as exc:
        return page(
            request,
            "reviews.html",
            400,
            title="Reviews",
            client_id="",
            error=_show(path, name, str(exc)),
        )
    parts(request).db.audit(
        actor(request), "preview review", clients=list(outcome.bases) or [""], detail=name
    )
    findings = [_show(path, name, str(f)) for f in outcome.findings]
    return page(
        request,
        "review.html",
        title="Check the review",
        key=key,
        name=name,
        outcome=outcome,
        findings=findings,
        bases=outcome.bases,
    )


async def review_apply(request: Request) -> Response:
    form = await form_of(request)
    await form.close()
    key, path, name = _review_file(request)
    bases = {}
    for item in form.getlist("base"):
        client_id, _sep, number = str(item).rpartition("=")
        if number.isdigit():
            bases[client_id] = int(number)
    try:
        saved = reviews.confirm(path, name, parts(request).store, bases)
    except TxplanError as exc:
        return page(
            request,
            "reviews.html",
            409,
            title="Reviews",
            client_id="",
            error=_show(path, name, str(exc)),
        )
    parts(request).db.audit(
        actor(request), "apply review", detail=name, clients=[s["client_id"] for s in saved] or [""]
    )
    return page(request, "applied.html", title="Review applied", name=name, saved=saved)


ROUTES = [
    Route("/clients", search, name="clients"),
    Route("/clients/{client_id}", client, name="client"),
    Route("/clients/{client_id}/redline", redline, name="redline"),
    Route("/clients/{client_id}/review-sheet", review_sheet, name="review_sheet"),
    Route("/reviews", reviews_page, name="reviews"),
    Route("/reviews", review_upload, methods=["POST"], name="review_upload"),
    Route("/reviews/sheet", sheet_for, name="sheet_for"),
    Route("/reviews/{key}", review, name="review"),
    Route("/reviews/{key}/apply", review_apply, methods=["POST"], name="review_apply"),
]
