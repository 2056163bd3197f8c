"""A drop-in folder: each new or changed intake file saved there is built once (by content hash).

:class:`Watcher` polls a folder (no extra dependency): it ignores hidden, temporary and partial
files (``~$x.xlsx``, ``.~lock.x#``, ``*.part``, ``*.tmp``...), waits until a file's size and
time stamp have not changed for a settling period (``settle`` seconds, at least two looks),
checks that it reads through to its end (:func:`pipeline.batch.complete.cut_short`: a CSV whose
last row is cut, a workbook whose zip directory is not written yet, wait), and hands each file
whose SHA-256 it has not built yet to a function the caller supplies. What was built is
remembered in ``<out>/.txplan-watch.json``, so a restart does not build a file again. The
library never prints: events go to a callback.
"""

from __future__ import annotations

import fnmatch
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.batch.complete import cut_short
from pipeline.batch.ledger import file_digest
from pipeline.errors import ConfigError, TxplanError
from pipeline.readers import reader_for

STATE = ".txplan-watch.json"
#: Seconds a file's size and time stamp must stay the same before it is read (``--settle``).
SETTLE = 5.0
#: Names that are never intake: Office owner/lock files, partial downloads, editor temp files.
IGNORED = ("~$*", ".~lock*", "*.part", "*.partial", "*.tmp", "*.crdownload", "*.download", "*~")


@dataclass(frozen=True)
class WatchEvent:
    """What happened to one file: ``built`` (with the builder's result), ``failed``, or
    ``waiting`` (stable but cut short: ``error`` says how; told once per size and time)."""

    path: Path
    kind: str
    digest: str
    result: Any = None
    error: str | None = None


def output_folder(out_dir: Path, intake: Path) -> Path:
    """Where one watched intake file's build goes: ``<out>/<name with dots as _>/``
    (``intake.xlsx`` -> ``intake_xlsx``, so two exports differing only in type never meet).
    txplan makes that folder, so a symbolic link there is refused, never followed."""
    folder = Path(out_dir) / intake.name.replace(".", "_")
    if folder.is_symlink():
        raise ConfigError("is a symbolic link; txplan refuses to follow it", str(folder))
    return folder


def wanted(path: Path) -> bool:
    """A file a reader can read, not hidden, not a temporary or partial file."""
    name = path.name
    if name.startswith(".") or any(fnmatch.fnmatch(name, p) for p in IGNORED):
        return False
    try:
        reader_for(path)
    except TxplanError:
        return False
    return path.is_file()


class Watcher:
    """``Watcher(inputs, out, build_file).run(once=True)``: build what is new, then return."""

    def __init__(self, folder: Path, out_dir: Path, build_file: Callable[[Path], Any], *,
                 settle: float = SETTLE,
                 on_event: Callable[[WatchEvent], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise TxplanError("not a folder; give the folder exports are saved to", str(folder))
        self.out = Path(out_dir)
        self.build_file = build_file
        self.settle = settle
        self.on_event = on_event
        self.clock = clock
        self.state_path = self.out / STATE
        self.built: dict[str, str] = self._load()
        #: name -> (size, mtime_ns, when that size and time were first seen)
        self._seen: dict[str, tuple[int, int, float]] = {}
        #: name -> (size, mtime_ns) it was last looked into at (built, failed, already built
        #: or cut short): not read again until it changes
        self._handled: dict[str, tuple[int, int]] = {}
        self.pending: set[str] = set()  #: files seen but not yet settled at the last look

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _save(self) -> None:
        text = json.dumps(self.built, indent=2, sort_keys=True) + "\n"
        atomic.write_bytes(self.state_path, text.encode("utf-8"))

    def _stable(self) -> list[Path]:
        """Files whose size and time stamp have not changed for ``settle`` seconds, seen
        unchanged at two looks at least (an empty file is never stable)."""
        now = self.clock()
        seen: dict[str, tuple[int, int, float]] = {}
        ready, pending = [], set()
        for path in sorted(self.folder.iterdir()):
            if not wanted(path):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            sig = (stat.st_size, stat.st_mtime_ns)
            before = self._seen.get(path.name)
            since = before[2] if before is not None and before[:2] == sig else now
            seen[path.name] = (*sig, since)
            if before is not None and before[:2] == sig and sig[0] and now - since >= self.settle:
                ready.append(path)
            elif sig[0]:
                pending.add(path.name)
        self._seen = seen
        self.pending = pending
        return ready

    def _tell(self, event: WatchEvent) -> WatchEvent:
        if self.on_event is not None:
            self.on_event(event)
        return event

    def poll(self) -> list[WatchEvent]:
        """Build every stable, whole file whose content has not been built yet."""
        events = []
        for path in self._stable():
            sig = self._seen[path.name][:2]
            if self._handled.get(path.name) == sig:
                continue
            self._handled[path.name] = sig
            reason = cut_short(path)
            if reason is not None:  # told once per size and time stamp
                events.append(self._tell(WatchEvent(path, "waiting", "", error=reason)))
                continue
            digest = file_digest(path)
            if digest == "missing" or self.built.get(path.name) == digest:
                continue
            try:
                event = WatchEvent(path, "built", digest, result=self.build_file(path))
            except TxplanError as exc:
                event = WatchEvent(path, "failed", digest, error=str(exc))
            self.built[path.name] = digest
            self._save()
            events.append(self._tell(event))
        return events

    def run(self, *, once: bool = False, interval: float = 2.0) -> list[WatchEvent]:
        """Poll every ``interval`` seconds until interrupted. ``once``: look until every file
        has settled (a file still being written is waited for), build, return the events."""
        events: list[WatchEvent] = []
        self._stable()
        while True:
            time.sleep(min(interval, self.settle) if once else interval)
            found = self.poll()
            if once:
                events += found
                if not self.pending:
                    return events
