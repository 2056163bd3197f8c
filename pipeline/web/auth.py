"""Who may ask: the server token, sessions, user accounts (argon2 hashes) and CSRF tokens.

Every request needs one of: ``Authorization: Bearer TOKEN`` (scripts), or a session cookie
(HttpOnly, SameSite=Strict). A browser gets the cookie by opening ``/?token=TOKEN`` when no
user accounts exist, or by logging in with a name and password once ``txplan users add`` has
made one (then the token opens the API only). Each session carries a CSRF token that every
form posts back.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipeline.web.db import WebDB

COOKIE = "txplan_session"
#: Seconds a session lives without use.
IDLE = 8 * 3600
#: Failed logins per name before that name waits LOCKOUT seconds.
MAX_FAILURES = 5
LOCKOUT = 300.0

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored: str | None, password: str) -> bool:
    if stored is None:
        _hasher.hash(password)  # the same work as a real check, so names cannot be probed
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


@dataclass
class Session:
    actor: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    seen: float = field(default_factory=time.monotonic)


class Auth:
    """The token, the live sessions (in memory: a restart asks everyone in again) and
    the failed-login counts."""

    def __init__(self, db: WebDB, token: str) -> None:
        self.db, self.token = db, token
        self._sessions: dict[str, Session] = {}
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def accounts(self) -> bool:
        return self.db.has_users()

    def bearer(self, header: str | None) -> bool:
        if not header or not header.startswith("Bearer "):
            return False
        return same(header[7:].strip(), self.token)

    def open_session(self, actor: str) -> tuple[str, Session]:
        sid = secrets.token_urlsafe(32)
        session = Session(actor)
        with self._lock:
            self._sessions[sid] = session
        return sid, session

    def session(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            session = self._sessions.get(sid)
            if session is None:
                return None
            if time.monotonic() - session.seen > IDLE:
                del self._sessions[sid]
                return None
            session.seen = time.monotonic()
            return session

    def close_session(self, sid: str | None) -> None:
        with self._lock:
            self._sessions.pop(sid or "", None)

    def login(self, name: str, password: str) -> bool:
        """Check a name and password; too many failures lock the name for a while."""
        with self._lock:
            recent = [t for t in self._failures.get(name, []) if time.monotonic() - t < LOCKOUT]
            self._failures[name] = recent
            if len(recent) >= MAX_FAILURES:
                return False
        if check_password(self.db.user_hash(name), password):
            with self._lock:
                self._failures.pop(name, None)
            return True
        with self._lock:
            self._failures.setdefault(name, []).append(time.monotonic())
        return False
