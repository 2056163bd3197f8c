"""The build ledger: an append-only JSON Lines record of every manifest row, for resumable runs.

Each build appends a run header, then one line per plan and payer (its key, the fingerprint of
everything that made it, and the manifest row), fsynced every batch of rows. A later build of
the same folder skips a row whose fingerprint is unchanged and whose outputs still exist with
the recorded SHA-256; a build killed at any point (even ``kill -9``) loses at most the rows of
its last unsynced batch, which the next run simply makes again (the names are deterministic).
At the end of a run that produced rows the ledger is compacted to the folder's rows, which
are the manifest: that run's rows, after the rows of earlier runs whose documents it did not
touch (a run that adds to a folder keeps what the folder already holds).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any, BinaryIO

from pipeline import atomic
from pipeline.errors import ConfigError

LEDGER = ".txplan-ledger.jsonl"
FORMAT = 1


def digest(*parts: bytes | str) -> str:
    """SHA-256 over parts, each length-prefixed (so ("ab", "c") != ("a", "bc"))."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (streamed); "missing" when it is not there."""
    h = hashlib.sha256()
    try:
        with Path(path).open("rb") as handle:
            while chunk := handle.read(1 << 20):
                h.update(chunk)
    except OSError:
        return "missing"
    return h.hexdigest()


def tree_digest(folder: Path) -> str:
    """SHA-256 over every file of a folder (names and bytes, sorted; hidden files ignored)."""
    folder = Path(folder)
    parts: list[str] = []
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if not any(part.startswith(".") for part in path.relative_to(folder).parts):
                parts += [str(path.relative_to(folder)), file_digest(path)]
    return digest(*parts)


#: ``json.dumps(entry, ensure_ascii=False)`` without making an encoder for each line.
_line = json.JSONEncoder(ensure_ascii=False).encode
#: A row's line, its values already escaped (the bytes :data:`_line` writes of the entry).
_LINE = '{"key": %s, "fp": %s, "row": %s}'
_LINE_V = '{"key": %s, "fp": %s, "row": %s, "v": %s}'


def _slot(key: str) -> int:
    """A compact index key: the first 8 bytes of the key's SHA-256 (checked on read)."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


class Ledger:
    """The ledger of one output folder, locked for the duration of a build."""

    def __init__(self, out_dir: Path) -> None:
        self.path = Path(out_dir) / LEDGER
        self._index: dict[int, int] = {}  #: 64-bit hash of a key -> offset of its last line
        self._handle = atomic.create_private(self.path, "a+b")
        try:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self._handle.close()
            raise ConfigError(
                "another txplan build is writing to this folder; wait for it or use another -o",
                str(self.path.parent),
            ) from exc
        self._load()
        self._handle.seek(0, os.SEEK_END)
        self.start = self._handle.tell()
        self._unsynced = 0
        self._touched: set[int] = set()
        self.recorded = 0  #: rows this run recorded
        self._append({"run": FORMAT})

    def _load(self) -> None:
        """Index the last line of every key (a torn last line from a killed run is ignored)."""
        self._handle.seek(0)
        offset = 0
        for line in self._handle:
            if line.endswith(b"\n"):
                try:
                    entry = json.loads(line)
                except ValueError:
                    entry = None
                if isinstance(entry, dict) and "key" in entry:
                    self._index[_slot(entry["key"])] = offset
            else:  # a torn line: cut it so new lines start clean
                self._handle.truncate(offset)
                break
            offset += len(line)

    def _append(self, entry: dict[str, Any]) -> None:
        self._handle.write(_line(entry).encode("utf-8") + b"\n")
        self._unsynced += 1

    def _last(self, key: str, fingerprint: str) -> dict[str, Any] | None:
        """The last entry recorded for ``key``, when its fingerprint is ``fingerprint``."""
        if not self._index:  # a new folder's ledger: nothing recorded before this run
            return None
        offset = self._index.get(_slot(key))
        if offset is None:
            return None
        self._handle.seek(offset)
        entry = json.loads(self._handle.readline())
        self._handle.seek(0, os.SEEK_END)
        if entry["key"] != key or entry["fp"] != fingerprint:
            return None
        return entry

    def previous(self, key: str, fingerprint: str, out_dir: Path) -> dict[str, Any] | None:
        """The recorded entry for ``key`` (``row``, and ``v``: the content hash of the version
        its plan was saved as) if it can be reused: same fingerprint, not failed, and every
        output still on disk with its recorded SHA-256."""
        entry = self._last(key, fingerprint)
        if entry is None or "row" not in entry:
            return None
        row = entry["row"]
        if row["status"] == "failed":
            return None
        for output in row["outputs"]:
            if file_digest(Path(out_dir) / output["path"]) != output["sha256"]:
                return None
        return entry

    def previous_group(self, key: str, fingerprint: str) -> dict[str, Any] | None:
        """The recorded entry of an input group (``group``: its plans and what reading it
        reported) when its fingerprint is unchanged; its rows are checked by the caller."""
        entry = self._last(key, fingerprint)
        return None if entry is None else entry.get("group")

    def record_group(self, key: str, fingerprint: str, group: dict[str, Any]) -> None:
        """Append what an input group made (after its rows), so an unchanged rerun can skip
        the group without reading it."""
        self._touched.add(_slot(key))
        self._append({"key": key, "fp": fingerprint, "group": group})

    def record(self, key: str, fingerprint: str, row: dict[str, Any],
               version: str | None = None, row_text: str | None = None) -> None:  # fmt: skip
        """Append one manifest row (made or reused by this run); ``version``: the content hash
        of the plan version already committed to the store for it; ``row_text``: the row as
        ``json.dumps(row, ensure_ascii=False)`` writes it, when the caller has it."""
        if self.start:  # only earlier runs' lines are kept or dropped by what this run touched
            self._touched.add(_slot(key))
        self.recorded += 1
        if row_text is not None and type(key) is str and type(fingerprint) is str:
            if version is None:
                line = _LINE % (encode_basestring(key), encode_basestring(fingerprint), row_text)
            elif type(version) is str:
                line = _LINE_V % (encode_basestring(key), encode_basestring(fingerprint),
                                  row_text, encode_basestring(version))  # fmt: skip
            else:
                line = None
            if line is not None:
                self._handle.write(line.encode("utf-8") + b"\n")
                self._unsynced += 1
                return
        entry: dict[str, Any] = {"key": key, "fp": fingerprint, "row": row}
        if version is not None:
            entry["v"] = version
        self._append(entry)

    def sync(self) -> None:
        """Flush and fsync what was appended (called once per batch of rows)."""
        if self._unsynced:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._unsynced = 0

    def _kept(self) -> Iterator[bytes]:
        """Lines of earlier runs for documents this run did not touch (each key's last)."""
        with self._read() as handle:
            offset = 0
            while offset < self.start:
                line = handle.readline()
                if not line:
                    break
                try:
                    entry = json.loads(line)
                except ValueError:
                    entry = None
                if isinstance(entry, dict) and "key" in entry:
                    slot = _slot(entry["key"])
                    if slot not in self._touched and self._index.get(slot) == offset:
                        yield line
                offset += len(line)

    def kept_rows(self) -> Iterator[dict[str, Any]]:
        """The rows of earlier runs for documents this run did not touch (none in a folder
        this run built first)."""
        if self.start == 0:
            return
        for line in self._kept():
            entry = json.loads(line)
            if "row" in entry:  # not an input group's entry
                yield entry["row"]

    def rows(self) -> Iterator[dict[str, Any]]:
        """The folder's rows: earlier runs' untouched rows, then this run's in the order they
        were recorded (read back from disk)."""
        self.sync()
        yield from self.kept_rows()
        with self._read() as handle:
            handle.seek(self.start)
            for line in handle:
                entry = json.loads(line)
                if "row" in entry:
                    yield entry["row"]

    def compact(self) -> None:
        """Keep only the folder's rows (atomically), so the ledger never outgrows the folder."""
        self.sync()
        if self.start == 0:  # no earlier run's line: the ledger is this run's, already compact
            return
        with self._read() as src, atomic.atomic_open(self.path, "wb") as dst:
            for line in self._kept():
                dst.write(line)
            src.seek(self.start)
            while chunk := src.read(1 << 20):
                dst.write(chunk)

    def _read(self) -> BinaryIO:
        """The ledger opened again for reading, never through a symbolic link."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            if self.path.is_symlink():
                raise atomic.SymlinkRefused(self.path) from exc
            raise
        return os.fdopen(fd, "rb")

    def fileno(self) -> int:
        return self._handle.fileno()

    def close(self) -> None:
        self.sync()
        self._handle.close()


__all__ = ["Ledger", "digest", "file_digest", "tree_digest"]
