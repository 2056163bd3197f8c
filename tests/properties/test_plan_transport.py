"""A plan sent to a worker with its field sources aside makes the version the whole plan makes.

The parent sends a plan's JSON without ``provenance.fields`` (where each value was read: two
thirds of a plan's JSON) and those field sources as their canonical JSON
(:func:`pipeline.batch.job.transport`); the worker validates the rest and puts them back
into the merged plan's canonical JSON (``record.prepare(plan, aside)``). For any plan:
the field sources sent aside are what validating them gives, the rest validates to the plan
without them, and the version record and content hashes are those of the whole plan, before
and after a change to the plan (the merge); anything the encoder does not take exactly, or
a character no document keeps, travels inside the plan as before.
"""

from __future__ import annotations

import warnings

from hypothesis import event, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from pipeline.batch.job import transport
from pipeline.model import Plan, Source
from pipeline.versions import record
from pipeline.writers.clean import needs_cleaning
from tests.properties.test_canonical import GOALS, NUMBERS, PLANS, SOURCES, TEXT

FIELDS = TypeAdapter(dict[str, Source])
PLAIN = st.text(st.characters(codec="ascii", categories=("L", "N", "P", "Zs")), max_size=12)
PLAIN_SOURCES = st.builds(Source, file=PLAIN, sheet=st.none() | PLAIN, row=st.none() | NUMBERS,
                          column=st.none() | PLAIN, page=st.none() | NUMBERS,
                          field=st.none() | PLAIN)  # fmt: skip
#: Field sources: plain (they go aside) or drawn from all of Unicode (they may not).
SOURCE_MAPS = st.dictionaries(PLAIN, PLAIN_SOURCES, max_size=6) | st.dictionaries(
    TEXT, SOURCES, max_size=3
)


def _with_fields(plan: Plan, fields: dict[str, Source]) -> Plan:
    provenance = plan.provenance.model_copy(update={"fields": fields})
    return plan.model_copy(update={"provenance": provenance})


@settings(max_examples=300, deadline=None)
@given(plan=PLANS, fields=SOURCE_MAPS, goals=st.lists(GOALS, max_size=2).map(tuple))
def test_a_plan_sent_with_its_field_sources_aside_makes_the_same_version(
    plan: Plan, fields: dict[str, Source], goals: tuple
) -> None:
    plan = _with_fields(plan, fields)
    sent, plan_json, aside, plan_hash = transport(plan)
    assert sent is plan
    if aside is None:  # travels whole: no field sources, or a character no document keeps
        assert plan_json == plan.model_dump_json()
        assert not fields or needs_cleaning(plan.provenance.model_dump_json())
        return
    event("sent aside")
    assert fields and not needs_cleaning(aside)
    assert FIELDS.validate_json(aside) == fields  # what validating them would have given
    received = Plan.model_validate_json(plan_json)
    assert received.provenance.fields == {}
    assert _with_fields(received, fields) == plan
    # the worker: the intake's hash, then the version of the merged plan, fields put back
    assert record.content_hash(received) == record.content_hash(plan)
    assert record.prepare(received, aside) == record.prepare(plan)
    merged = received.model_copy(update={"goals": goals})
    assert record.prepare(merged, aside) == record.prepare(_with_fields(merged, fields))
    # the ledger's plan hash stands for the field sources too
    other = {**fields, "client.id": Source(file="elsewhere.csv", row=2)}
    assert transport(_with_fields(plan, other))[3] != plan_hash


def test_field_sources_not_exactly_of_their_type_travel_inside_the_plan() -> None:
    class Cell(Source):
        pass

    plan = Plan.model_validate({"client": {"id": "C1"}})
    for source in (Source.model_construct(file="a.csv", row="5"), Cell(file="a.csv", row=5)):
        odd = _with_fields(plan, {"client.id": source})
        with warnings.catch_warnings():  # pydantic warns of the str it writes for an int
            warnings.simplefilter("ignore")
            _, plan_json, aside, _ = transport(odd)
        assert aside is None and '"fields":{"client.id"' in plan_json
        assert Plan.model_validate_json(plan_json).provenance.fields["client.id"].row == 5


def test_field_sources_with_a_character_no_document_keeps_travel_inside_the_plan() -> None:
    plan = Plan.model_validate({"client": {"id": "C1"}})
    for column in ("Name\x0b", "Name\u202e"):
        odd = _with_fields(plan, {"client.id": Source(file="a.csv", column=column)})
        _, plan_json, aside, _ = transport(odd)
        assert aside is None and plan_json == odd.model_dump_json()
    surrogate = _with_fields(plan, {"client.id": Source(file="a.csv", column="N\ud800")})
    cleaned, plan_json, aside, _ = transport(surrogate)
    assert aside is None and cleaned.provenance.fields["client.id"].column == "N"


def test_a_plan_that_holds_its_own_field_sources_refuses_others() -> None:
    plan = _with_fields(Plan.model_validate({"client": {"id": "C1"}}),
                        {"client.id": Source(file="a.csv")})  # fmt: skip
    try:
        record.prepare(plan, '{"x":{"file":"b.csv"}}')
    except ValueError as exc:
        assert "provenance.fields" in str(exc)
    else:
        raise AssertionError("field sources put aside over the plan's own")
