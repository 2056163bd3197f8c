"""The ASGI app: routes from the API and the page modules, wrapped in the security layers."""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from pipeline.errors import ConfigError
from pipeline.web import api
from pipeline.web.auth import Auth
from pipeline.web.batches import Batches, Limits
from pipeline.web.common import Parts, error_page
from pipeline.web.db import WebDB
from pipeline.web.middleware import AccessLog, Authenticate, BodyLimit, SecurityHeaders
from pipeline.web.views import admin, batches, clients

STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class Config:
    """Where the app keeps things and how it listens."""

    store: Path
    output_root: Path
    token: str
    host: str = "127.0.0.1"
    port: int = 8787
    limits: Limits = Limits()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, db: WebDB) -> None:
    """Refuse a non-loopback address while no user account exists."""
    if not is_loopback(host) and not db.has_users():
        raise ConfigError(
            f"{host} is reachable from other machines: add a user account first "
            "(txplan users add NAME); then every page asks for a login",
            "--host",
        )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_page(request, exc.status_code, exc.detail)


def create_app(config: Config) -> Starlette:
    db = WebDB(config.store)
    root = Path(config.output_root)
    auth = Auth(db, config.token)
    parts = Parts(
        store=Path(config.store),
        root=root.resolve(),
        db=db,
        auth=auth,
        batches=Batches(db, root / "batches", Path(config.store)),
        limits=config.limits,
    )
    parts.batches.recover()
    hosts = ["127.0.0.1", "localhost", "[::1]", "::1", "testserver"]
    if not is_loopback(config.host):
        hosts = ["*"]
    elif config.host not in hosts:
        hosts.append(config.host)
    routes = [
        *api.ROUTES,
        *batches.ROUTES,
        *clients.ROUTES,
        *admin.ROUTES,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [
        Middleware(AccessLog),
        Middleware(SecurityHeaders),
        Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
        Middleware(BodyLimit, limit=config.limits.request_bytes),
        Middleware(Authenticate, auth=auth),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        parts.batches.stop_all()

    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error},
    )
    app.state.parts = parts
    return app
