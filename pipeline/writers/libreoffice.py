"""DOCX bytes -> PDF bytes with LibreOffice headless: a few soffice processes per batch.

A batch's documents are written to a private folder and converted by
``soffice --headless --convert-to pdf`` calls that are each given many files (up to
``CHUNK``: a process is recycled after that many conversions), with their own throw-away
user profile (so they never collide with a running LibreOffice or with each other). With
``parallel=N`` a batch is split into up to N slices converted at the same time, one process
each. The converter watches each output folder: each finished PDF restarts the per-document
time-out, and a conversion that stalls longer than that kills the process; the document it
was on (LibreOffice converts in the order given) fails, what was finished is kept, and the
rest go on in a new process.
Why not unoserver: it needs LibreOffice's Python-UNO bindings (python3-uno) importable from
txplan's interpreter, which a virtualenv does not have; a batch call costs one start-up just
the same (see README, "Templates and rendering").
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.errors import ConfigError, TxplanError

#: Seconds one document may take before the batch is stopped (start-up has its own allowance).
TIMEOUT = 60.0
STARTUP = 60.0
#: Documents per soffice call: bounds what one stuck document can cost.
CHUNK = 200
#: Fewest documents worth a process of their own when converting in parallel.
MIN_SLICE = 8


class ConversionError(TxplanError):
    """One document could not be converted to PDF (the rest of the batch goes on)."""


def find_soffice() -> str:
    """The LibreOffice executable, or a ConfigError saying how to install it."""
    for name in (os.environ.get("TXPLAN_SOFFICE"), "soffice", "libreoffice"):
        if name and (found := shutil.which(name)):
            return found
    raise ConfigError(
        "LibreOffice is not installed (no soffice on PATH); run `make setup` or "
        "`sudo apt-get install libreoffice-writer-nogui`, or set TXPLAN_SOFFICE",
        "PDF output",
    )


class PdfConverter:
    """One LibreOffice for a batch: ``with PdfConverter() as c: pdfs = c.convert(docs)``."""

    def __init__(self, *, timeout: float = TIMEOUT, startup: float = STARTUP,
                 parallel: int = 1) -> None:  # fmt: skip
        self.soffice = find_soffice()
        self.timeout = timeout
        self.startup = startup
        self.parallel = max(1, parallel)
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self.calls = 0  #: soffice processes started (for tests and the benchmark)

    def __enter__(self) -> PdfConverter:
        self._dir = tempfile.TemporaryDirectory(prefix="txplan-pdf-")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def convert(self, docs: dict[str, bytes]) -> dict[str, bytes | ConversionError]:
        """Convert named DOCX documents; each name maps to PDF bytes or its ConversionError."""
        if self._dir is None:
            raise RuntimeError("use PdfConverter as a context manager")
        names = list(docs)
        size = min(CHUNK, max(MIN_SLICE, -(-len(names) // self.parallel)))
        chunks = [names[i : i + size] for i in range(0, len(names), size)]
        results: dict[str, bytes | ConversionError] = {}
        if len(chunks) <= 1 or self.parallel == 1:
            for chunk in chunks:
                results.update(self._convert_chunk({n: docs[n] for n in chunk}, 0))
            return results
        slots: queue.SimpleQueue[int] = queue.SimpleQueue()
        for slot in range(self.parallel):
            slots.put(slot)

        def convert_one(chunk: list[str]) -> dict[str, bytes | ConversionError]:
            slot = slots.get()  # one LibreOffice profile per process running at a time
            try:
                return self._convert_chunk({n: docs[n] for n in chunk}, slot)
            finally:
                slots.put(slot)

        with ThreadPoolExecutor(max_workers=self.parallel) as pool:
            for found in pool.map(convert_one, chunks):
                results.update(found)
        return results

    def _convert_chunk(
        self, docs: dict[str, bytes], slot: int
    ) -> dict[str, bytes | ConversionError]:
        assert self._dir is not None
        root = Path(self._dir.name)
        work = Path(tempfile.mkdtemp(dir=root, prefix="batch-"))
        src, out = work / "in", work / "out"
        src.mkdir()
        out.mkdir()
        files = {}
        for index, (name, data) in enumerate(docs.items()):
            path = src / f"doc{index:05d}.docx"
            path.write_bytes(data)
            files[name] = path
        results: dict[str, bytes | ConversionError] = {}
        todo = list(files)
        while todo:
            stalled = self._run([files[n] for n in todo], out, root / f"profile-{slot}")
            left = []
            for name in todo:
                pdf = out / f"{files[name].stem}.pdf"
                if pdf.is_file() and pdf.stat().st_size > 0:
                    results[name] = pdf.read_bytes()
                else:
                    left.append(name)
            if not stalled or not left:
                for name in left:
                    results[name] = ConversionError(
                        "LibreOffice produced no PDF (is the DOCX valid?)", name
                    )
                break
            hung, todo = left[0], left[1:]  # documents are converted in the order given
            results[hung] = ConversionError(
                f"LibreOffice stalled for more than {self.timeout:.0f} s and was stopped", hung
            )
        shutil.rmtree(work, ignore_errors=True)
        return results

    def _run(self, inputs: Iterable[Path], out: Path, profile: Path) -> bool:
        """Run one soffice over every input; True if it had to be stopped for stalling."""
        command = [
            self.soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            *map(str, inputs),
        ]
        self.calls += 1
        proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.startup + self.timeout
        done = 0
        while proc.poll() is None:
            time.sleep(0.05)
            finished = sum(1 for _ in out.glob("*.pdf"))
            if finished != done:
                done = finished
                deadline = time.monotonic() + self.timeout
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return True
        return False


def docx_to_pdf(data: bytes, name: str = "document") -> bytes:
    """Convert one document (starts LibreOffice once; prefer PdfConverter for batches)."""
    with PdfConverter() as converter:
        result = converter.convert({name: data})[name]
    if isinstance(result, ConversionError):
        raise result
    return result
