"""``txplan serve``: the web app on this machine; ``txplan users``: its accounts."""

from __future__ import annotations

import logging
import os
import secrets
import sys
from pathlib import Path

import click

from pipeline.cli.common import CONTEXT
from pipeline.cli.guard import Stop
from pipeline.cli.options import store_option
from pipeline.versions.store import resolve_path

TOKEN_ENV = "TXPLAN_TOKEN"


@click.command(context_settings=CONTEXT)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; one other machines can reach needs user accounts.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8787, show_default=True)
@click.option(
    "-o",
    "--output",
    "output_root",
    default="outputs",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the app's batches (OUTPUT/batches/<id>) and review uploads.",
)
@click.option(
    "--token",
    metavar="TOKEN",
    help=f"Access token (default: ${TOKEN_ENV}, else a new random one, printed).",
)
@store_option
def serve(
    host: str, port: int, output_root: str, token: str | None, store_path: str | None
) -> None:
    """Serve the web app: new batches, progress, documents, clients, reviews, due, lint.

    Listens on 127.0.0.1 only unless --host says otherwise; another address is refused
    until an account exists (txplan users add NAME), and then every page asks for a login.
    Prints the address to open, with the access token; scripts send the token as
    Authorization: Bearer TOKEN. Stop with Ctrl-C (a running batch is failed, clearly,
    and can be built again).

    Example: txplan serve --port 8787
    """
    import uvicorn

    from pipeline.web.app import Config, check_bind, create_app
    from pipeline.web.db import WebDB

    store = resolve_path(store_path)
    token = token or os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(32)
    if len(token) < 16:
        raise Stop("the token must be at least 16 characters")
    db = WebDB(store)
    check_bind(host, db)
    app = create_app(
        Config(store=store, output_root=Path(output_root), token=token, host=host, port=port)
    )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"txplan serve: store {store}, batches in {Path(output_root) / 'batches'}")
    if db.has_users():
        click.echo(f"Open http://{shown}:{port}/ and log in (API token: {token})")
    else:
        click.echo(f"Open http://{shown}:{port}/?token={token}")
    sys.stdout.flush()
    uvicorn.run(
        app, host=host, port=port, access_log=False, log_level="warning", server_header=False
    )


@click.group(context_settings=CONTEXT)
def users() -> None:
    """Accounts for txplan serve (names and argon2 password hashes, in the store).

    Example: txplan users add maria
    """


@users.command("add", context_settings=CONTEXT)
@click.argument("name")
@click.password_option(help="Password (asked twice when not given).")
@store_option
def users_add(name: str, password: str, store_path: str | None) -> None:
    """Add an account, or set a new password for an existing one."""
    from pipeline.web.auth import hash_password
    from pipeline.web.db import WebDB

    if not name.strip() or len(name) > 64 or not name.isprintable():
        raise Stop("a name is 1 to 64 printable characters")
    if len(password) < 10:
        raise Stop("a password needs at least 10 characters")
    WebDB(resolve_path(store_path)).set_user(name.strip(), hash_password(password))
    click.echo(f"account {name.strip()} saved")


@users.command("list", context_settings=CONTEXT)
@store_option
def users_list(store_path: str | None) -> None:
    """List the accounts."""
    from pipeline.web.db import WebDB

    for name in WebDB(resolve_path(store_path)).users():
        click.echo(name)


@users.command("remove", context_settings=CONTEXT)
@click.argument("name")
@store_option
def users_remove(name: str, store_path: str | None) -> None:
    """Remove an account (its past audit entries stay)."""
    from pipeline.web.db import WebDB

    if not WebDB(resolve_path(store_path)).remove_user(name):
        raise Stop(f"no account {name!r}")
    click.echo(f"account {name} removed")


COMMANDS = [serve, users]
