"""The rest: reviews due (and their CSV), template and goal bank lint, the audit log, login."""

from __future__ import annotations

import datetime as dt
import secrets
from urllib.parse import urlparse

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from pipeline.errors import TxplanError
from pipeline.web import records
from pipeline.web.auth import COOKIE, same
from pipeline.web.common import actor, form_of, page, parts
from pipeline.web.middleware import set_cookie


def _within(request: Request) -> tuple[int, dt.date]:
    value = request.query_params.get("within", "14")
    if not value.isdigit():
        raise HTTPException(400, f"within: {value!r} is not a whole number of days")
    return int(value), dt.date.today()


async def due(request: Request) -> Response:
    within, today = _within(request)
    try:
        items, warnings = records.due(parts(request).store, today, within)
    except TxplanError as exc:
        raise HTTPException(400, str(exc)) from exc
    parts(request).db.audit(
        actor(request), "view due list", clients=[i["client_id"] for i in items] or [""]
    )
    return page(
        request,
        "due.html",
        title="Reviews due",
        items=items,
        warnings=warnings,
        within=within,
        today=today,
    )


async def due_csv(request: Request) -> Response:
    within, today = _within(request)
    items, _warnings = records.due(parts(request).store, today, within)
    parts(request).db.audit(
        actor(request), "download due list", clients=[i["client_id"] for i in items] or [""]
    )
    name = f"due-{today.isoformat()}-{within}d.csv"
    return Response(
        records.due_csv(items),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


async def lint(request: Request) -> Response:
    from pipeline.goalbank.bank import DEFAULT_GOALBANK, read_sheets
    from pipeline.goalbank.lint import lint_sheets
    from pipeline.writers.lint_all import lint_profiles

    templates, checked = lint_profiles()
    try:
        bank = lint_sheets(DEFAULT_GOALBANK, read_sheets(DEFAULT_GOALBANK))
    except TxplanError as exc:
        bank = [exc]
    return page(
        request,
        "lint.html",
        title="Templates and goal bank",
        templates=templates,
        checked=checked,
        bank=bank,
        bank_name=DEFAULT_GOALBANK.name,
    )


async def audit(request: Request) -> Response:
    client_id = request.query_params.get("client", "")
    entries = parts(request).db.audit_log(client_id=client_id or None)
    return page(request, "audit.html", title="Audit log", entries=entries, client_id=client_id)


def _next(target: str | None) -> str:
    """Only a path on this site (never another host) is followed after login."""
    parsed = urlparse(target or "/")
    if (
        parsed.scheme
        or parsed.netloc
        or not (target or "/").startswith("/")
        or "\\" in (target or "")
    ):
        return "/"
    return target or "/"


PRELOGIN = "txplan_login"


def _login_page(request: Request, status: int = 200, **context: object) -> Response:
    """The login form with a fresh double-submit token (cookie and hidden field)."""
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", status, title="Sign in", login_csrf=token, **context)
    response.set_cookie(
        PRELOGIN,
        token,
        httponly=True,
        samesite="strict",
        path="/login",
        secure=request.url.scheme == "https",
    )
    return response


async def login_form(request: Request) -> Response:
    if not parts(request).auth.accounts():
        return page(request, "login.html", title="Sign in", no_accounts=True)
    return _login_page(request, next=_next(request.query_params.get("next")))


async def login(request: Request) -> Response:
    auth = parts(request).auth
    form = await request.form(max_files=0, max_fields=10)
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    target = _next(str(form.get("next") or "/"))
    if not same(request.cookies.get(PRELOGIN), str(form.get("csrf") or "")):
        raise HTTPException(
            403,
            "the form's security token is missing or out of date; "
            "reload the page and send it again",
        )
    if not auth.accounts() or not name or not auth.login(name, password):
        parts(request).db.audit(name or "(none)", "failed login")
        return _login_page(
            request,
            401,
            next=target,
            error="that name and password do not match an account (or the account "
            "is locked for five minutes after five tries)",
        )
    previous = request.cookies.get(COOKIE)
    auth.close_session(previous)
    sid, _session = auth.open_session(name)
    parts(request).db.audit(name, "login")
    response = RedirectResponse(target, 303)
    set_cookie(response, sid, request.url.scheme == "https")
    return response


async def logout(request: Request) -> Response:
    form = await form_of(request)
    await form.close()
    parts(request).auth.close_session(request.cookies.get(COOKIE))
    response = RedirectResponse("/login", 303)
    response.delete_cookie(COOKIE, path="/")
    return response


ROUTES = [
    Route("/due", due, name="due"),
    Route("/due.csv", due_csv, name="due_csv"),
    Route("/lint", lint, name="lint"),
    Route("/audit", audit, name="audit"),
    Route("/login", login_form, name="login_form"),
    Route("/login", login, methods=["POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
