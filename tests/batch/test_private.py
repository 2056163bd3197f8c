"""Private by default: what txplan creates is 0600/0700, and the paths it owns refuse symlinks."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.atomic import SymlinkRefused
from pipeline.batch.ledger import LEDGER, Ledger
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.versions.store import Store
from tests.support import DATA, ROOT

FULL = DATA / "render" / "full.json"
BUILD = ["build", str(FULL), "--payer", "medicare-poc", "--agency", "riverside",
         "--workers", "1", "--format", "docx"]  # fmt: skip


def build(out: Path, store: Path, *extra: str):
    return CliRunner().invoke(main, [*BUILD, "-o", str(out), "--store", str(store), *extra])


def test_a_ledger_planted_as_a_symlink_is_refused_and_its_target_untouched(tmp_path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / LEDGER).symlink_to(outside)
    result = build(out, tmp_path / "s.db")
    assert result.exit_code == 2, result.output
    assert f"{out / LEDGER}: the path is a symbolic link, which txplan refuses" in result.stderr
    assert "Traceback" not in result.output
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert not list(out.glob("*.docx"))
    with pytest.raises(SymlinkRefused):
        Ledger(out)  # the library refuses it too, umask or not


def test_a_dangling_ledger_symlink_creates_nothing_outside(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / LEDGER).symlink_to(tmp_path / "would-be-created")
    with pytest.raises(SymlinkRefused):
        Ledger(out)
    assert not (tmp_path / "would-be-created").exists()


def test_a_work_folder_planted_as_a_symlink_is_refused(tmp_path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / ".txplan-work").symlink_to(outside, target_is_directory=True)
    result = build(out, tmp_path / "s.db", "--format", "pdf")
    assert result.exit_code == 2, result.output
    assert ".txplan-work: the path is a symbolic link" in result.stderr
    assert list(outside.iterdir()) == []
    assert (out / ".txplan-work").is_symlink()  # left for the user to look at


@pytest.mark.parametrize("suffix", ["", "-wal", "-journal"])
def test_a_store_or_its_sqlite_sidecar_planted_as_a_symlink_is_refused(tmp_path, suffix) -> None:
    db = tmp_path / "plans.sqlite3"
    outside = tmp_path / "outside"
    outside.write_bytes(b"")
    Path(f"{db}{suffix}").symlink_to(outside)
    with pytest.raises(InputError, match="symbolic link"):
        Store(db).check()
    result = build(tmp_path / "out", db)
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert outside.read_bytes() == b""


def test_watch_refuses_a_per_file_output_folder_planted_as_a_symlink(tmp_path) -> None:
    inbox, out, outside = tmp_path / "inbox", tmp_path / "out", tmp_path / "outside"
    for folder in (inbox, out, outside):
        folder.mkdir()
    shutil.copy(FULL, inbox / "monday.json")
    (out / "monday_json").symlink_to(outside, target_is_directory=True)
    args = ["watch", str(inbox), "-o", str(out), "--payer", "medicare-poc", "--agency",
            "riverside", "--once", "--interval", "0.1", "--settle", "0"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "monday_json: is a symbolic link" in result.stderr
    assert list(outside.iterdir()) == []


def _modes(root: Path) -> dict[str, str]:
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    found["."] = oct(stat.S_IMODE(root.stat().st_mode))
    return found


def test_everything_a_build_creates_is_private_even_under_umask_022(tmp_path) -> None:
    """A real run in its own process, as a user with the common umask 022 starts it."""
    out, store = tmp_path / "new" / "out", tmp_path / "store" / "plans.sqlite3"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FULL, inbox / "monday.json")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import os, sys; os.umask(0o022); from pipeline.cli import main; main(sys.argv[1:])"
    for args in (
        [*BUILD, "-o", str(out), "--store", str(store), "--client-copy"],
        ["watch", str(inbox), "-o", str(tmp_path / "watched"), "--payer", "medicare-poc",
         "--agency", "riverside", "--once", "--settle", "0", "--interval", "0.1",
         "--store", str(store)],
        ["due", "--store", str(store), "--csv", str(tmp_path / "reports" / "due.csv")],
    ):  # fmt: skip
        run = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
        assert run.returncode in (0, 1), run.stderr
    modes = {}
    for root in (tmp_path / "new", tmp_path / "store", tmp_path / "watched", tmp_path / "reports"):
        modes.update({f"{root.name}/{k}": v for k, v in _modes(root).items()})
    assert any(k.endswith(".docx") for k in modes) and any(LEDGER in k for k in modes)
    assert any(k.endswith("manifest.csv") for k in modes) and "store/plans.sqlite3" in modes
    assert any(k.endswith(".txplan-watch.json") for k in modes) and "reports/due.csv" in modes
    wrong = {}
    for name, mode in modes.items():
        path = tmp_path / name.split("/", 1)[0] / name.split("/", 1)[1]
        want = "0o700" if path.is_dir() else "0o600"
        if mode != want:
            wrong[name] = mode
    assert not wrong, f"not private: {wrong}"


def test_a_ledger_swapped_for_a_symlink_during_a_run_is_not_read_through(tmp_path) -> None:
    out = tmp_path / "out"
    secret = tmp_path / "secret.jsonl"
    secret.write_text('{"key": "x", "fp": "y", "row": {"stolen": true}}\n', encoding="utf-8")
    ledger = Ledger(out)
    try:
        ledger.record("k", "fp", {"status": "ok", "outputs": []})
        link = out / "link"
        link.symlink_to(secret)
        os.replace(link, out / LEDGER)  # another user swaps the file under the running build
        with pytest.raises(SymlinkRefused):
            list(ledger.rows())
    finally:
        ledger.close()
    assert secret.read_text(encoding="utf-8").count("\n") == 1
