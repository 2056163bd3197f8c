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
from typing import Any

from pipeline.errors import InputError
from pipeline.model import Plan
from pipeline.versions.record import (  # noqa: F401 - re-exported: the store's values
    COLUMNS,
    MARKS,
    Origin,
    Prepared,
    StaleVersion,
    Version,
    content_hash,
    prepare,
    version_of,
)
from pipeline.versions.schema import (  # noqa: F401 - re-exported: where and which schema
    ENV_VAR,
    KINDS,
    MIGRATIONS,
    SCHEMA_VERSION,
    SIDECARS,
    connect,
    default_path,
    resolve_path,
    store_problem,
)

#: ``pipeline.model.canonical.encode_value`` (canonical JSON), one encoder for every version.
_statuses = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _version(values: tuple[Any, ...]) -> Version:
    """The version a row of :data:`COLUMNS` values holds (as :func:`version_of` reads it)."""
    return version_of(dict(zip(_NAMES, values, strict=True)))


_NAMES = COLUMNS.split(", ")


def _texts(values: tuple[Any, ...]) -> bool:
    return all(type(v) is str for v in values)


class _Encoded:
    """The JSON columns and timestamps of one save, each encoded once: a build's versions
    mostly share their inputs, payers, sources and second (the same text as encoding each)."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, Any], str] = {}
        self._stamp: tuple[dt.datetime, str] | None = None

    def when(self, now: dt.datetime) -> str:
        if self._stamp is None or self._stamp[0] != now:
            self._stamp = (now, now.astimezone(dt.UTC).replace(microsecond=0).isoformat())
        return self._stamp[1]

    def json(self, column: str, value: Any, encode: Callable[[], str]) -> str:
        items = tuple(value)
        if not all(type(v) is str or (type(v) is tuple and _texts(v)) for v in items):
            return encode()  # only text is shared (1 == True == 1.0 as keys)
        key = (column, items)
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = encode()
        return found


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

    # --- connection -----------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        return connect(self.path, self.busy_timeout)

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

    def save_prepared(self, entries: Sequence[tuple[Any, ...]], *,
                      versions: bool = True) -> list[Any]:  # fmt: skip
        """:meth:`save_many` for plans already :func:`prepare`-d (e.g. by build workers).

        One transaction, one query for the latest version of every client named (not one a
        plan) and one ``executemany`` for the new rows; entries for the same client are
        numbered in turn. Raises :class:`StaleVersion` (and saves nothing) when an entry's
        ``origin.expected`` is no longer the client's latest version number. Per entry: the
        new :class:`Version`, or None when it equals the latest; with ``versions=False``
        (a build that keeps no rows) True instead of the Version, which is then not made.
        """
        saved: list[Any] = []
        rows: list[tuple[Any, ...]] = []
        with self._transaction() as conn:
            latest = self._latest_marks(conn, {e[0].client_id for e in entries})
            encoded = _Encoded()
            for prepared, inputs, reason, payers, *rest in entries:
                origin = rest[0] if rest else Origin()
                values = self._row(latest, prepared, inputs, reason, payers, origin, encoded)
                if values is not None:
                    latest[prepared.client_id] = (values[1], values[2])
                    rows.append(values)
                saved.append(values if values is None or not versions else _version(values))
            if rows:
                conn.executemany(f"INSERT INTO versions ({COLUMNS}) VALUES ({MARKS})", rows)
        return saved if versions else [None if values is None else True for values in saved]

    def _row(
        self,
        latest: dict[str, tuple[int, str]],
        prepared: Prepared,
        inputs: Sequence[str],
        reason: str,
        payers: Sequence[str],
        origin: Origin,
        encoded: _Encoded | None = None,
    ) -> tuple[Any, ...] | None:
        """The new version's row (in :data:`COLUMNS` order); None when the plan equals the
        client's latest version."""
        client_id, digest = prepared.client_id, prepared.content_hash
        number, latest_hash = latest.get(client_id, (0, None))
        if origin.expected is not None and origin.expected != number:
            raise StaleVersion(
                f"client {client_id}: version {number} was saved after this change read "
                f"version {origin.expected}; nothing was saved, run the command again",
                f"store {self.path}",
            )
        if latest_hash == digest:
            return None
        encoded = encoded or _Encoded()
        return (
            client_id,
            number + 1,
            digest,
            encoded.when(self._clock()),
            encoded.json("inputs", inputs, lambda: json.dumps(list(inputs))),
            reason,
            encoded.json("payers", payers, lambda: json.dumps(sorted(set(payers)))),
            prepared.canonical,
            origin.kind,
            origin.intake_hash,
            encoded.json(
                "sources", origin.sources, lambda: json.dumps([list(s) for s in origin.sources])
            ),  # fmt: skip
            _statuses(origin.statuses),
            origin.rationale,
        )

    @staticmethod
    def _latest_marks(
        conn: sqlite3.Connection, clients: Iterable[str]
    ) -> dict[str, tuple[int, str]]:
        """Per client named that has a version: the number and content hash of its latest."""
        found: dict[str, tuple[int, str]] = {}
        names = sorted(set(clients))
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = conn.execute(
                "SELECT client_id, MAX(number), content_hash FROM versions"
                f" WHERE client_id IN ({marks}) GROUP BY client_id",
                chunk,
            )
            found.update((r[0], (r[1], r[2])) for r in rows)
        return found

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
        if clients is None:
            query = "SELECT client_id, MAX(number), content_hash FROM versions GROUP BY client_id"
            return {r[0]: (r[1], r[2]) for r in self.conn.execute(query)}
        return self._latest_marks(self.conn, clients)

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
