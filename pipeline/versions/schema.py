"""The version store's SQLite schema: its forward migrations, where the store lives, and
opening it (links refused, created private, migrated forward; a newer schema refused)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from pipeline import atomic
from pipeline.errors import ConfigError, InputError

ENV_VAR = "TXPLAN_STORE"

#: Forward migrations; step ``i`` takes a store from schema ``i`` to ``i + 1``.
MIGRATIONS: tuple[str, ...] = (
    # 1: the versions table; triggers make every row immutable.
    """
    CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        client_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        plan_json TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        inputs TEXT NOT NULL,
        reason TEXT NOT NULL,
        UNIQUE (client_id, number)
    );
    CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
        BEGIN SELECT RAISE(ABORT, 'plan versions are never changed'); END;
    CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
        BEGIN SELECT RAISE(ABORT, 'plan versions are never deleted'); END;
    """,
    # 2: the payers a version was built for (txplan due needs each payer's review interval).
    """
    ALTER TABLE versions ADD COLUMN payers TEXT NOT NULL DEFAULT '[]';
    CREATE INDEX versions_hash ON versions (client_id, content_hash);
    """,
    # 3: where each version came from and what each payer made of it. ``kind`` is intake,
    # review, update (new intake applied on top of a reviewed plan), supersede or manual;
    # ``intake_hash`` the content hash of the intake plan it was built from (how a rebuild of
    # intake already seen is recognised); ``sources`` the files and their SHA-256; ``statuses``
    # per payer ok / blocked / draft / failed with the blocking findings.
    """
    ALTER TABLE versions ADD COLUMN kind TEXT NOT NULL DEFAULT 'intake';
    ALTER TABLE versions ADD COLUMN intake_hash TEXT NOT NULL DEFAULT '';
    ALTER TABLE versions ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE versions ADD COLUMN statuses TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE versions ADD COLUMN rationale TEXT NOT NULL DEFAULT '';
    DROP TRIGGER versions_no_update;
    UPDATE versions SET kind = 'review' WHERE reason <> 'build';
    CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions
        BEGIN SELECT RAISE(ABORT, 'plan versions are never changed'); END;
    CREATE INDEX versions_intake ON versions (client_id, intake_hash);
    CREATE INDEX versions_client_nocase ON versions (client_id COLLATE NOCASE);
    """,
)
#: Kinds of version: what made it.
KINDS = ("intake", "review", "update", "supersede", "manual")
SCHEMA_VERSION = len(MIGRATIONS)


#: The files SQLite keeps beside a store (write-ahead log, shared memory, rollback journal).
SIDECARS = ("-wal", "-shm", "-journal")


def default_path() -> Path:
    """``$XDG_DATA_HOME/txplan/plans.sqlite3`` (``~/.local/share/...`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "txplan" / "plans.sqlite3"


def resolve_path(option: str | os.PathLike[str] | None = None) -> Path:
    """The store to use: the ``--store`` option, else ``$TXPLAN_STORE``, else the default."""
    if option:
        return Path(option)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else default_path()


def connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """An open connection to the store at ``path``, created and migrated forward as needed."""
    where = f"store {path}"
    try:
        for each in (path, *(Path(f"{path}{s}") for s in SIDECARS)):
            if each.is_symlink():  # SQLite would follow a planted -wal or -journal too
                raise InputError("is a symbolic link; txplan refuses to follow it", f"store {each}")
        atomic.make_dirs(path.parent)
        fresh = not path.exists()
        conn = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout)
        if fresh:
            os.chmod(path, 0o600)  # the history of every plan: private
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn, where)
    except sqlite3.DatabaseError as exc:
        raise InputError(store_problem(exc), where) from exc
    except OSError as exc:
        raise InputError(f"cannot create the store ({exc.strerror or exc})", where) from exc
    return conn


def migrate(conn: sqlite3.Connection, where: str) -> None:
    """Take the store to :data:`SCHEMA_VERSION` in one transaction (ConfigError when it was
    written by a newer txplan)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current > SCHEMA_VERSION:
            raise ConfigError(
                f"schema {current} was written by a newer txplan (this one knows "
                f"{SCHEMA_VERSION}); upgrade txplan",
                where,
            )
        for step in range(current, SCHEMA_VERSION):
            for statement in _statements(MIGRATIONS[step]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def store_problem(exc: sqlite3.Error) -> str:
    """What a SQLite error means for the user: busy, read-only, full, or not a store."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "is busy (another txplan is writing to it); try again when it has finished"
    if "readonly" in text or "read-only" in text:
        return "is read-only; pass a writable store with --store or " + ENV_VAR
    if "full" in text:
        return "cannot grow: the disk is full; free some space and run again"
    return f"is not a usable txplan store ({exc}); pass another with --store or {ENV_VAR}"


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers keep their inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
