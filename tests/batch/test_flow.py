"""The batch's flow: a worker's start-up work, the ledger's compaction, the manifest's parts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.batch.build import BuildOptions, build
from pipeline.batch.ledger import LEDGER
from pipeline.batch.manifest import Row, write_manifest
from pipeline.batch.pool import Pool
from pipeline.profiles import load_agency, load_payer
from tests.batch.jobs import DoublingJob, sample_plans


class StartedJob(DoublingJob):
    """Records, in a file, each process that ran ``start`` and each task it ran after it."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def _note(self, what: str) -> None:
        with self.log.open("a") as handle:
            handle.write(f"{os.getpid()} {what}\n")

    def start(self) -> None:
        self._note("start")

    def run(self, task: int) -> int:
        self._note(f"run {task}")
        return task * 10


def test_each_worker_runs_the_jobs_start_once_before_its_tasks(tmp_path) -> None:
    log = tmp_path / "log"
    with Pool(StartedJob(log), workers=2) as pool:
        assert list(pool.imap((True, n) for n in range(40))) == [n * 10 for n in range(40)]
    by_process: dict[str, list[str]] = {}
    for line in log.read_text().splitlines():
        pid, what = line.split(" ", 1)
        by_process.setdefault(pid, []).append(what)
    assert str(os.getpid()) not in by_process  # in the workers, never in the parent
    assert len(by_process) == 2
    for events in by_process.values():
        assert events[0] == "start" and events.count("start") == 1


def test_in_process_the_start_is_the_jobs_own_business(tmp_path) -> None:
    log = tmp_path / "log"
    with Pool(StartedJob(log), workers=1) as pool:
        assert list(pool.imap([(True, 1), (False, 7)])) == [10, 7]
    assert log.read_text().splitlines() == [f"{os.getpid()} run 1"]


def _ledger_keys(out: Path) -> list[str]:
    lines = (out / LEDGER).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["key"] for line in lines if '"key"' in line]


def test_a_first_build_leaves_its_ledger_as_written_and_a_later_one_compacts_it(tmp_path) -> None:
    out = tmp_path / "out"
    options = BuildOptions(out_dir=out, merge=False, resume=False)
    payers, agency = [load_payer("clinical")], load_agency("riverside")
    build(sample_plans(3, "F"), payers, agency, options)
    first = _ledger_keys(out)
    assert len(first) == 3 and len(set(first)) == 3
    build(
        sample_plans(3, "F"), payers, agency, options
    )  # every row recorded again: the old lines go
    assert _ledger_keys(out) == first
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [row["client_id"] for row in manifest] == ["F-001", "F-002", "F-003"]


def _part_files(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(".part"))


def test_the_manifest_written_as_rows_are_recorded_keeps_earlier_rows_first(tmp_path) -> None:
    out = tmp_path / "out"
    payers, agency = [load_payer("clinical")], load_agency("riverside")
    options = BuildOptions(out_dir=out, merge=False, resume=False)
    build(sample_plans(3, "F"), payers, agency, options)
    later = sample_plans(4, "F")[1:]  # F-002..F-004: F-001's row is an earlier run's, kept
    result = build(later, payers, agency, options)
    written = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [r["client_id"] for r in written] == ["F-001", "F-002", "F-003", "F-004"]
    # the bytes the whole-manifest writer gives for the same rows
    expected = tmp_path / "expected"
    expected.mkdir()
    write_manifest(expected, [Row.from_json(r) for r in written])
    for name in ("manifest.csv", "manifest.json"):
        assert (out / name).read_bytes() == (expected / name).read_bytes()
    assert result.manifest == (out / "manifest.csv", out / "manifest.json")
    assert _part_files(out) == []


def test_a_build_that_stops_leaves_the_manifest_as_it_was_and_no_part_file(tmp_path) -> None:
    out = tmp_path / "out"
    payers, agency = [load_payer("clinical")], load_agency("riverside")
    options = BuildOptions(out_dir=out, merge=False, resume=False)
    build(sample_plans(2, "F"), payers, agency, options)
    before = (out / "manifest.json").read_bytes(), (out / "manifest.csv").read_bytes()

    def stops():
        yield from sample_plans(3, "F")
        raise RuntimeError("the input stopped")

    with pytest.raises(RuntimeError, match="input stopped"):
        build(stops(), payers, agency, options)
    assert ((out / "manifest.json").read_bytes(), (out / "manifest.csv").read_bytes()) == before
    assert _part_files(out) == []


def test_workers_do_not_hold_the_ledger_or_the_manifest_parts_open(tmp_path, monkeypatch) -> None:
    from pipeline.batch.job import PlanJob

    seen = tmp_path / "seen"
    started = PlanJob.start

    def start(self) -> None:  # in each worker, as it starts
        fds = Path("/proc/self/fd")
        names = [os.readlink(fds / fd) for fd in os.listdir(fds) if (fds / fd).is_symlink()]
        with seen.open("a") as handle:
            handle.writelines(f"{name}\n" for name in names)
        started(self)

    monkeypatch.setattr(PlanJob, "start", start)
    out = tmp_path / "out"
    options = BuildOptions(out_dir=out, merge=False, workers=2)
    build(sample_plans(2, "F"), [load_payer("clinical")], load_agency("riverside"), options)
    held = seen.read_text().splitlines()
    assert held  # the workers looked
    assert not [name for name in held if name.startswith(str(out))]
