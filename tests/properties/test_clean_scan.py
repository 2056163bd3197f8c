"""A plan's canonical JSON tells the writers' clean check what pydantic's JSON tells it.

A build worker encodes each merged plan canonically for its version, and the writers' check
for characters no document keeps (:func:`pipeline.writers.clean.needs_cleaning`) reads that
JSON instead of encoding the plan once more with pydantic. Both encoders escape the same
characters the same way, so the answer must be the same for any plan, and never "clean" for
a plan holding a character :func:`~pipeline.writers.clean.clean_text` removes.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Plan
from pipeline.model.canonical import canonical_and_hashed
from pipeline.writers.clean import BAD, clean_plan, known_clean, needs_cleaning
from tests.properties.test_canonical import PLANS

#: Text that often holds what the writers remove (controls, DEL, bidi, U+FFFE/F) and what
#: JSON escapes (quote, backslash, b, f, u: an escaped backslash before them looks alike).
NASTY = st.text(
    st.sampled_from(["\x00", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\u202e", "\u2066", "\ufffe",
                     "\t", "\n", "\r", '"', "\\", "b", "f", "u", "0", "é", "x"]),
    max_size=8,
)  # fmt: skip


def _with(plan: Plan, text: str) -> Plan:
    client = plan.client.model_copy(update={"first_name": text})
    return plan.model_copy(update={"client": client})


@settings(max_examples=300, deadline=None)
@given(plan=PLANS, text=NASTY)
def test_the_canonical_json_is_scanned_as_pydantics(plan: Plan, text: str) -> None:
    plan = _with(plan, text)
    canonical = canonical_and_hashed(plan)[0]
    assert needs_cleaning(canonical) == needs_cleaning(plan.model_dump_json())
    dirty = any(BAD.search(s) for s in _strings(plan.model_dump(mode="json")))
    if dirty:
        assert needs_cleaning(canonical)
        assert not known_clean(plan, canonical)
        assert clean_plan(plan) is not plan
    elif known_clean(plan, canonical):
        assert clean_plan(plan) is plan  # remembered: not encoded again


def test_a_plan_found_dirty_is_cleaned_by_the_writers() -> None:
    plan = _with(Plan.model_validate({"client": {"id": "C1"}}), "Ann\x0bLee\u202e")
    assert not known_clean(plan, canonical_and_hashed(plan)[0])
    cleaned = clean_plan(plan)
    assert cleaned.client.first_name == "Ann\nLee"
    assert known_clean(cleaned, canonical_and_hashed(cleaned)[0])


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []
