"""What every view shares: the app's parts, rendering a page, JSON errors, checked forms."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.templating import Jinja2Templates

from pipeline.web.auth import Auth, same
from pipeline.web.batches import Batches, Limits
from pipeline.web.db import WebDB

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


@dataclass
class Parts:
    """The app's state: where it keeps things and who may ask."""

    store: Path
    root: Path
    db: WebDB
    auth: Auth
    batches: Batches
    limits: Limits


def parts(request: Request) -> Parts:
    return request.app.state.parts


def actor(request: Request) -> str:
    return request.scope.get("state", {}).get("actor", "")


def csrf(request: Request) -> str:
    session = request.scope.get("state", {}).get("session")
    return session.csrf if session is not None else ""


def page(request: Request, template: str, code: int = 200, /, **context: Any) -> HTMLResponse:
    """The page ``template`` with ``context``, who is asking and the session's CSRF token."""
    context.setdefault("title", "")
    context.update(
        request=request,
        actor=actor(request),
        csrf=csrf(request),
        accounts=parts(request).auth.accounts(),
    )
    return TEMPLATES.TemplateResponse(request, template, context, status_code=code)


def json_error(status: int, message: str, where: str = "", **extra: Any) -> JSONResponse:
    """``{"error": message, "where": place}``: the place names the file, row or field."""
    return JSONResponse({"error": message, "where": where, **extra}, status_code=status)


def error_page(request: Request, status: int, message: str, where: str = "") -> Response:
    if request.url.path.startswith("/api/"):
        return json_error(status, message, where)
    return page(
        request, "error.html", status, title="Something is wrong", message=message, where=where
    )


async def form_of(request: Request, *, files: bool = False) -> FormData:
    """The posted form, within the upload limits, after its CSRF token is checked.

    Requests authenticated by a Bearer token carry no ambient credentials and need no
    CSRF token; a session's form must post back the session's token (field ``csrf`` or
    header ``X-CSRF-Token``), else 403.
    """
    limits = parts(request).limits
    try:
        form = await request.form(
            max_files=limits.files if files else 0, max_fields=100, max_part_size=1024 * 1024
        )
    except HTTPException as exc:
        if "files" in str(exc.detail).lower():
            raise HTTPException(413, f"at most {limits.files} files per batch") from exc
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed or oversized body
        raise HTTPException(400, f"the form could not be read ({exc})") from exc
    state = request.scope.get("state", {})
    if state.get("via") == "session":
        given = form.get("csrf") or request.headers.get("x-csrf-token")
        if not isinstance(given, str) or not same(given, csrf(request)):
            await form.close()
            raise HTTPException(
                403,
                "the form's security token is missing or out of date; "
                "reload the page and send it again",
            )
    return form


async def uploads(form: FormData, field: str, limits: Limits) -> list[tuple[str, bytes]]:
    """The files posted as ``field``: (name the user gave, bytes), within the limits."""
    items = [f for f in form.getlist(field) if isinstance(f, UploadFile) and f.filename]
    if len(items) > limits.files:
        raise HTTPException(413, f"at most {limits.files} files per batch")
    out = []
    for item in items:
        data = await item.read(limits.file_bytes + 1)
        if len(data) > limits.file_bytes:
            raise HTTPException(
                413,
                f"{item.filename}: larger than the "
                f"{limits.file_bytes // (1024 * 1024)} MB a file may be",
            )
        out.append((item.filename or "upload", data))
    return out
