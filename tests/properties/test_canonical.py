"""The canonical JSON encoded straight from the model is the reference encoding, for any plan.

The reference is what versions were hashed with before: pydantic's JSON-mode dump, each member
written by ``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)``. Strings
are drawn from all of Unicode but surrogates (control characters, quotes, backslashes, line
separators, emoji), so every escape is exercised.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import (
    Client,
    Diagnosis,
    Goal,
    Intervention,
    Measure,
    Objective,
    ObjectiveProgress,
    ObjectiveStatus,
    Origin,
    Plan,
    Provenance,
    Revision,
    RevisionChange,
    Risk,
    RiskLevel,
    SafetyPlan,
    Signer,
    Source,
    canonical,
    encoders,
)
from pipeline.model.canonical import canonical_and_hashed, hashed_form, reference_members

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
MAYBE = st.none() | TEXT
DATES = st.none() | st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31))
NUMBERS = st.integers(-(2**70), 2**70)

OBJECTIVES = st.builds(
    Objective, id=TEXT, text=TEXT, measure=MAYBE, baseline=MAYBE, baseline_date=DATES,
    target=MAYBE, target_date=DATES, status=st.sampled_from(ObjectiveStatus),
    origin=st.sampled_from(Origin), bank_id=MAYBE,
)  # fmt: skip
GOALS = st.builds(
    Goal, id=TEXT, client_words=TEXT, description=MAYBE,
    diagnosis_codes=st.lists(TEXT, max_size=2).map(tuple),
    objectives=st.lists(OBJECTIVES, max_size=2).map(tuple),
    interventions=st.lists(st.builds(Intervention, id=TEXT, modality=TEXT, rationale=MAYBE),
                           max_size=2).map(tuple),
)  # fmt: skip
SOURCES = st.builds(Source, file=TEXT, sheet=MAYBE, row=st.none() | NUMBERS, column=MAYBE)
REVISIONS = st.builds(
    Revision, date=DATES, reason=MAYBE,
    changes=st.lists(st.builds(RevisionChange, target=TEXT, change=TEXT, rationale=TEXT),
                     max_size=2).map(tuple),
    progress=st.lists(st.builds(ObjectiveProgress, objective=TEXT,
                                status=st.sampled_from(ObjectiveStatus), note=MAYBE),
                      max_size=2).map(tuple),
)  # fmt: skip
FLAGS = st.none() | st.booleans()
PLANS = st.builds(
    Plan,
    client=st.builds(Client, id=TEXT, first_name=MAYBE, date_of_birth=DATES,
                     dependents=st.none() | st.integers(0, 2**40), student=FLAGS),
    plan_date=DATES,
    risk=st.builds(Risk, suicidal_ideation=st.booleans(),
                   level=st.none() | st.sampled_from(RiskLevel)),
    diagnoses=st.lists(st.builds(Diagnosis, code=TEXT, billable=FLAGS), max_size=2).map(tuple),
    measures=st.lists(st.builds(Measure, instrument=TEXT,
                                items=st.lists(NUMBERS, max_size=3).map(tuple),
                                total=st.none() | NUMBERS), max_size=2).map(tuple),
    goals=st.lists(GOALS, max_size=2).map(tuple),
    safety_plan=st.none() | st.builds(SafetyPlan,
                                      warning_signs=st.lists(TEXT, max_size=2).map(tuple)),
    provenance=st.builds(Provenance, sources=st.lists(SOURCES, max_size=2).map(tuple),
                         fields=st.dictionaries(TEXT, SOURCES, max_size=3), icd10cm=MAYBE),
    revision=st.none() | REVISIONS,
    reviews=st.lists(REVISIONS, max_size=2).map(tuple),
)  # fmt: skip


def _reference(plan: Plan) -> tuple[str, str]:
    members = reference_members(plan)
    full = "{" + ",".join(members.values()) + "}"
    members["provenance"] = reference_members_of_empty()
    return full, "{" + ",".join(members.values()) + "}"


def reference_members_of_empty() -> str:
    return '"provenance":' + canonical.encode_value(Provenance().model_dump(mode="json"))


@pytest.fixture
def no_reference(monkeypatch):
    """Fail if a plan goes the reference way: the generated encoders must cover the model."""

    def refuse(plan):
        raise AssertionError("the plan went the reference way")

    monkeypatch.setattr(canonical, "reference_members", refuse)


@settings(max_examples=300, deadline=None)
@given(plan=PLANS)
def test_encoded_from_the_model_as_the_reference_writes_it(plan: Plan) -> None:
    expected = _reference(plan)
    encode = canonical._plan_encoder(Plan)  # never the reference way
    head, member, tail, _ = encode(plan, True, canonical._nothing(Plan), ())
    assert (head + member + tail, head + reference_members_of_empty() + tail) == expected
    assert canonical_and_hashed(plan) == expected
    assert hashed_form(plan) == expected[1]


def test_the_sample_plans_never_go_the_reference_way(no_reference) -> None:
    from tests.versions.test_content_hash import known_plans

    for _name, plan in known_plans():
        canonical_and_hashed(plan)
        hashed_form(plan)


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydantic's, on the reference way
def test_a_value_its_field_does_not_allow_goes_the_reference_way() -> None:
    """model_copy does not validate: a list where a tuple belongs, a datetime for a date, a
    plain string for an enum, a subclass of a part; each is encoded as before."""
    plan = Plan(client=Client(id="C1"), goals=(Goal(id="G1", client_words="w"),))
    goal = plan.goals[0]

    class Special(Signer):
        pass

    odd = [
        plan.model_copy(update={"goals": list(plan.goals)}),
        plan.model_copy(update={"plan_date": dt.datetime(2026, 1, 2, 3, 4)}),
        plan.model_copy(update={"goals": (goal.model_copy(update={"origin": "bank"}),)}),
        plan.model_copy(update={"signatures": plan.signatures.model_copy(
            update={"supervisor": Special(name="S")})}),
        plan.model_copy(update={"client": plan.client.model_copy(update={"dependents": True})}),
    ]  # fmt: skip
    encode = canonical._plan_encoder(Plan)
    for changed in odd:
        with pytest.raises(encoders.Unexpected):  # noqa: PT012 - the fast way refuses it
            encode(changed, True, canonical._nothing(Plan), ())
        assert canonical_and_hashed(changed) == _reference(changed)
        assert hashed_form(changed) == _reference(changed)[1]


@settings(max_examples=200, deadline=None)
@given(
    first=PLANS,
    other=PLANS,
    taken=st.sets(st.sampled_from(sorted(Plan.model_fields))),
    full=st.booleans(),
)
def test_a_plan_made_from_the_last_one_encoded_is_encoded_as_the_reference_writes_it(
    first: Plan, other: Plan, taken: set[str], full: bool
) -> None:
    """The merge keeps the parts it does not change: a plan sharing members with the plan
    encoded just before it reuses their texts, and its forms are still the reference's."""
    made = first.model_copy(update={name: getattr(other, name) for name in taken})
    if full:
        canonical_and_hashed(first)
    else:
        hashed_form(first)
    assert canonical._LAST[0] is first
    assert canonical_and_hashed(made) == _reference(made)
    assert hashed_form(other) == _reference(other)[1]
    assert canonical_and_hashed(made) == _reference(made)


def test_a_member_holding_a_dict_is_encoded_again() -> None:
    """A dict is mutable, so its identity is no promise of its value: provenance (the one
    member holding one) is never taken from the plan encoded before."""
    plan = Plan(client=Client(id="C1"), provenance=Provenance(fields={"a": Source(file="x")}))
    before = canonical_and_hashed(plan)
    plan.provenance.fields["b"] = Source(file="y")  # never done by txplan; a mutable value
    after = canonical_and_hashed(plan)
    assert after != before
    assert after == _reference(plan)


@settings(max_examples=150, deadline=None)
@given(plans=st.lists(PLANS, min_size=2, max_size=4), data=st.data())
def test_parts_shared_by_plans_encoded_before_are_encoded_as_the_reference_writes_them(
    plans: list[Plan], data: st.DataObject
) -> None:
    """Goals, objectives and interventions remember their texts by identity (the merge shares
    them between plans): a plan made of parts of plans encoded before, in any mix, is still
    encoded as the reference writes it."""
    goals = [g for p in plans for g in p.goals]
    objectives = [o for g in goals for o in g.objectives]
    interventions = [i for g in goals for i in g.interventions]
    for plan in plans:
        assert canonical_and_hashed(plan) == _reference(plan)
        taken = data.draw(st.lists(st.sampled_from(goals), max_size=3)) if goals else []
        mixed = [
            Goal(
                id=data.draw(TEXT), client_words=data.draw(TEXT),
                objectives=tuple(data.draw(st.lists(st.sampled_from(objectives), max_size=2)))
                if objectives else (),
                interventions=tuple(
                    data.draw(st.lists(st.sampled_from(interventions), max_size=2))
                ) if interventions else (),
            ),
            *taken,
        ]  # fmt: skip
        made = plan.model_copy(update={"goals": tuple(mixed)})
        assert canonical_and_hashed(made) == _reference(made)
        assert hashed_form(made) == _reference(made)[1]


def _texts(encode: object) -> dict:
    """The texts a generated encoder remembers."""
    return next(v for v in encode.__globals__.values() if type(v) is dict and v is not  # type: ignore[attr-defined]
                encoders.ENCODERS and all(type(e) is tuple for e in v.values()))  # fmt: skip


def test_remembered_texts_are_bounded_and_kept_with_their_parts() -> None:
    """An encoder remembers at most ``TEXTS`` parts' texts, each with its part (so its id()
    is not reused while the text is remembered)."""
    encode = encoders.encoder(Objective)
    texts = _texts(encode)
    texts.clear()
    made = [Objective(id=f"o{n}", text="t", origin=Origin.BANK) for n in range(encoders.TEXTS + 5)]
    for objective in made:
        assert encode(objective) == canonical.encode_value(objective.model_dump(mode="json"))
    assert 0 < len(texts) <= encoders.TEXTS
    assert all(entry[0] is made[-1] for key, entry in texts.items() if key == id(made[-1]))
    assert encode(made[-1]) is texts[id(made[-1])][1]


def test_only_parts_shared_by_plans_are_remembered() -> None:
    """The goal bank's parts (shared by many plans) are remembered; a plan's own parts (the
    clinician's) are encoded the same and freed with their plan, not kept by the encoder."""
    import gc
    import weakref

    for cls, values in ((Objective, {"text": "t"}), (Intervention, {"modality": "CBT"}),
                        (Goal, {"client_words": "w"})):  # fmt: skip
        encode = encoders.encoder(cls)
        texts = _texts(encode)
        texts.clear()
        own, shared = cls(id="a", **values), cls(id="b", origin=Origin.BANK, **values)
        for part in (own, shared):
            assert encode(part) == canonical.encode_value(part.model_dump(mode="json"))
        assert list(texts) == [id(shared)]
        gone = weakref.ref(own)
        del own
        gc.collect()
        assert gone() is None


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.tuples(TEXT, MAYBE, st.none() | NUMBERS, st.none() | NUMBERS), min_size=1, max_size=3
    ),
    picks=st.lists(st.tuples(st.integers(0, 2), MAYBE, MAYBE), min_size=1, max_size=8),
)
def test_field_sources_sharing_their_row_are_encoded_as_the_reference_writes_them(
    values: list[tuple], picks: list[tuple]
) -> None:
    """A source's file, page, row and sheet text is kept for the next source with the very
    same values (a plan's field sources share one row): any sequence of sources, sharing
    those values or not, is encoded as the reference writes it, and so is the aside text."""
    encode = encoders.encoder(Source)
    sources = []
    for at, column, field in picks:
        file, sheet, row, page = values[at % len(values)]
        source = Source(file=file, sheet=sheet, row=row, page=page, column=column, field=field)
        assert encode(source) == canonical.encode_value(source.model_dump(mode="json"))
        sources.append(source)
    plan = Plan(client=Client(id="C1"), provenance=Provenance(
        fields={f"f{n}": s for n, s in enumerate(sources)}))  # fmt: skip
    fields = plan.model_dump(mode="json")["provenance"]["fields"]
    assert canonical.aside_text(plan) == canonical.encode_value(fields)


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydantic's, on the reference way
def test_date_texts_are_remembered_by_date_bounded_and_only_for_dates() -> None:
    """A date's text is remembered by the date (at most ``DATES``); a datetime of the same
    day, or a date before the year 1000, still goes the reference way."""
    encode = encoders.encoder(Measure)
    encoders._DATES.clear()
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(encoders.DATES + 7)]
    for day in [*days, *days[-3:], dt.date(999, 12, 31), dt.date(1000, 1, 1)]:
        measure = Measure(instrument="PHQ-9", total=5, date=day)
        expected = canonical.encode_value(measure.model_dump(mode="json"))
        if day.year < 1000:
            with pytest.raises(encoders.Unexpected):
                encode(measure)
        else:
            assert encode(measure) == expected
            assert encoders._DATES[day] == f'"{day.isoformat()}"'
        assert 0 < len(encoders._DATES) <= encoders.DATES
    day = days[-1]
    assert day in encoders._DATES
    plan = Plan(client=Client(id="C1"), plan_date=day)
    changed = plan.model_copy(update={"plan_date": dt.datetime(day.year, day.month, day.day)})
    with pytest.raises(encoders.Unexpected):
        canonical._plan_encoder(Plan)(changed, True, canonical._nothing(Plan), ())
    assert canonical_and_hashed(changed) == _reference(changed)
    assert canonical_and_hashed(plan) == _reference(plan)
