"""The version store: numbering, no duplicates, immutability, migrations, location."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from pipeline.errors import ConfigError, InputError
from pipeline.model import Provenance, Source
from pipeline.versions.store import (
    ENV_VAR,
    MIGRATIONS,
    SCHEMA_VERSION,
    Origin,
    StaleVersion,
    Store,
    resolve_path,
)
from tests.support import DATA
from tests.versions.versions_helpers import sample_plan

CLOCK = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)


def make_store(tmp_path: Path) -> Store:
    return Store(tmp_path / "plans.sqlite3", clock=lambda: CLOCK)


def test_versions_are_numbered_per_client(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    first = store.save(sample_plan("A"), inputs=["a.csv"], reason="build")
    other = store.save(sample_plan("B"), inputs=["b.csv"], reason="build")
    second = store.save(
        sample_plan("A", intake_date=dt.date(2024, 1, 3)), inputs=["a2.csv"], reason="build"
    )
    assert (first.number, other.number, second.number) == (1, 1, 2)
    assert [v.number for v in store.history("A")] == [1, 2]
    assert store.get("A").number == 2
    assert store.get("A", 1).plan == sample_plan("A")
    assert second.inputs == ("a2.csv",) and second.reason == "build"
    assert second.created_at == CLOCK
    assert store.clients() == ["A", "B"]
    assert [v.client_id for v in store.latest_all()] == ["A", "B"]


def test_unchanged_plan_makes_no_new_version(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    plan = sample_plan()
    assert store.save(plan, inputs=["x.csv"], reason="build") is not None
    assert store.save(plan, inputs=["x.csv"], reason="build") is None
    moved = plan.model_copy(update={"provenance": Provenance(sources=(Source(file="y.csv"),))})
    assert store.save(moved, inputs=["y.csv"], reason="build") is None
    assert len(store.history(plan.client.id)) == 1
    # back to an earlier content after a change is a new version, not a rewrite
    changed = sample_plan(plan_date=dt.date(2024, 1, 9))
    assert store.save(changed, inputs=["x.csv"], reason="build").number == 2
    assert store.save(plan, inputs=["x.csv"], reason="build").number == 3


def test_clock_never_enters_the_plan(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    version = store.save(sample_plan(), inputs=[], reason="build")
    assert "2024-05-06" not in version.plan_json
    later = Store(tmp_path / "plans.sqlite3", clock=lambda: CLOCK + dt.timedelta(days=3))
    assert later.save(sample_plan(), inputs=[], reason="build") is None


def test_versions_cannot_be_changed_or_deleted(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.save(sample_plan(), inputs=[], reason="build")
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        store.conn.execute("UPDATE versions SET reason = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        store.conn.execute("DELETE FROM versions")


def test_save_many_is_all_or_nothing(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    good = (sample_plan("A"), ["r.csv"], "review", ())
    bad = (sample_plan("B"), ["r.csv"], None, ())  # NOT NULL reason fails inside the batch
    with pytest.raises(sqlite3.IntegrityError):
        store.save_many([good, bad])
    assert store.clients() == []


def test_one_batch_numbers_a_client_in_turn_and_saves_as_one_call_would(tmp_path: Path) -> None:
    """save_many asks for every client's latest version at once: entries for one client in
    the same batch still get consecutive numbers, an entry equal to the one before it adds
    nothing, a stale entry saves nothing of the batch, and the rows are those single saves
    would have written."""
    store, single = make_store(tmp_path), Store(tmp_path / "one.sqlite3", clock=lambda: CLOCK)
    a1, a2 = sample_plan("A"), sample_plan("A", intake_date=dt.date(2024, 1, 3))
    store.save(a1, inputs=["a.csv"], reason="build")
    single.save(a1, inputs=["a.csv"], reason="build")
    batch = [(a2, ["a2.csv"], "build", ["clinical"]), (a2, ["a2.csv"], "build", ()),
             (sample_plan("B"), ["b.csv"], "build", ()), (a1, ["a.csv"], "build", ())]  # fmt: skip
    saved = store.save_many(batch)
    assert [v and (v.client_id, v.number) for v in saved] == [("A", 2), None, ("B", 1), ("A", 3)]
    expected = [single.save(p, inputs=i, reason=r, payers=y) for p, i, r, y in batch]
    assert saved == expected
    rows = "SELECT * FROM versions ORDER BY id"
    assert [tuple(r) for r in store.conn.execute(rows)] == [
        tuple(r) for r in single.conn.execute(rows)
    ]
    assert store.get("A", 3) == single.get("A", 3)
    stale = Origin(kind="review", expected=2)  # A's latest is 3 by now
    with pytest.raises(StaleVersion):
        store.save_many([(sample_plan("C"), [], "build", ()), (a2, [], "review", (), stale)])
    assert store.clients() == ["A", "B"]


def test_schema_migrates_forward(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute(
        "INSERT INTO versions (client_id, number, plan_json, content_hash, created_at, inputs,"
        " reason) VALUES (?, 1, ?, 'old', '2024-01-01T00:00:00+00:00', '[]', 'build')",
        ("A", sample_plan("A").model_dump_json()),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.get("A").payers == ()
    assert store.save(sample_plan("A"), inputs=[], reason="b", payers=["x"]).payers == ("x",)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ConfigError, match="newer txplan"):
        Store(path).clients()


def test_not_a_database_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match=r"junk\.sqlite3"):
        Store(path).clients()


def test_unknown_version_is_a_located_error(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    store.save(sample_plan("A"), inputs=[], reason="build")
    with pytest.raises(InputError, match="no version 7 for client 'A'"):
        store.get("A", 7)


def test_location_option_env_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.sqlite3"))
    assert resolve_path("opt.sqlite3") == Path("opt.sqlite3")
    assert resolve_path(None) == tmp_path / "env.sqlite3"
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_path(None) == tmp_path / "xdg" / "txplan" / "plans.sqlite3"


def test_build_saves_each_built_plan_once(tmp_path: Path) -> None:
    from pipeline.batch.build import BuildOptions, build
    from pipeline.model import Plan
    from pipeline.profiles import load_agency, load_payer

    full = DATA / "render" / "full.json"
    plan = Plan.model_validate_json(full.read_text(encoding="utf-8"))
    store = make_store(tmp_path)
    payers = [load_payer("clinical"), load_payer("medicare-poc")]
    options = BuildOptions(out_dir=tmp_path / "out", merge=False, store=store)
    first = build([plan], payers, load_agency("riverside"), options)
    [(client, version)] = first.versions
    assert (client, version.number) == (plan.client.id, 1)
    assert version.payers == ("clinical", "medicare-poc")
    assert version.inputs == ("intake.xlsx",) and version.reason == "build"
    again = build([plan], payers, load_agency("riverside"), options)
    assert again.versions == [(plan.client.id, None)]
    assert len(store.history(plan.client.id)) == 1


def test_tests_never_touch_the_users_store() -> None:
    assert "pytest" in str(resolve_path(None))  # tests/conftest.py points TXPLAN_STORE here
