"""Batches in the app: uploads kept under safe names, a runner process per batch, results.

Uploads are written as ``<folder>/inputs/<n><suffix>`` (the suffix checked against the readers'
registry; the name the user gave is kept only for display), documents go to
``<folder>/documents``, and a batch's files are served only when the manifest lists them and
they resolve inside that folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.errors import InputError
from pipeline.web.db import Batch, WebDB, now

#: What the New batch page accepts (the readers' registry has a reader for each).
SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt", ".pdf", ".docx", ".json", ".jsonl")


#: Findings are shown errors first: the reason a plan is blocked leads.
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Limits:
    """Upload limits: files per batch, bytes per file, bytes per request."""

    files: int = 20
    file_bytes: int = 50 * 1024 * 1024
    request_bytes: int = 200 * 1024 * 1024


def new_id() -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{secrets.token_hex(3)}"


def display_name(name: str) -> str:
    """The uploaded file's name for messages: its last part, printable, at most 120 chars."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(c for c in base if c.isprintable()).strip() or "upload"
    return clean[:120]


def checked_suffix(name: str) -> str:
    suffix = Path(display_name(name)).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"cannot read {suffix or 'files without a suffix'} files; upload {', '.join(SUFFIXES)}",
            display_name(name),
        )
    return suffix


class Batches:
    """Creates, starts and reads batches under ``root`` (the app's output folder)."""

    def __init__(self, db: WebDB, root: Path, store: Path) -> None:
        self.db, self.root, self.store = db, Path(root).resolve(), Path(store)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def stage(self, actor: str, files: list[tuple[str, bytes]], options: dict[str, Any]) -> Batch:
        """Keep the uploads of a new batch (not started yet)."""
        batch_id = new_id()
        folder = self.root / batch_id
        atomic.make_dirs(folder / "inputs")
        inputs = []
        for number, (name, data) in enumerate(files, start=1):
            stored = f"{number}{checked_suffix(name)}"
            atomic.write_bytes(folder / "inputs" / stored, data)
            inputs.append({"stored": stored, "name": display_name(name)})
        self.db.add_batch(batch_id, actor, {**options, "store": str(self.store)}, inputs, folder)
        return self.db.batch(batch_id)  # type: ignore[return-value]

    def start(self, batch: Batch) -> None:
        """Start the batch's runner process; the app goes on answering. A batch runs once
        at a time: a second start (a double click) is refused."""
        if not self.db.claim(batch.id):
            raise InputError(f"batch {batch.id} is running or done already", "id")
        atomic.make_dirs(batch.documents)
        with open(batch.folder / "runner.log", "ab") as err:
            process = subprocess.Popen(
                [sys.executable, "-m", "pipeline.web.runner", str(self.db.path), batch.id],
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                env={**os.environ, "PYTHONPATH": _pythonpath()},
            )
        self.processes[batch.id] = process
        self.db.update_batch(batch.id, pid=process.pid)

    def refresh(self, batch: Batch) -> Batch:
        """The batch, failed clearly if its runner died without saying how it ended."""
        if batch.status != "running":
            return batch
        process = self.processes.get(batch.id)
        if process is not None:
            if process.poll() is None:
                return batch
            self.processes.pop(batch.id, None)
            fresh = self.db.batch(batch.id)
            if fresh is not None and fresh.status != "running":
                return fresh
        elif _alive_runner(batch.pid, batch.id):
            return batch
        self.db.update_batch(
            batch.id,
            status="failed",
            finished_at=now(),
            message="the build stopped before it finished (the server or its process was "
            "stopped); start it again with Build again: documents already made are reused",
        )
        return self.db.batch(batch.id)  # type: ignore[return-value]

    def recover(self) -> list[str]:
        """At start: fail every batch whose runner is gone; return their ids."""
        failed = []
        for batch in self.db.batches(limit=1000):
            if batch.status == "running" and self.refresh(batch).status == "failed":
                failed.append(batch.id)
        return failed

    def get(self, batch_id: str) -> Batch | None:
        batch = self.db.batch(batch_id) if _safe_id(batch_id) else None
        return self.refresh(batch) if batch is not None else None

    def stop_all(self) -> None:
        """At shutdown: stop every runner; its batch is failed, saying why."""
        for batch_id, process in self.processes.items():
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
                self.db.update_batch(
                    batch_id,
                    status="failed",
                    finished_at=now(),
                    message="the server was stopped while this batch ran; start it again "
                    "with Build again: documents already made are reused",
                )
        self.processes.clear()


def _pythonpath() -> str:
    """The folder holding this ``pipeline`` package first, so the runner runs this code."""
    here = str(Path(__file__).resolve().parents[2])
    rest = os.environ.get("PYTHONPATH", "")
    return f"{here}{os.pathsep}{rest}" if rest else here


def _safe_id(batch_id: str) -> bool:
    return 0 < len(batch_id) <= 40 and all(c.isalnum() or c == "-" for c in batch_id)


def _alive_runner(pid: int | None, batch_id: str) -> bool:
    """Whether ``pid`` is still this batch's runner (a pid can be reused)."""
    if not pid:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"pipeline.web.runner" in cmdline and batch_id.encode() in cmdline


def rows(batch: Batch) -> list[dict[str, Any]]:
    """The manifest's rows (one per plan and payer), messages naming the uploaded files,
    each row's findings errors first."""
    path = batch.documents / "manifest.json"
    if batch.status != "done" or not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    for number, row in enumerate(data):
        row["n"] = number
        row["source"] = batch.display(row.get("source", ""))
        for finding in row["findings"]:
            finding["where"] = batch.display(finding["where"])
            finding["message"] = batch.display(finding["message"])
        row["findings"].sort(key=lambda f: SEVERITY_ORDER.get(f["severity"], 3))
    return data


def output_file(batch: Batch, row: dict[str, Any], index: int) -> Path | None:
    """The row's ``index``-th output, only if it resolves inside the batch's documents."""
    outputs = row.get("outputs", [])
    if not 0 <= index < len(outputs):
        return None
    base = batch.documents.resolve()
    path = (base / outputs[index]["path"]).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return None
    return path


def archive(batch: Batch, data: Iterable[dict[str, Any]]) -> Path:
    """A ZIP of every document the manifest lists, with manifest.csv and manifest.json,
    written once beside the documents (``archive.zip``) and reused."""
    target = batch.folder / "archive.zip"
    if target.is_file():
        return target
    base = batch.documents.resolve()
    with (
        atomic.atomic_open(target, "wb") as handle,
        zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as zf,
    ):
        for name in ("manifest.csv", "manifest.json"):
            if (base / name).is_file():
                zf.write(base / name, name)
        seen: set[str] = set()
        for row in data:
            for index, output in enumerate(row["outputs"]):
                path = output_file(batch, row, index)
                if path is not None and output["path"] not in seen:
                    seen.add(output["path"])
                    zf.write(path, output["path"])
    return target
