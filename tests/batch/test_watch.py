"""txplan watch: new or changed files built once, temporary and growing files left alone."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.batch.complete import cut_short
from pipeline.batch.watch import Watcher, wanted
from pipeline.cli import main
from tests.support import DATA

FULL = DATA / "render" / "full.json"
ROSTER = DATA / "intake" / "carepoint_roster.xlsx"
CSV_TEXT = 'Client ID,Last Name,First Name,Note\nA-1,Lee,Ann,"ok"\nA-2,Diaz,Jo,"fine"\n'


class Clock:
    """A clock the test moves: settling is measured on it, never on the wall clock."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class PausingWriter(threading.Thread):
    """Writes ``first``, pauses until told to go on, then writes ``rest`` (same handle)."""

    def __init__(self, path: Path, first: bytes, rest: bytes) -> None:
        super().__init__(daemon=True)
        self.path, self.first, self.rest = path, first, rest
        self.paused, self.resume, self.done = (
            threading.Event(),
            threading.Event(),
            threading.Event(),
        )

    def run(self) -> None:
        with self.path.open("wb") as handle:
            handle.write(self.first)
            handle.flush()
            self.paused.set()
            self.resume.wait(10)
            handle.write(self.rest)
        self.done.set()

    def __enter__(self) -> PausingWriter:
        self.start()
        assert self.paused.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.resume.set()
        assert self.done.wait(10)


def watch(folder: Path, out: Path, *extra: str):
    args = ["watch", str(folder), "-o", str(out), "--payer", "medicare-poc", "--agency",
            "riverside", "--once", "--interval", "0.1", "--settle", "0.1", "--workers", "1",
            *extra]  # fmt: skip
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


def _watcher(tmp_path: Path, clock: Clock, settle: float = 5.0):
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    built: list[tuple[str, bytes]] = []
    events: list = []
    watcher = Watcher(inbox, tmp_path / "out", lambda p: built.append((p.name, p.read_bytes())),
                      settle=settle, clock=clock, on_event=events.append)  # fmt: skip
    return inbox, watcher, built, events


def test_a_csv_whose_writer_pauses_mid_row_is_never_built_half(tmp_path) -> None:
    clock = Clock()
    inbox, watcher, built, events = _watcher(tmp_path, clock)
    data = CSV_TEXT.encode()
    cut = data.index(b"Diaz") + 2  # mid-row: "A-2,Di"
    with PausingWriter(inbox / "export.csv", data[:cut], data[cut:]):
        assert watcher.poll() == []  # first sight
        clock.now += 60  # the writer stays paused far past the settling period
        assert [e.kind for e in watcher.poll()] == ["waiting"]
        assert "2 of the header's 4 cells" in events[-1].error
        clock.now += 60
        assert watcher.poll() == [] and built == []  # told once; still not built
    assert watcher.poll() == []  # the file changed: settling starts again
    clock.now += 4
    assert watcher.poll() == [] and built == []  # 4 s < settle
    clock.now += 1
    assert [e.kind for e in watcher.poll()] == ["built"]
    assert built == [("export.csv", data)]


def test_a_writer_that_pauses_between_rows_waits_for_the_settling_period(tmp_path) -> None:
    clock = Clock()
    inbox, watcher, built, _ = _watcher(tmp_path, clock, settle=5.0)
    data = CSV_TEXT.encode()
    cut = data.index(b"A-2")  # a whole row is missing, but what is there reads whole
    with PausingWriter(inbox / "export.csv", data[:cut], data[cut:]):
        watcher.poll()
        for _ in range(3):  # several looks within the settling period
            clock.now += 1
            assert watcher.poll() == []
        assert built == []
    clock.now += 1
    watcher.poll()
    clock.now += 5
    watcher.poll()
    assert built == [("export.csv", data)]


def test_an_open_quote_at_the_end_is_cut_short_even_after_a_line_break(tmp_path) -> None:
    clock = Clock()
    inbox, watcher, built, events = _watcher(tmp_path, clock)
    data = CSV_TEXT.encode()
    cut = data.index(b'"fine"') + 3  # 'A-2,Diaz,Jo,"fi'
    with PausingWriter(inbox / "export.csv", data[:cut] + b"\n", b""):
        watcher.poll()
        clock.now += 10
        watcher.poll()
        assert built == [] and "quoted cell is open" in events[-1].error


def test_an_xlsx_still_being_written_does_not_open_as_a_zip_and_waits(tmp_path) -> None:
    clock = Clock()
    inbox, watcher, built, events = _watcher(tmp_path, clock)
    data = ROSTER.read_bytes()
    with PausingWriter(inbox / "roster.xlsx", data[: len(data) // 2], data[len(data) // 2 :]):
        watcher.poll()
        clock.now += 10
        assert [e.kind for e in watcher.poll()] == ["waiting"]
        assert "zip" in events[-1].error and built == []
    watcher.poll()
    clock.now += 10
    watcher.poll()
    assert built == [("roster.xlsx", data)]


@pytest.mark.parametrize(
    ("name", "text", "whole"),
    [
        ("a.csv", "Client ID,Name\nA-1,Ann", True),  # no final line break, but a whole row
        ("a.csv", "Client ID,Name\nA-1", False),
        ("a.csv", 'Client ID,Name\nA-1,"An', False),
        ("a.csv", 'Client ID,Name\nA-1,"x"y,3\nA-2,Bo\n', True),  # broken mid-file: built, reported
        ("a.tsv", "Client ID\tName\nA-1", False),
        ("a.json", '{"client": {"id": "A-1"}, "goals": [', False),
        ("a.json", '{"client": {"id": "A-1", "name": "An', False),
        ("a.json", '{"client": }', True),  # complete, wrong: the reader reports it
        ("a.jsonl", '{"a": 1}\n{"a": 2', False),
        ("a.jsonl", '{"a": 1}\n{"a": 2}', True),
        ("a.pdf", "%PDF-1.7\n1 0 obj", False),
        ("a.pdf", "%PDF-1.7\n...\n%%EOF\n", True),
        ("a.xlsx", "not a zip at all", False),
    ],
)
def test_what_reads_whole(tmp_path, name, text, whole) -> None:
    path = tmp_path / name
    path.write_bytes(text.encode())
    assert (cut_short(path) is None) == whole, cut_short(path)


def test_once_reports_a_cut_file_and_exits_2(tmp_path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "export.csv").write_text("Client ID,Last Name,First Name\nA-1,Le", encoding="utf-8")
    result = watch(inbox, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "export.csv: not built: it looks cut short" in result.stderr
    assert not (tmp_path / "out" / "export_csv").exists()


def test_a_file_is_not_read_again_until_it_changes(tmp_path, monkeypatch) -> None:
    import pipeline.batch.watch as watch_module

    reads: list[str] = []
    real = watch_module.cut_short
    monkeypatch.setattr(watch_module, "cut_short", lambda p: reads.append(p.name) or real(p))
    clock = Clock()
    inbox, watcher, built, _ = _watcher(tmp_path, clock, settle=0)
    (inbox / "done.csv").write_text(CSV_TEXT, encoding="utf-8")
    (inbox / "cut.csv").write_text(CSV_TEXT[:-8], encoding="utf-8")
    for _ in range(5):
        watcher.poll()
    assert sorted(reads) == ["cut.csv", "done.csv"]  # once each, though polled five times
    assert [name for name, _ in built] == ["done.csv"]


def test_the_running_command_waits_for_a_cut_file_then_builds_it_whole(tmp_path) -> None:
    """`txplan watch` as a process (no --once): a CSV whose writer stops mid-row is reported
    waiting, once; when the writer finishes, the whole file is built."""
    import os
    import subprocess
    import sys
    import time

    from tests.hostile.corpus import _intake
    from tests.support import ROOT

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    data = _intake() + b"\r\n"
    cut = data.index(b"H-002") + 9
    export = inbox / "export.csv"
    export.write_bytes(data[:cut])
    args = [sys.executable, "-c", "from pipeline.cli import main; main()", "watch", str(inbox),
            "-o", str(out), "--payer", "clinical", "--agency", "riverside", "--interval", "0.2",
            "--settle", "0.5", "--workers", "1", "--store", str(tmp_path / "s.db")]  # fmt: skip
    log_out, log_err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with log_out.open("wb") as o, log_err.open("wb") as e:
        proc = subprocess.Popen(args, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=o,
                                stderr=e)  # fmt: skip

    def wait_for(path: Path, text: str) -> bool:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if text in path.read_text(encoding="utf-8", errors="replace"):
                return True
            time.sleep(0.1)
        return False

    try:
        assert wait_for(log_err, "export.csv: waiting: it looks cut short"), log_err.read_text()
        time.sleep(1.5)  # several more looks: still waiting, said once, nothing built
        assert log_err.read_text(encoding="utf-8").count("waiting") == 1
        assert not (out / "export_csv").exists()
        with export.open("ab") as handle:
            handle.write(data[cut:])
        assert wait_for(log_out, "export.csv: 2 plans ("), log_err.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    rows = json.loads((out / "export_csv" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted({r["client_id"] for r in rows}) == ["H-001", "H-002"]
