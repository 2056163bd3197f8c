"""txplan watch: new or changed files built once, temporary and growing files left alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from pipeline.batch.watch import Watcher, wanted
from pipeline.cli import main
from tests.support import DATA

FULL = DATA / "render" / "full.json"


def watch(folder: Path, out: Path, *extra: str):
    args = ["watch", str(folder), "-o", str(out), "--payer", "medicare-poc", "--agency",
            "riverside", "--once", "--interval", "0.1", "--workers", "1", *extra]  # fmt: skip
    return CliRunner().invoke(main, args)


def test_once_builds_each_new_file_and_ignores_temporary_ones(tmp_path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(FULL, inbox / "monday.json")
    (inbox / "~$intake.xlsx").write_bytes(b"owner file")
    (inbox / "export.csv.part").write_text("Client ID\n1\n", encoding="utf-8")
    (inbox / ".~lock.intake.xlsx#").write_text("lock", encoding="utf-8")
    (inbox / "notes.md").write_text("not intake", encoding="utf-8")
    result = watch(inbox, out)
    assert result.exit_code == 0, result.output
    assert "monday.json: 1 plans (1 ok, 0 blocked, 0 failed)" in result.output
    rows = json.loads((out / "monday_json" / "manifest.json").read_text(encoding="utf-8"))
    assert [(r["client_id"], r["status"]) for r in rows] == [("RC-1001", "ok")]
    assert sorted(p.name for p in out.iterdir()) == [".txplan-watch.json", "monday_json"]

    again = watch(inbox, out)
    assert again.exit_code == 0 and "monday.json" not in again.output  # built once

    plan = json.loads(FULL.read_text(encoding="utf-8"))
    plan["client"]["id"] = "RC-2002"
    (inbox / "monday.json").write_text(json.dumps(plan), encoding="utf-8")
    changed = watch(inbox, out)
    assert "monday.json: 1 plans" in changed.output
    rows = json.loads((out / "monday_json" / "manifest.json").read_text(encoding="utf-8"))
    # the new client's row comes last; RC-1001's document is still in the folder, so its
    # row is kept (a run that adds to a folder never drops the record of what it holds)
    assert [r["client_id"] for r in rows] == ["RC-1001", "RC-2002"]


def test_an_unusable_file_is_reported_and_exits_2(tmp_path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "broken.csv").write_bytes(b"\x00\x01binary")
    result = watch(inbox, tmp_path / "out")
    assert result.exit_code == 2
    assert "broken.csv" in result.output


def test_a_file_still_growing_waits_for_the_next_poll(tmp_path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    built: list[str] = []
    watcher = Watcher(inbox, tmp_path / "out", lambda p: built.append(p.name), settle=0)
    export = inbox / "export.json"
    export.write_text("{", encoding="utf-8")
    assert watcher.poll() == []  # first sight: not yet known to be stable
    export.write_text(FULL.read_text(encoding="utf-8"), encoding="utf-8")
    assert watcher.poll() == []  # changed since the last look
    assert [e.kind for e in watcher.poll()] == ["built"] and built == ["export.json"]
    assert watcher.poll() == []
    restarted = Watcher(inbox, tmp_path / "out", lambda p: built.append(p.name), settle=0)
    restarted.poll()
    assert restarted.poll() == [] and built == ["export.json"]  # remembered across restarts


def test_which_names_are_intake() -> None:
    assert wanted(FULL)
    for name in ("~$a.xlsx", ".~lock.a.xlsx#", "a.csv.part", "a.tmp", ".hidden.csv"):
        assert not wanted(Path("/nonexistent") / name)
