"""A whole review file against the store, in the library: preview, then apply all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.versions.review_file import apply_review_file, payer_interval, preview_review_file
from pipeline.versions.store import Store
from tests.support import DATA
from tests.versions.versions_helpers import sample_plan

REVIEWS = DATA / "reviews"
REVIEW = REVIEWS / "review_90day.csv"


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "plans.sqlite3")
    store.save(sample_plan(), inputs=["intake.csv"], reason="build", payers=["medicaid-isp"])
    return store


def test_preview_saves_nothing_and_apply_saves_each_client_once(tmp_path) -> None:
    store = _store(tmp_path)
    preview = preview_review_file(REVIEW, store)
    assert preview.ok and not preview.saved
    assert [(c.client_id, c.base.number) for c in preview.clients] == [("C-1001", 1)]
    assert preview.clients[0].changes > 0
    assert [v.number for v in store.history("C-1001")] == [1]

    applied = apply_review_file(REVIEW, store, source="reviews/april.csv")
    assert applied.saved and applied.clients[0].saved.number == 2
    latest = store.latest("C-1001")
    assert latest.reason.endswith("(april.csv)") and latest.inputs == ("reviews/april.csv",)
    again = apply_review_file(REVIEW, store)
    assert again.saved and again.clients[0].saved is None  # the same review adds nothing


def test_a_file_with_an_error_saves_nothing(tmp_path) -> None:
    store = _store(tmp_path)
    result = apply_review_file(REVIEWS / "review_unknown_objective.csv", store)
    assert not result.ok and not result.saved
    assert any(f.code == "REV020" for f in result.findings)
    assert [v.number for v in store.history("C-1001")] == [1]


def test_a_client_without_a_stored_plan_is_rev040(tmp_path) -> None:
    result = preview_review_file(REVIEW, Store(tmp_path / "empty.sqlite3"))
    assert [f.code for f in result.findings if f.severity.value == "error"] == ["REV040"]


def test_apply_refuses_a_plan_changed_since_the_preview(tmp_path) -> None:
    store = _store(tmp_path)
    bases = {c.client_id: c.base.number for c in preview_review_file(REVIEW, store).clients}
    apply_review_file(REVIEW, store)  # someone else applied it meanwhile: version 2
    with pytest.raises(InputError, match="changed since the preview"):
        apply_review_file(REVIEW, store, expected=bases)


def test_interval_is_the_named_payers_else_the_shortest_of_the_plans() -> None:
    from pipeline.profiles import load_payer

    assert (
        payer_interval("medicare-poc")(("medicaid-isp",))
        == load_payer("medicare-poc").review_interval_days
    )
    days = [load_payer(p).review_interval_days for p in ("medicaid-isp", "medicare-poc")]
    assert payer_interval()(("medicaid-isp", "medicare-poc")) == min(days)
    assert payer_interval()(()) is None
