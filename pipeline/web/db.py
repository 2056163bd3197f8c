"""The web app's own tables, kept in the version store's SQLite file: batches, users, audit.

They sit beside the store's ``versions`` table (same file, so one backup keeps everything) but
are created here, by name prefix ``web_``, without touching the store's schema version. Audit
rows, like versions, are never changed or deleted (triggers refuse it).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import atomic

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_batches (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    status TEXT NOT NULL,
    options TEXT NOT NULL,
    inputs TEXT NOT NULL,
    folder TEXT NOT NULL,
    pid INTEGER,
    progress TEXT NOT NULL DEFAULT '{}',
    problems TEXT NOT NULL DEFAULT '[]',
    message TEXT NOT NULL DEFAULT '',
    finished_at TEXT
);
CREATE TABLE IF NOT EXISTS web_users (
    name TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    client_id TEXT NOT NULL DEFAULT '',
    batch_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS web_audit_client ON web_audit (client_id);
CREATE TRIGGER IF NOT EXISTS web_audit_no_update BEFORE UPDATE ON web_audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are never changed'); END;
CREATE TRIGGER IF NOT EXISTS web_audit_no_delete BEFORE DELETE ON web_audit
    BEGIN SELECT RAISE(ABORT, 'audit entries are never deleted'); END;
"""

#: Seconds within which a list view reloaded by the same person is not audited again.
REPEAT = 600

#: A batch's life: staged (uploaded, mapping shown) -> running -> done | failed.
STATUSES = ("staged", "running", "done", "failed")


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Batch:
    """One batch as the app keeps it."""

    id: str
    created_at: str
    actor: str
    status: str
    options: dict[str, Any]
    inputs: list[dict[str, str]]  #: [{"stored": "1.xlsx", "name": "what the user uploaded"}]
    folder: Path
    pid: int | None
    progress: dict[str, Any]
    problems: list[dict[str, str]]  #: input files or records that could not be used
    message: str
    finished_at: str | None

    @property
    def documents(self) -> Path:
        return self.folder / "documents"

    @property
    def uploads(self) -> Path:
        return self.folder / "inputs"

    def display(self, text: str) -> str:
        """``text`` with each stored upload path replaced by the name the user gave it."""
        for item in self.inputs:
            text = text.replace(str(self.uploads / item["stored"]), item["name"])
        return text


def _batch(row: sqlite3.Row) -> Batch:
    return Batch(
        id=row["id"],
        created_at=row["created_at"],
        actor=row["actor"],
        status=row["status"],
        options=json.loads(row["options"]),
        inputs=json.loads(row["inputs"]),
        folder=Path(row["folder"]),
        pid=row["pid"],
        progress=json.loads(row["progress"]),
        problems=json.loads(row["problems"]),
        message=row["message"],
        finished_at=row["finished_at"],
    )


class WebDB:
    """Short-lived connections to the web tables (one per call: safe across threads)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        atomic.make_dirs(self.path.parent)
        with self.connect() as conn:
            conn.executescript(SCHEMA)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            yield conn
        finally:
            conn.close()

    # --- batches ------------------------------------------------------------------------

    def add_batch(
        self,
        batch_id: str,
        actor: str,
        options: dict[str, Any],
        inputs: list[dict[str, str]],
        folder: Path,
    ) -> None:
        with self.connect() as conn:
            conn.execute(
                "INSERT INTO web_batches (id, created_at, actor, status, options, inputs, folder)"
                " VALUES (?, ?, ?, 'staged', ?, ?, ?)",
                (batch_id, now(), actor, json.dumps(options), json.dumps(inputs), str(folder)),
            )

    def batch(self, batch_id: str) -> Batch | None:
        with self.connect() as conn:
            row = conn.execute("SELECT * FROM web_batches WHERE id = ?", (batch_id,)).fetchone()
        return _batch(row) if row else None

    def batches(self, limit: int = 50) -> list[Batch]:
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT * FROM web_batches ORDER BY created_at DESC, id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [_batch(r) for r in rows]

    def claim(self, batch_id: str) -> bool:
        """Mark a staged or failed batch running; False if another request got there first."""
        with self.connect() as conn:
            cursor = conn.execute(
                "UPDATE web_batches SET status = 'running', message = '', finished_at = NULL "
                "WHERE id = ? AND status IN ('staged', 'failed')",
                (batch_id,),
            )
            return cursor.rowcount == 1

    def update_batch(self, batch_id: str, **values: Any) -> None:
        allowed = {"status", "pid", "progress", "problems", "message", "finished_at", "options"}
        if not values or set(values) - allowed:
            raise ValueError(f"cannot update {sorted(set(values) - allowed)}")
        encoded = {
            k: json.dumps(v) if k in ("progress", "problems", "options") else v
            for k, v in values.items()
        }
        sets = ", ".join(f"{k} = ?" for k in encoded)
        with self.connect() as conn:
            conn.execute(
                f"UPDATE web_batches SET {sets} WHERE id = ?", (*encoded.values(), batch_id)
            )

    # --- users --------------------------------------------------------------------------

    def users(self) -> list[str]:
        with self.connect() as conn:
            return [r["name"] for r in conn.execute("SELECT name FROM web_users ORDER BY name")]

    def has_users(self) -> bool:
        with self.connect() as conn:
            return conn.execute("SELECT 1 FROM web_users LIMIT 1").fetchone() is not None

    def user_hash(self, name: str) -> str | None:
        with self.connect() as conn:
            row = conn.execute("SELECT hash FROM web_users WHERE name = ?", (name,)).fetchone()
        return row["hash"] if row else None

    def set_user(self, name: str, password_hash: str) -> None:
        with self.connect() as conn:
            conn.execute(
                "INSERT INTO web_users (name, hash, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET hash = excluded.hash",
                (name, password_hash, now()),
            )

    def remove_user(self, name: str) -> bool:
        with self.connect() as conn:
            return conn.execute("DELETE FROM web_users WHERE name = ?", (name,)).rowcount > 0

    # --- audit --------------------------------------------------------------------------

    def audit(
        self,
        actor: str,
        action: str,
        *,
        clients: Any = ("",),
        batch_id: str = "",
        detail: str = "",
        again_after: float = 0,
    ) -> None:
        """Record that ``actor`` did ``action`` to each client's documents (one row each).

        With ``again_after`` seconds, the same actor, action, batch and detail recorded
        within that time is not recorded again (a page reloaded, a status polled).
        """
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
        at = stamp.isoformat()
        rows = [(at, actor, action, c, batch_id, detail) for c in dict.fromkeys(clients)]
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            if again_after:
                since = (stamp - dt.timedelta(seconds=again_after)).isoformat()
                recent = conn.execute(
                    "SELECT 1 FROM web_audit WHERE actor = ? AND action = ? AND batch_id = ? "
                    "AND detail = ? AND at >= ? LIMIT 1",
                    (actor, action, batch_id, detail, since),
                ).fetchone()
                if recent:
                    conn.execute("COMMIT")
                    return
            conn.executemany(
                "INSERT INTO web_audit (at, actor, action, client_id, batch_id, detail) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.execute("COMMIT")

    def audit_log(self, *, client_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        query, args = "SELECT * FROM web_audit", []
        if client_id:
            query, args = query + " WHERE client_id = ?", [client_id]
        with self.connect() as conn:
            rows = conn.execute(query + " ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
        return [dict(r) for r in rows]
