"""Never a traceback: faults of the machine and bugs end in a short message and exit 2;
stderr hides client values unless --show-values and escapes what could forge a line."""

from __future__ import annotations

import errno
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.cli.guard import Settings, finding_line, printable, redact
from pipeline.findings import error
from tests.support import ROOT

SAMPLE = str(ROOT / "inputs" / "mindledger_long.csv")


def _build(tmp_path, *extra: str):
    args = ["build", SAMPLE, "--payer", "clinical", "--agency", "northstar", "--workers", "1",
            "-o", str(tmp_path / "out"), "--store", str(tmp_path / "s.sqlite3"),
            *extra]  # fmt: skip
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "out/x.docx"), "the disk is full"),
        (OSError(errno.EROFS, "Read-only file system", "out/x.docx"), "read-only"),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory", "f/out"), "is a file, not a folder"),
        (PermissionError(errno.EACCES, "Permission denied", "out"), "permission denied"),
        (sqlite3.OperationalError("database is locked"), "busy"),
        (sqlite3.DatabaseError("database disk image is malformed"), "damaged"),
        (KeyError("José Alvarez"), "internal error (a bug in txplan): KeyError at"),
    ],
)
def test_faults_and_bugs_exit_2_with_a_message(tmp_path, monkeypatch, exc, expected) -> None:
    def broken(*args, **kwargs):
        raise exc

    monkeypatch.setattr("pipeline.cli.build.build", broken)
    result = _build(tmp_path)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and "José" not in result.stderr


def test_debug_shows_the_traceback(tmp_path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise KeyError("x")

    monkeypatch.setattr("pipeline.cli.build.build", broken)
    result = CliRunner().invoke(main, ["--debug", "build", SAMPLE, "--payer", "clinical",
                                       "--agency", "northstar", "-o", str(tmp_path)])  # fmt: skip
    assert isinstance(result.exception, KeyError)


def test_a_read_only_output_folder_exits_2_in_a_real_process(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", "from pipeline.cli import main; main()", "build", SAMPLE,
         "--payer", "clinical", "--agency", "northstar", "-o", str(blocker / "out"),
         "--store", str(tmp_path / "s.sqlite3")],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "is a file, not a folder" in proc.stderr and "Traceback" not in proc.stderr


def test_values_hidden_unless_asked_and_labels_kept() -> None:
    finding = error("IN004", 'a.csv, row 3, column "DOB"',
                    '"DOB" is "1962-02-02" here but was "1957-08-17"')  # fmt: skip
    Settings.set(debug=False, show_values=False)
    line = finding_line(finding)
    assert line == 'a.csv, row 3, column "DOB": error IN004: "DOB" is "…" here but was "…"'
    assert redact("bad input_value='Smith, Ann' here") == "bad input_value=… here"
    Settings.set(debug=False, show_values=True)
    try:
        assert "1957-08-17" in finding_line(finding)
    finally:
        Settings.set(debug=False, show_values=False)


def test_control_and_bidi_characters_are_escaped_in_log_lines() -> None:
    assert printable("C-1\nC-2 / clinical: ok") == "C-1\\x0aC-2 / clinical: ok"
    assert printable("Jos\u00e9 \u202eevil \x1b[2J") == "Jos\u00e9 \\u202eevil \\x1b[2J"
    assert printable("\ud800") == "\\ud800"
