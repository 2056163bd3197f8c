"""ASGI layers around every route: security headers, body limit, authentication, access log.

The access log names the route's pattern (``/clients/{client_id}``), never the path or query
that was asked, so no client id or name reaches the server log.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import URL, Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.web.auth import COOKIE, Auth

LOG = logging.getLogger("txplan.web")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'self'; "
    "base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cache-control", b"no-store"),
]
#: Paths open without credentials: the login form and the stylesheet and script it uses.
PUBLIC = ("/login", "/static/")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class SecurityHeaders:
    """Adds the security headers (and no-store caching: every byte may be PHI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, sending)


class BodyLimit:
    """Refuses a request body larger than ``limit`` bytes (413), declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = Headers(scope=scope).get("content-length")
        if declared and declared.isdigit() and int(declared) > self.limit:
            return await _too_large(self.limit)(scope, receive, send)
        seen = 0

        async def receiving() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise TooLarge
            return message

        try:
            await self.app(scope, receiving, send)
        except TooLarge:
            await _too_large(self.limit)(scope, receive, send)


class TooLarge(Exception):
    pass


def _too_large(limit: int) -> Response:
    return JSONResponse(
        {"error": f"the upload is larger than {limit // (1024 * 1024)} MB", "where": "request"},
        status_code=413,
    )


class Authenticate:
    """Lets a request through with a valid Bearer token or session; answers 401 otherwise."""

    def __init__(self, app: ASGIApp, auth: Auth, secure_cookie: bool = False) -> None:
        self.app, self.auth, self.secure = app, auth, secure_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        path = request.url.path
        state: dict[str, Any] = scope.setdefault("state", {})
        if (
            request.method in UNSAFE
            and _cross_site(request)
            and not request.headers.get("authorization")
        ):
            response = JSONResponse(
                {"error": "cross-site request refused", "where": path}, status_code=403
            )
            return await response(scope, receive, send)
        token = request.query_params.get("token")
        if (
            token is not None
            and request.method == "GET"
            and not path.startswith("/api/")
            and not self.auth.accounts()
            and self.auth.bearer(f"Bearer {token}")
        ):
            return await self._exchange(request)(scope, receive, send)
        sid = request.cookies.get(COOKIE)
        session = self.auth.session(sid)
        if session is not None and session.actor == "token" and self.auth.accounts():
            session = None  # accounts were added: the token no longer opens pages
        if self.auth.bearer(request.headers.get("authorization")):
            state.update(actor="token", via="bearer", session=None)
        elif session is not None:
            state.update(actor=session.actor, via="session", session=session, sid=sid)
        elif path.startswith(PUBLIC):
            state.update(actor="", via="none", session=None)
        else:
            return await self._refuse(request)(scope, receive, send)
        await self.app(scope, receive, send)

    def _refuse(self, request: Request) -> Response:
        accounts = self.auth.accounts()
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": "a token is needed: send Authorization: Bearer TOKEN", "where": ""},
                status_code=401,
                headers={"www-authenticate": "Bearer"},
            )
        if accounts and request.method == "GET":
            return RedirectResponse("/login?" + urlencode({"next": request.url.path}), 303)
        body = (
            "<!doctype html><html lang=en><title>txplan: sign in needed</title>"
            "<h1>Sign in needed</h1><p>Open the address <code>txplan serve</code> printed "
            "(it ends in <code>?token=</code>), or <a href=/login>log in</a>.</p></html>"
        )
        return HTMLResponse(body, status_code=401)

    def _exchange(self, request: Request) -> Response:
        """``/?token=TOKEN``: a session cookie, and the same address without the token."""
        self.auth.close_session(request.cookies.get(COOKIE))
        sid, _session = self.auth.open_session("token")
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        target = URL(path=request.url.path, query=urlencode(query))
        response = RedirectResponse(str(target), status_code=303)
        set_cookie(response, sid, self.secure or request.url.scheme == "https")
        return response


def set_cookie(response: Response, sid: str, secure: bool) -> None:
    response.set_cookie(COOKIE, sid, httponly=True, samesite="strict", secure=secure, path="/")


def _cross_site(request: Request) -> bool:
    """A state-changing request another site's page started (Fetch metadata or Origin)."""
    site = request.headers.get("sec-fetch-site")
    if site and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin and origin != "null":
        return origin.rstrip("/") != f"{request.url.scheme}://{request.url.netloc}"
    return False


class AccessLog:
    """One line per request: method, route pattern, status, milliseconds. An unexpected
    error is answered 500 here and logged by its type only (its message might quote a
    client's data)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.monotonic(), 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:  # noqa: BLE001 - answered and logged without its message
            LOG.error("internal error %s", type(exc).__name__)
            if not status:
                response = JSONResponse(
                    {"error": "internal error; see the server log for its type", "where": ""},
                    status_code=500,
                )
                await response(scope, receive, sending)
        finally:
            route = scope.get("route")
            pattern = getattr(route, "path", None) or "(no route)"
            ms = (time.monotonic() - started) * 1000
            LOG.info("%s %s %s %.0fms", scope["method"], pattern, status, ms)
