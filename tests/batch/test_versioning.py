"""The build's version decisions with the store asked by chunk: one query a chunk of plans
says which clients have history; only those are looked up, and every decision is the one a
lookup a plan gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.batch import versioning
from pipeline.batch.versioning import Versioner
from pipeline.versions.store import Store
from tests.versions.versions_helpers import sample_plan


def _decisions(versioner: Versioner, plans: list) -> list:
    found = []
    for plan in plans:
        decision, pending = versioner.decide(plan, "in.csv")
        found.append((None if decision is None else (decision.action, decision.reason),
                      pending))  # fmt: skip
    return found


def test_prefetched_decisions_are_those_of_a_lookup_a_plan(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(versioning, "CHUNK", 3)
    store = Store(tmp_path / "plans.sqlite3")
    store.save(sample_plan("A"), inputs=["a.csv"], reason="build")
    store.save(sample_plan("D"), inputs=["d.csv"], reason="build")
    plans = [sample_plan(c, intake_date=dt.date(2024, 2, 1)) for c in "ABCDEFG"]
    plans.append(sample_plan("A"))  # the same intake as A's version: skipped, as before
    expected = _decisions(Versioner(store), plans)
    asked: list[str] = []
    latest = store.latest
    monkeypatch.setattr(store, "latest", lambda client: asked.append(client) or latest(client))
    prefetching = Versioner(store)
    got = [_decisions(prefetching, [plan])[0] for plan in prefetching.prefetch(plans)]
    assert got == expected
    assert [d is None for d, _ in got] == [c not in "AD" for c in "ABCDEFGA"]
    assert asked == ["A", "D", "A"]  # clients with history only
    # outside a prefetch (plans given one by one), each plan is looked up as before
    assert _decisions(prefetching, plans[:2]) == expected[:2] and asked[-2:] == ["A", "B"]


def test_the_first_plan_is_given_before_a_whole_chunk_is_read(tmp_path: Path) -> None:
    """The first chunks grow 1, 2, 4, ... up to CHUNK: the first plan goes on (to a worker)
    as soon as it is read; each chunk's clients are still asked of the store at once."""
    store = Store(tmp_path / "plans.sqlite3")
    plans = [sample_plan(f"C{n:03d}") for n in range(100)]
    read: list[int] = []

    def source():
        for n, plan in enumerate(plans):
            read.append(n)
            yield plan

    queries: list[int] = []
    marks = store.latest_marks
    store.latest_marks = lambda clients: queries.append(len(clients)) or marks(clients)
    versioner = Versioner(store)
    given = versioner.prefetch(source())
    assert next(given) is plans[0] and read == [0]
    assert list(given) == plans[1:]
    assert versioning.CHUNK == 32 and queries == [1, 2, 4, 8, 16, 32, 32, 5]  # 100 plans
