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
