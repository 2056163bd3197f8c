"""LibreOffice as a process: dies with txplan, restarted after a crash, fails fast when hung."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import ConfigError
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.docx.render import render_docx
from pipeline.writers.libreoffice import (
    FOLDER_PREFIX,
    ConversionError,
    PdfConverter,
    remove_stale_folders,
    reproducible,
    stall_limit,
)
from tests.support import ROOT, TEST_DATA

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
PLAN = Plan.model_validate(json.loads((TEST_DATA / "render" / "full.json").read_text("utf-8")))


def running(marker: str) -> list[int]:
    """Live (not zombie) processes whose command line holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in command and state != "Z":
            found.append(int(entry.name))
    return found


def wait_for(condition, seconds: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@needs_soffice
@pytest.mark.slow
def test_libreoffice_dies_with_a_killed_build_and_its_folder_goes_next_run(tmp_path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import write_intake_csv

    intake = write_intake_csv(tmp_path / "intake.csv", 120)  # ~20 s of converting
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp)}
    command = [sys.executable, "-c", "from pipeline.cli import main; main()", "build",
               str(intake), "--payer", "clinical,medicare-poc",
               "--agency", "riverside", "--format", "pdf", "--draft", "--workers", "1",
               "--store", str(tmp_path / "s.sqlite3"), "-o", str(tmp_path / "out")]  # fmt: skip
    build = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # fmt: skip
    marker = f"{FOLDER_PREFIX}{build.pid}-"
    try:
        converting = lambda: any(temp.glob(f"{marker}*/batch-*/out/*.pdf"))  # noqa: E731
        assert wait_for(converting, 180), "the build never converted with LibreOffice"
        assert running(marker)
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    assert wait_for(lambda: not running(marker), 3), f"left running: {running(marker)}"
    (stale,) = temp.glob(f"{marker}*")  # kill -9: no atexit, the folder stays ...
    assert remove_stale_folders(temp) == [stale]  # ... until the next converter starts
    assert not stale.exists()


@needs_soffice
@pytest.mark.slow
def test_a_crashed_libreoffice_is_restarted_and_its_document_retried(tmp_path) -> None:
    docx = render_docx(PLAN, load_payer("clinical"), load_agency("riverside"))
    docs = {f"doc{i}": docx for i in range(6)}
    killed: list[int] = []
    with PdfConverter() as converter:

        def kill_after_the_first_pdf() -> None:
            root = Path(converter._dir or "")
            if wait_for(lambda: any(root.glob("batch-*/out/*.pdf")), 120):
                killed.extend(converter.pids())
                for pid in killed:
                    os.kill(pid, signal.SIGKILL)

        killer = threading.Thread(target=kill_after_the_first_pdf)
        killer.start()
        pdfs = converter.convert(docs)
        killer.join()
    assert killed, "LibreOffice finished before it could be killed"
    assert converter.restarts == 1 and converter.calls == 2
    assert all(isinstance(p, bytes) and p.startswith(b"%PDF") for p in pdfs.values()), pdfs
    assert len(set(pdfs.values())) == 1  # the same DOCX: the same bytes, whichever process
    assert not list(Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}{os.getpid()}-*"))


HANG = "#!/bin/sh\nsleep 30\n"
CRASH = "#!/bin/sh\nkill -9 $$\n"


def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    path = tmp_path / "soffice"
    path.write_text(script)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("TXPLAN_SOFFICE", str(path))


def test_a_libreoffice_that_never_converts_fails_fast(tmp_path, monkeypatch) -> None:
    fake(tmp_path, monkeypatch, HANG)
    docs = {f"doc{i}": b"x" for i in range(30)}
    started = time.monotonic()
    with PdfConverter(timeout=0.3, startup=0.2) as converter:
        result = converter.convert(docs)
        again = converter.convert({"later": b"x"})
    assert converter.calls == 2  # not one stall per document
    assert time.monotonic() - started < 15
    messages = {r.message for r in [*result.values(), *again.values()]}
    assert all(isinstance(r, ConversionError) for r in result.values())
    assert any("twice it produced no first PDF" in m for m in messages)
    assert "--pdf-stall" in again["later"].message


def test_a_converter_that_keeps_crashing_fails_each_document_once_retried(
    tmp_path, monkeypatch
) -> None:
    fake(tmp_path, monkeypatch, CRASH)
    with PdfConverter(timeout=5, startup=5) as converter:
        result = converter.convert({"a": b"x", "b": b"x"})
    assert all("crashed converting it, twice" in r.message for r in result.values())
    assert converter.calls == 4


def test_the_stall_limit_comes_from_the_option_or_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("TXPLAN_PDF_STALL", "7.5")
    assert stall_limit() == 7.5 and stall_limit(3) == 3
    monkeypatch.setenv("TXPLAN_PDF_STALL", "soon")
    with pytest.raises(ConfigError, match="TXPLAN_PDF_STALL"):
        stall_limit()
    result = CliRunner().invoke(main, ["build", "x.json", "--payer", "clinical", "--agency",
                                       "riverside", "--pdf-stall", "0"])  # fmt: skip
    assert result.exit_code == 2 and "--pdf-stall" in result.output


def test_stale_folders_of_live_runs_stay(tmp_path) -> None:
    mine = tmp_path / f"{FOLDER_PREFIX}{os.getppid()}-abc"  # the test runner's parent: alive
    gone = tmp_path / f"{FOLDER_PREFIX}999999999-abc"
    other = tmp_path / f"{FOLDER_PREFIX}notapid"
    for folder in (mine, gone, other):
        folder.mkdir()
    assert remove_stale_folders(tmp_path) == [gone]
    assert mine.exists() and other.exists()


def test_pdfs_are_made_reproducible() -> None:
    pdf = (b"%PDF-1.7\n<</CreationDate(D:20261129102101Z')>>\ntrailer\n<</ID [ <" + b"A" * 32
           + b">\n<" + b"B" * 32 + b"> ]\n/DocChecksum /" + b"C" * 32 + b"\n>>")  # fmt: skip
    one, two = reproducible(pdf, b"docx"), reproducible(pdf.replace(b"2026", b"2025"), b"docx")
    assert one == two and len(one) == len(pdf)
    assert b"D:19800101000000Z'" in one and b"A" * 32 not in one
    assert reproducible(pdf, b"other") != one
