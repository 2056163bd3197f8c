"""Plan versions in an embedded SQLite database: numbered per client, never changed or deleted.

Each version holds the canonical plan JSON, its content hash, when it was made (the only clock
value, never part of the plan), the inputs it came from, the reason and the payers it was built
for. Saving a plan whose content equals the client's latest version adds nothing. The schema
version is SQLite's ``user_version`` and migrates forward on open; a store written by a newer
txplan is refused rather than guessed at.

Where: ``--store PATH``, else ``$TXPLAN_STORE``, else ``$XDG_DATA_HOME/txplan/plans.sqlite3``
(``~/.local/share/txplan/plans.sqlite3``): the version history is the audit trail, so it
lives outside output folders that get cleaned and outside any checkout that could be
committed, and every command finds the same store whatever the working directory.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.errors import ConfigError, InputError
from pipeline.model import Plan
from pipeline.versions.record import (  # noqa: F401 - re-exported: the store's values
    COLUMNS,
    MARKS,
    Origin,
    Prepared,
    StaleVersion,
    Version,
    content_hash,
    encode_value,
    prepare,
    version_of,
)

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


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Store:
    """The version store at ``path`` (created, and migrated forward, on first use)."""

    #: Seconds to wait for another process's write to finish before saying the store is busy.
    busy_timeout = 30.0

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self.path = resolve_path(path)
        self._clock = clock
        self._conn: sqlite3.Connection | None = None

    # --- connection and schema ----------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        where = f"store {self.path}"
        try:
            for path in (self.path, *(Path(f"{self.path}{s}") for s in SIDECARS)):
                if path.is_symlink():  # SQLite would follow a planted -wal or -journal too
                    raise InputError(
                        "is a symbolic link; txplan refuses to follow it", f"store {path}"
                    )
            atomic.make_dirs(self.path.parent)
            fresh = not self.path.exists()
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=self.busy_timeout)
            if fresh:
                os.chmod(self.path, 0o600)  # the history of every plan: private
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise InputError(store_problem(exc), where) from exc
        except OSError as exc:
            raise InputError(f"cannot create the store ({exc.strerror or exc})", where) from exc
        return conn

    def check(self) -> None:
        """Open the store and check it whole (schema and SQLite's ``quick_check``), so a
        damaged, busy or read-only store stops a build before any work, not after it."""
        where = f"store {self.path}"
        try:
            problems = [r[0] for r in self.conn.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                raise InputError(f"is damaged ({'; '.join(problems)}); restore it from a "
                                 "backup or pass another with --store", where)  # fmt: skip
            with self._transaction():  # a read-only or locked store fails here, not later
                pass
        except sqlite3.DatabaseError as exc:
            raise InputError(store_problem(exc), where) from exc

    def _migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current > SCHEMA_VERSION:
                raise ConfigError(
                    f"schema {current} was written by a newer txplan (this one knows "
                    f"{SCHEMA_VERSION}); upgrade txplan",
                    f"store {self.path}",
                )
            for step in range(current, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[step]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {step + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # --- writing ------------------------------------------------------------------------

    def save(
        self,
        plan: Plan,
        *,
        inputs: Sequence[str],
        reason: str,
        payers: Sequence[str] = (),
        origin: Origin | None = None,
    ) -> Version | None:
        """Save a plan as the client's next version; None when it equals the latest one."""
        return self.save_many([(plan, inputs, reason, payers, origin or Origin())])[0]

    def save_many(self, entries: Sequence[tuple[Any, ...]]) -> list[Version | None]:
        """Save several plans (plan, inputs, reason, payers[, origin]) in ONE transaction:
        all or none."""
        return self.save_prepared([(prepare(e[0]), *e[1:]) for e in entries])

    def save_prepared(self, entries: Sequence[tuple[Any, ...]]) -> list[Version | None]:
        """:meth:`save_many` for plans already :func:`prepare`-d (e.g. by build workers).

        Raises :class:`StaleVersion` (and saves nothing) when an entry's ``origin.expected``
        is no longer the client's latest version number.
        """
        saved: list[Version | None] = []
        with self._transaction() as conn:
            for prepared, inputs, reason, payers, *rest in entries:
                origin = rest[0] if rest else Origin()
                saved.append(self._insert(conn, prepared, inputs, reason, payers, origin))
        return saved

    def _insert(
        self,
        conn: sqlite3.Connection,
        prepared: Prepared,
        inputs: Sequence[str],
        reason: str,
        payers: Sequence[str],
        origin: Origin,
    ) -> Version | None:
        client_id, digest = prepared.client_id, prepared.content_hash
        row = conn.execute(
            "SELECT number, content_hash FROM versions WHERE client_id = ?"
            " ORDER BY number DESC LIMIT 1",
            (client_id,),
        ).fetchone()
        latest = 0 if row is None else row["number"]
        if origin.expected is not None and origin.expected != latest:
            raise StaleVersion(
                f"client {client_id}: version {latest} was saved after this change read "
                f"version {origin.expected}; nothing was saved, run the command again",
                f"store {self.path}",
            )
        if row is not None and row["content_hash"] == digest:
            return None
        created = self._clock().astimezone(dt.UTC).replace(microsecond=0)
        values = (
            client_id,
            latest + 1,
            digest,
            created.isoformat(),
            json.dumps(list(inputs)),
            reason,
            json.dumps(sorted(set(payers))),
            prepared.canonical,
            origin.kind,
            origin.intake_hash,
            json.dumps([list(s) for s in origin.sources]),
            encode_value(origin.statuses),
            origin.rationale,
        )
        conn.execute(f"INSERT INTO versions ({COLUMNS}) VALUES ({MARKS})", values)
        return version_of(dict(zip(COLUMNS.split(", "), values, strict=True)))

    # --- reading ------------------------------------------------------------------------

    def has_version(self, client_id: str, digest: str) -> bool:
        """Whether the client has a version with this content hash (any number)."""
        row = self.conn.execute(
            "SELECT 1 FROM versions WHERE client_id = ? AND content_hash = ? LIMIT 1",
            (client_id, digest),
        ).fetchone()
        return row is not None

    def latest_marks(self, clients: Iterable[str] | None = None) -> dict[str, tuple[int, str]]:
        """Per client (every client, or those named): the number and content hash of its
        latest version."""
        query = "SELECT client_id, MAX(number), content_hash FROM versions"
        if clients is None:
            return {r[0]: (r[1], r[2]) for r in self.conn.execute(query + " GROUP BY client_id")}
        found: dict[str, tuple[int, str]] = {}
        names = sorted(set(clients))
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                f"{query} WHERE client_id IN ({marks}) GROUP BY client_id", chunk
            )
            found.update((r[0], (r[1], r[2])) for r in rows)
        return found

    def clients(self) -> list[str]:
        """Every client with at least one version, sorted."""
        rows = self.conn.execute("SELECT DISTINCT client_id FROM versions ORDER BY client_id")
        return [r[0] for r in rows]

    def resolve(self, typed: str) -> str:
        """The stored client id a user typed: exact, else the one matching without regard to
        case; raises, listing the closest ids, when no client matches."""
        rows = self.conn.execute(
            "SELECT DISTINCT client_id FROM versions WHERE client_id = ? COLLATE NOCASE",
            (typed.strip(),),
        ).fetchall()
        found = [r[0] for r in rows]
        if typed.strip() in found:
            return typed.strip()
        if len(found) == 1:
            return found[0]
        if found:
            raise InputError(
                f"client id {typed!r} matches {', '.join(sorted(found))}; type it exactly",
                f"store {self.path}",
            )
        by_upper = {c.upper(): c for c in self.clients()}
        close = difflib.get_close_matches(typed.strip().upper(), list(by_upper), n=3, cutoff=0.6)
        if close:
            hint = f"; closest: {', '.join(by_upper[c] for c in close)}"
        elif by_upper:
            hint = f"; the store holds {len(by_upper)} clients (none close to this id)"
        else:
            hint = "; the store is empty: build plans first (txplan build ...)"
        raise InputError(f"no versions for client {typed!r}{hint}", f"store {self.path}")

    def seen_intake(self, client_id: str, intake_hash: str) -> bool:
        """Whether any version of the client was built from intake with this content hash."""
        row = self.conn.execute(
            "SELECT 1 FROM versions WHERE client_id = ? AND intake_hash = ? LIMIT 1",
            (client_id, intake_hash),
        ).fetchone()
        return row is not None

    def history(self, client_id: str) -> list[Version]:
        """All versions of a client, oldest first (empty when the client is unknown)."""
        rows = self.conn.execute(
            f"SELECT {COLUMNS} FROM versions WHERE client_id = ? ORDER BY number", (client_id,)
        )
        return [version_of(r) for r in rows]

    def latest(self, client_id: str) -> Version | None:
        row = self.conn.execute(
            f"SELECT {COLUMNS} FROM versions WHERE client_id = ? ORDER BY number DESC LIMIT 1",
            (client_id,),
        ).fetchone()
        return None if row is None else version_of(row)

    def get(self, client_id: str, number: int | None = None) -> Version:
        """Version ``number`` of a client (the latest when None); raises when there is none.

        The id is matched without regard to case (:meth:`resolve`)."""
        client_id = self.resolve(client_id)
        if number is None:
            found = self.latest(client_id)
        else:
            row = self.conn.execute(
                f"SELECT {COLUMNS} FROM versions WHERE client_id = ? AND number = ?",
                (client_id, number),
            ).fetchone()
            found = None if row is None else version_of(row)
        if found is None:
            last = self.latest(client_id)
            raise InputError(
                f"no version {number} for client {client_id!r}; its versions are 1 to "
                f"{last.number if last else 0} (`txplan history {client_id}`)",
                f"store {self.path}",
            )
        return found

    def latest_all(self) -> Iterator[Version]:
        """The latest version of every client, by client id, streamed (a store of any size
        is listed in flat memory)."""
        rows = self.conn.execute(
            f"SELECT {COLUMNS} FROM versions v WHERE number ="
            " (SELECT MAX(number) FROM versions w WHERE w.client_id = v.client_id)"
            " ORDER BY client_id"
        )
        for row in rows:
            yield version_of(row)


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
