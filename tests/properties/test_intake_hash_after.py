"""A worker hashes the intake after its merged plan's record: the same hash, and the memo kept.

The worker makes the merged plan's version record first (its parts shared with the merged
plan before it are not encoded again), then the intake's content hash with ``remember=False``:
the intake's parts the merge kept are the merged plan's very objects, so their texts are
reused, and the plan remembered for the next record stays the merged one.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Plan, canonical
from pipeline.model.canonical import canonical_and_hashed, hashed_form
from pipeline.versions import record
from tests.properties.test_canonical import PLANS, _reference


@settings(max_examples=200, deadline=None)
@given(
    intake=PLANS,
    other=PLANS,
    taken=st.sets(st.sampled_from(sorted(Plan.model_fields))),
)
def test_an_intake_hashed_after_its_merged_plan_has_the_reference_hash(
    intake: Plan, other: Plan, taken: set[str]
) -> None:
    merged = intake.model_copy(update={name: getattr(other, name) for name in taken})
    canonical_and_hashed(merged)
    last = canonical._LAST
    assert last[0] is merged
    assert hashed_form(intake, remember=False) == _reference(intake)[1]
    assert canonical._LAST is last  # the next plan's record still reuses the merged plan's
    assert record.content_hash(intake, remember=False) == record.content_hash(intake)
    assert canonical_and_hashed(merged) == _reference(merged)
