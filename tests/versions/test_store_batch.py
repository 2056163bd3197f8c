"""A batch save writes the rows single saves would: its shared JSON columns and timestamps are
encoded once, and a build that keeps no rows gets counts instead of Version objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pipeline.versions.store import Origin, Store, prepare
from tests.versions.versions_helpers import sample_plan

START = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)


def ticking(step: dt.timedelta) -> Callable[[], dt.datetime]:
    """A clock that moves ``step`` on at each reading."""
    now = [START]

    def clock() -> dt.datetime:
        now[0] += step
        return now[0]

    return clock


def rows(store: Store) -> list[tuple]:
    return [tuple(r) for r in store.conn.execute("SELECT * FROM versions ORDER BY id")]


def entries() -> list[tuple]:
    sources = (("in/a.xlsx", "1" * 64), ("in/b.csv", "2" * 64))
    shared = Origin(kind="intake", intake_hash="h", sources=sources, statuses={"x": {"a": 1}})
    other = Origin(kind="update", sources=(("in/c.csv", "3" * 64),), statuses={"y": {}})
    found = []
    for n in range(12):
        inputs = ["in/a.xlsx"] if n % 3 else ("in/a.xlsx", "in/b.csv")
        payers = ["clinical", "medicare-poc"] if n % 2 else ("medicare-poc", "clinical", "clinical")
        plan = sample_plan(f"C{n % 5}", intake_date=dt.date(2024, 1, 1 + n))
        found.append((prepare(plan), inputs, "build", payers, shared if n % 4 else other))
    # lists in a tuple, and values unequal as text that compare equal as numbers
    found.append((prepare(sample_plan("D")), [], "build", (), Origin(sources=[["p", "q"]])))
    return found


def test_a_batch_writes_the_rows_of_single_saves_whatever_the_clock(tmp_path: Path) -> None:
    for step in (dt.timedelta(0), dt.timedelta(seconds=1), dt.timedelta(milliseconds=300)):
        batch = Store(tmp_path / f"batch{step}.sqlite3", clock=ticking(step))
        single = Store(tmp_path / f"single{step}.sqlite3", clock=ticking(step))
        saved = batch.save_prepared(entries())
        one_by_one = [single.save_prepared([entry])[0] for entry in entries()]
        assert saved == one_by_one
        assert rows(batch) == rows(single)
        if step:  # every version has the time the clock gave it, not the batch's first
            stamps = [r[0] for r in batch.conn.execute("SELECT created_at FROM versions")]
            assert len(set(stamps)) > 1


def test_a_batch_without_versions_saves_the_same_rows_and_says_which(tmp_path: Path) -> None:
    with_versions = Store(tmp_path / "a.sqlite3", clock=lambda: START)
    counted = Store(tmp_path / "b.sqlite3", clock=lambda: START)
    again = [*entries(), entries()[-1]]  # the last equals its client's latest: nothing new
    versions = with_versions.save_prepared(again)
    flags = counted.save_prepared(again, versions=False)
    assert flags == [None if v is None else True for v in versions]
    assert flags[-1] is None and flags.count(True) == len(entries())
    assert rows(with_versions) == rows(counted)
