"""Nothing lost: a row is recorded only once its version is in the store; a rerun checks the
store for every reused row; a damaged, busy or read-only store stops before any work; a worker
that dies fails only its own plans."""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

import pytest

from pipeline.batch.build import BuildOptions, build
from pipeline.batch.ledger import LEDGER
from pipeline.batch.pool import Pool
from pipeline.errors import InputError
from pipeline.versions.store import Store
from tests.batch.test_resume import plans, run


def _clients(store_path: Path) -> list[str]:
    with Store(store_path) as store:
        return store.clients()


def test_a_failed_store_save_records_no_row_and_the_rerun_saves_every_version(
    tmp_path, monkeypatch
) -> None:
    db, out = tmp_path / "plans.sqlite3", tmp_path / "out"

    def full_disk(self, entries):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "save_prepared", full_disk)
    with pytest.raises(sqlite3.OperationalError):
        run(out, plans(3), store=Store(db))
    ledger = (out / LEDGER).read_text(encoding="utf-8")
    assert '"key"' not in ledger  # no row claims a plan whose version never reached the store
    monkeypatch.undo()
    again = run(out, plans(3), store=Store(db))
    assert again.skipped == 0 and again.versions_saved == 3
    assert _clients(db) == ["R-0001", "R-0002", "R-0003"]


def test_a_rerun_rebuilds_plans_whose_versions_the_store_lacks(tmp_path) -> None:
    db, out = tmp_path / "plans.sqlite3", tmp_path / "out"
    first = run(out, plans(3), store=Store(db))
    assert first.versions_saved == 3
    again = run(out, plans(3), store=Store(db))
    assert again.skipped == 6 and again.versions_unchanged == 3  # verified, reused
    db.unlink()  # the store lost them (another disk, a restore from an old backup)
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    third = run(out, plans(3), store=Store(db))
    assert third.skipped == 0 and third.versions_saved == 3
    assert _clients(db) == ["R-0001", "R-0002", "R-0003"]


def test_a_damaged_store_stops_the_build_before_any_document(tmp_path) -> None:
    db, out = tmp_path / "plans.sqlite3", tmp_path / "out"
    run(tmp_path / "first", plans(40), store=Store(db))
    with Store(db) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 2048] = os.urandom(2048)  # garbage in the middle
    db.write_bytes(bytes(data))
    with pytest.raises(InputError, match="damaged|not a usable"):
        run(out, plans(2), store=Store(db))
    assert not list(out.glob("*.docx"))


def test_a_busy_store_is_reported_as_busy(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(Store, "busy_timeout", 0.1)
    db = tmp_path / "plans.sqlite3"
    Store(db).check()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(InputError, match="busy"):
            Store(db).check()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_store_path_that_is_a_symlink_is_refused(tmp_path) -> None:
    target = tmp_path / "elsewhere.sqlite3"
    Store(target).check()
    link = tmp_path / "plans.sqlite3"
    link.symlink_to(target)
    with pytest.raises(InputError, match="symbolic link"):
        Store(link).check()


def test_a_new_store_is_private(tmp_path) -> None:
    db = tmp_path / "private" / "plans.sqlite3"
    Store(db).check()
    assert db.stat().st_mode & 0o777 == 0o600
    assert db.parent.stat().st_mode & 0o777 == 0o700


class _Dies:
    """A job whose task 2 kills its own worker (as the OOM killer would)."""

    def run(self, task: int) -> str:
        if task == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        return f"done {task}"

    def budget(self, task: int) -> float:
        return 30.0

    def timed_out(self, task: int, seconds: float) -> str:
        return f"timed out {task}"

    def crashed(self, task: int, why: str) -> str:
        return f"crashed {task}: {why}"


def test_a_dead_worker_fails_its_task_with_a_message_and_the_batch_goes_on() -> None:
    with Pool(_Dies(), workers=2) as pool:
        results = list(pool.imap((True, n) for n in range(8)))
    assert results[2].startswith("crashed 2: the worker process died (killed by SIGKILL")
    assert [r for i, r in enumerate(results) if i != 2] == [f"done {n}" for n in range(8) if n != 2]


def test_a_worker_found_dead_when_sending_is_replaced() -> None:
    with Pool(_Dies(), workers=2) as pool:
        for worker in pool._workers:  # both die before any task is sent
            worker.process.kill()
            worker.process.join()
        results = list(pool.imap((True, n) for n in (0, 1, 3, 4, 5)))
    died = [r for r in results if "died" in r]
    assert 1 <= len(died) <= 2 and all(r.startswith("crashed") for r in died)
    assert len(results) == 5 and "done 5" in results


def test_build_with_a_killed_worker_keeps_every_other_plan(tmp_path, monkeypatch) -> None:
    from pipeline.batch import job as job_module

    real = job_module.PlanJob.run

    def run_or_die(self, task):
        if '"R-0002"' in task.plan_json:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, task)

    monkeypatch.setattr(job_module.PlanJob, "run", run_or_die)
    result = build(plans(4), [__import__("pipeline.profiles").profiles.load_payer("clinical")],
                   __import__("pipeline.profiles").profiles.load_agency("riverside"),
                   BuildOptions(out_dir=tmp_path, merge=False, workers=2))  # fmt: skip
    statuses = [(r.client_id, r.status) for r in result.rows]
    assert statuses == [("R-0001", "ok"), ("R-0002", "failed"), ("R-0003", "ok"),
                        ("R-0004", "ok")]  # fmt: skip
    assert "worker process died" in result.rows[1].findings[-1].message
    assert (tmp_path / "manifest.csv").exists()


def test_a_build_leaves_the_collector_as_it_found_it(tmp_path) -> None:
    """A build raises the collector's young threshold and freezes what the batch keeps at
    each flush; both end with it (also when the build stops), and the rows are unchanged."""
    import gc

    from pipeline.profiles import load_agency, load_payer

    before = gc.get_threshold()
    payer, agency = [load_payer("clinical")], load_agency("riverside")
    two = build(plans(4), payer, agency, BuildOptions(out_dir=tmp_path / "a", merge=False,
                                                      workers=2))  # fmt: skip
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    one = build(plans(4), payer, agency, BuildOptions(out_dir=tmp_path / "b", merge=False))
    assert [r.as_json() for r in two.rows] == [r.as_json() for r in one.rows]

    def stops():
        yield from plans(2)
        raise RuntimeError("the input stopped")

    with pytest.raises(RuntimeError, match="input stopped"):
        build(stops(), payer, agency, BuildOptions(out_dir=tmp_path / "c", merge=False,
                                                   workers=2))  # fmt: skip
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
