"""DOCX bytes -> PDF bytes with LibreOffice headless: a few soffice processes per batch.

A batch's documents are written to a private folder and converted by
``soffice.bin --headless --convert-to pdf`` calls that are each given many files (up to
``CHUNK``: a process is recycled after that many conversions), with their own throw-away
user profile (so they never collide with a running LibreOffice or with each other). With
``parallel=N`` a batch is split into up to N slices converted at the same time, one process
each. The converter watches each output folder: each finished PDF restarts the stall limit,
and a conversion that stalls longer than that kills the process; the document it was on
(LibreOffice converts in the order given) fails, what was finished is kept, and the rest go
on in a new process. A process that crashes is replaced and the document it was on retried
once. A converter that has never produced a PDF and stalls twice without one is broken: the
rest of the batch fails at once with one clear message, not a stall per document.

LibreOffice never outlives txplan: ``soffice.bin`` is run directly (the ``soffice`` script's
``oosplash`` would be a child that survives) with the parent-death signal set to SIGKILL
(``prctl(PR_SET_PDEATHSIG)``, so even ``kill -9`` of txplan takes it along), in its own
process group, which is killed at exit. Its folders (``txplan-pdf-<pid>-*`` in the temporary
directory: profiles, documents) are removed at exit, and those of killed runs (their pid gone)
by the next converter. PDFs are made reproducible: LibreOffice's creation time, document id and
checksum are replaced by fixed values derived from the DOCX, so the same DOCX gives the same
bytes (and a cluster build the same files as a local one).
Why not unoserver: it needs LibreOffice's Python-UNO bindings (python3-uno) importable from
txplan's interpreter, which a virtualenv does not have; a batch call costs one start-up just
the same (see README, "Templates and rendering").
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from pipeline.errors import ConfigError, TxplanError

#: Seconds without a new PDF before a conversion is stopped (``--pdf-stall``,
#: ``$TXPLAN_PDF_STALL``); the first PDF of a process gets STARTUP seconds more.
TIMEOUT = 60.0
STARTUP = 60.0
STALL_ENV = "TXPLAN_PDF_STALL"
#: Documents per soffice call: bounds what one stuck document can cost.
CHUNK = 200
#: Fewest documents worth a process of their own when converting in parallel.
MIN_SLICE = 8
#: Exit status of a LibreOffice that has just created its profile and asks to be restarted
#: (what ``oosplash`` does for the ``soffice`` script).
RESTART = 81
FOLDER_PREFIX = "txplan-pdf-"

_LIVE: dict[int, subprocess.Popen[bytes]] = {}  #: running LibreOffice processes, by pid
_FOLDERS: set[str] = set()  #: this process's converter folders, removed at exit


class ConversionError(TxplanError):
    """One document could not be converted to PDF (the rest of the batch goes on)."""


def checked(pdf: bytes | ConversionError) -> bytes | ConversionError:
    """A converted PDF that opens and has pages, or why it cannot be used."""
    from pipeline.writers.verify import BrokenDocument, verify_pdf

    if isinstance(pdf, ConversionError):
        return pdf
    try:
        verify_pdf(pdf)
    except BrokenDocument as exc:
        return ConversionError(exc.message)
    return pdf


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


def program(found: str) -> str:
    """``soffice.bin`` beside LibreOffice's ``soffice`` script (so the process txplan starts is
    the one that converts, and dies with it); any other command as given."""
    real = Path(found).resolve()
    binary = real.parent / "soffice.bin"
    if real.name in ("soffice", "libreoffice") and os.access(binary, os.X_OK):
        return str(binary)
    return found


def stall_limit(value: float | None = None) -> float:
    """The stall limit in force: ``value``, else ``$TXPLAN_PDF_STALL``, else TIMEOUT."""
    if value is not None:
        return value
    given = os.environ.get(STALL_ENV, "").strip()
    if not given:
        return TIMEOUT
    try:
        seconds = float(given)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ConfigError(f"{STALL_ENV}={given!r}: give a number of seconds above 0", STALL_ENV)
    return seconds


def _die_with_parent() -> Callable[[], None]:
    """A ``preexec_fn``: SIGKILL this child when the thread that started it ends (Linux)."""
    import ctypes  # here: a build that converts nothing never loads it (nor its workers)

    parent = os.getpid()
    prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None

    def preexec() -> None:
        if prctl is not None:
            prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the signal was armed
            os.kill(os.getpid(), signal.SIGKILL)  # (in the child, before exec)

    return preexec


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # its own group: LibreOffice and any helper
    proc.wait()


@atexit.register
def _at_exit() -> None:
    """Stop every LibreOffice still running and remove this process's folders."""
    for proc in list(_LIVE.values()):
        _kill(proc)
    _LIVE.clear()
    for folder in list(_FOLDERS):
        shutil.rmtree(folder, ignore_errors=True)
    _FOLDERS.clear()


def remove_stale_folders(root: Path | None = None) -> list[Path]:
    """Remove the converter folders of runs that were killed (their pid is gone); returns them."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    for folder in root.glob(f"{FOLDER_PREFIX}*"):
        pid = folder.name[len(FOLDER_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or not folder.is_dir():
            continue
        try:
            if folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except (PermissionError, OSError):
            continue  # another user's process, or unknown: leave it
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


_DATE = re.compile(rb"/CreationDate\(D:\d{14}")
_IDS = re.compile(rb"(/ID \[ ?<)[0-9A-Fa-f]{32}(>\s*<)[0-9A-Fa-f]{32}(> ?\])")
_CHECKSUM = re.compile(rb"(/DocChecksum /)[0-9A-Fa-f]{32}")


def reproducible(pdf: bytes, docx: bytes) -> bytes:
    """The PDF with LibreOffice's run-dependent values fixed (same length, so the cross-
    reference table stays valid): creation time 1980-01-01 (as in every DOCX txplan writes),
    document id and checksum the MD5 of the DOCX converted."""
    digest = hashlib.md5(docx, usedforsecurity=False).hexdigest().upper().encode()
    pdf = _DATE.sub(b"/CreationDate(D:19800101000000", pdf)
    pdf = _IDS.sub(rb"\g<1>" + digest + rb"\g<2>" + digest + rb"\g<3>", pdf)
    return _CHECKSUM.sub(rb"\g<1>" + digest, pdf)


class PdfConverter:
    """One LibreOffice for a batch: ``with PdfConverter() as c: pdfs = c.convert(docs)``."""

    def __init__(self, *, timeout: float | None = None, startup: float = STARTUP,
                 parallel: int = 1) -> None:  # fmt: skip
        self.soffice = program(find_soffice())
        self.timeout = stall_limit(timeout)
        self.startup = startup
        self.parallel = max(1, parallel)
        self._dir: str | None = None
        self.calls = 0  #: soffice processes started (for tests and the benchmark)
        self.restarts = 0  #: processes that crashed and were replaced
        self.proven = False  #: this converter has produced a PDF
        self.broken: str | None = None  #: why every further document fails at once
        self._barren = 0  #: processes in a row that stalled before their first PDF

    def __enter__(self) -> PdfConverter:
        remove_stale_folders()
        self._dir = tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-")
        _FOLDERS.add(self._dir)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            _FOLDERS.discard(self._dir)
            self._dir = None

    def pids(self) -> list[int]:
        """Process ids of the LibreOffice processes running now (for tests)."""
        return list(_LIVE)

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

        from concurrent.futures import ThreadPoolExecutor  # (and logging): PDF builds only

        with ThreadPoolExecutor(max_workers=self.parallel) as pool:
            for found in pool.map(convert_one, chunks):
                results.update(found)
        return results

    def _convert_chunk(
        self, docs: dict[str, bytes], slot: int
    ) -> dict[str, bytes | ConversionError]:
        assert self._dir is not None
        root = Path(self._dir)
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
        tries: dict[str, int] = {}
        todo = list(files)
        while todo:
            if self.broken:
                for name in todo:
                    results[name] = ConversionError(self.broken, name)
                break
            outcome = self._run([files[n] for n in todo], out, root / f"profile-{slot}")
            left = []
            for name in todo:
                pdf = out / f"{files[name].stem}.pdf"
                if pdf.is_file() and pdf.stat().st_size > 0:
                    results[name] = reproducible(pdf.read_bytes(), docs[name])
                else:
                    left.append(name)
            if len(left) < len(todo):
                self.proven, self._barren = True, 0
            elif outcome == "stalled" and not self.proven:
                self._barren += 1
            if not left:
                break
            if outcome == "done":  # LibreOffice went through the list and skipped these
                for name in left:
                    results[name] = ConversionError(
                        "LibreOffice produced no PDF (is the DOCX valid?)", name
                    )
                break
            head = left[0]  # documents are converted in the order given
            tries[head] = tries.get(head, 0) + 1
            if outcome == "stalled":
                results[head] = ConversionError(
                    f"LibreOffice stalled for more than {self.timeout:g} s and was stopped "
                    "(--pdf-stall sets the limit)",
                    head,
                )
                todo = left[1:]
                if self._barren >= 2:
                    self.broken = (
                        "LibreOffice stalled: twice it produced no first PDF within "
                        f"{self.startup + self.timeout:g} s of starting, so no document is "
                        f"converted; check `{self.soffice} --headless --convert-to pdf FILE` "
                        "by hand (--pdf-stall sets the limit)"
                    )
            elif tries[head] > 1:  # crashed on it twice: it fails, the rest go on
                results[head] = ConversionError(
                    "LibreOffice crashed converting it, twice (is the DOCX valid?)", head
                )
                todo = left[1:]
            else:  # crashed: a new process retries that document once
                self.restarts += 1
                todo = left
        shutil.rmtree(work, ignore_errors=True)
        return results

    def _run(self, inputs: Iterable[Path], out: Path, profile: Path) -> str:
        """Run one soffice over every input: ``done``, ``stalled`` (stopped) or ``crashed``."""
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
        for _ in range(3):  # a new profile: LibreOffice creates it and asks to be restarted
            proc = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent(),  # noqa: PLW1509 - only prctl, no locks taken
            )
            _LIVE[proc.pid] = proc
            try:
                stalled = self._watch(proc, out)
            finally:
                _LIVE.pop(proc.pid, None)
            if stalled:
                return "stalled"
            if proc.returncode != RESTART:
                break
        return "done" if proc.returncode == 0 else "crashed"

    def _watch(self, proc: subprocess.Popen[bytes], out: Path) -> bool:
        """Wait for the process; True if it stalled and was killed."""
        deadline = time.monotonic() + self.startup + self.timeout
        done = sum(1 for _ in out.glob("*.pdf"))
        while proc.poll() is None:
            time.sleep(0.05)
            finished = sum(1 for _ in out.glob("*.pdf"))
            if finished != done:
                done = finished
                deadline = time.monotonic() + self.timeout
            if time.monotonic() > deadline:
                _kill(proc)
                return True
        return False


def docx_to_pdf(data: bytes, name: str = "document") -> bytes:
    """Convert one document (starts LibreOffice once; prefer PdfConverter for batches)."""
    with PdfConverter() as converter:
        result = converter.convert({name: data})[name]
    if isinstance(result, ConversionError):
        raise result
    return result
