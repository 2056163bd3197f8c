"""Measures: PHQ-9, GAD-7, PCL-5 and AUDIT-C totals, every band boundary, risk and errors."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.clinical.measures import (
    ITEMS_INCOMPLETE,
    RISK_ITEM,
    SEX_UNKNOWN,
    TOTAL_MISMATCH,
    bands,
    canonical_instrument,
    reliable_change,
    risk_from_measures,
    score,
    severity,
)
from pipeline.errors import ValueProblem
from pipeline.findings import Severity
from pipeline.model import Measure

ITEMS = {"PHQ-9": (9, 3), "GAD-7": (7, 3), "PCL-5": (20, 4), "AUDIT-C": (3, 4)}


def responses(instrument: str, total: int) -> list[int]:
    """Item responses that add up to ``total`` (each within range), last items first.

    Filling from the end keeps PHQ-9 item 9 at 0 for totals up to 24.
    """
    count, top = ITEMS[instrument]
    items = [0] * count
    for index in reversed(range(count - 1)):
        items[index] = min(top, total - sum(items))
    items[-1] = min(top, total - sum(items))
    assert sum(items) == total
    return items


# Every boundary of every band, written out from the instruments' manuals.
BOUNDARIES = [
    ("PHQ-9", 0, "none-minimal"),
    ("PHQ-9", 4, "none-minimal"),
    ("PHQ-9", 5, "mild"),
    ("PHQ-9", 9, "mild"),
    ("PHQ-9", 10, "moderate"),
    ("PHQ-9", 14, "moderate"),
    ("PHQ-9", 15, "moderately severe"),
    ("PHQ-9", 19, "moderately severe"),
    ("PHQ-9", 20, "severe"),
    ("PHQ-9", 27, "severe"),
    ("GAD-7", 0, "minimal"),
    ("GAD-7", 4, "minimal"),
    ("GAD-7", 5, "mild"),
    ("GAD-7", 9, "mild"),
    ("GAD-7", 10, "moderate"),
    ("GAD-7", 14, "moderate"),
    ("GAD-7", 15, "severe"),
    ("GAD-7", 21, "severe"),
    ("PCL-5", 0, "below threshold"),
    ("PCL-5", 32, "below threshold"),
    ("PCL-5", 33, "probable PTSD"),
    ("PCL-5", 80, "probable PTSD"),
    ("AUDIT-C", 0, "negative screen (below both cut-offs: 3 women, 4 men; sex not recorded)"),
    ("AUDIT-C", 2, "negative screen (below both cut-offs: 3 women, 4 men; sex not recorded)"),
    (
        "AUDIT-C",
        3,
        "positive for a woman (cut-off 3), negative for a man (cut-off 4); sex not recorded",
    ),
    ("AUDIT-C", 4, "positive screen (above both cut-offs: 3 women, 4 men; sex not recorded)"),
    ("AUDIT-C", 12, "positive screen (above both cut-offs: 3 women, 4 men; sex not recorded)"),
]


@pytest.mark.parametrize(("instrument", "total", "band"), BOUNDARIES)
def test_band_boundaries_from_totals(instrument: str, total: int, band: str) -> None:
    assert severity(instrument, total) == band
    measure, _ = score(instrument, total=total)
    assert (measure.instrument, measure.total, measure.severity) == (instrument, total, band)
    assert measure.items == ()


@pytest.mark.parametrize(("instrument", "total", "band"), BOUNDARIES)
def test_band_boundaries_from_items(instrument: str, total: int, band: str) -> None:
    items = responses(instrument, total)
    measure, _ = score(instrument, items=items, date=dt.date(2025, 3, 4))
    if instrument == "PCL-5":  # the DSM-5 rule is reported beside the band
        band = measure.severity if measure.severity.startswith(f"{band}; DSM-5") else band
    assert measure == Measure(
        instrument=instrument, date=dt.date(2025, 3, 4), items=tuple(items), total=total,
        severity=band,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("sex", "total", "band"),
    [
        ("male", 3, "negative screen"),
        ("M", 4, "positive screen"),
        ("female", 2, "negative screen"),
        ("F", 3, "positive screen"),
        ("Woman", 12, "positive screen"),
        ("man", 0, "negative screen"),
        (
            "unknown",
            3,
            "positive for a woman (cut-off 3), negative for a man (cut-off 4); sex not recorded",
        ),
        (None, 4, "positive screen (above both cut-offs: 3 women, 4 men; sex not recorded)"),
    ],
)
def test_audit_c_cut_off_by_sex(sex: str | None, total: int, band: str) -> None:
    assert severity("AUDIT-C", total, sex) == band
    assert score("AUDIT-C", items=responses("AUDIT-C", total), sex=sex)[0].severity == band


def test_audit_c_says_when_an_unknown_sex_hides_a_positive_screen_for_women() -> None:
    _, findings = score("AUDIT-C", items=[1, 1, 1], where="row 3")
    assert [(f.code, f.severity, f.where) for f in findings] == [
        (SEX_UNKNOWN, Severity.INFO, "row 3")
    ]
    assert "cut-off 3" in findings[0].message
    assert score("AUDIT-C", items=[1, 1, 1], sex="female")[1] == ()
    assert score("AUDIT-C", total=5)[1] == ()  # positive either way: nothing to say


def test_sex_does_not_change_other_instruments() -> None:
    assert severity("PHQ-9", 12, "female") == severity("PHQ-9", 12, "male") == "moderate"
    assert bands("PHQ-9", "F") == bands("PHQ-9")


@pytest.mark.parametrize(
    ("item9", "flags"),
    [
        (0, {}),
        (1, {"suicidal_ideation": True, "safety_plan_required": True}),
        (2, {"suicidal_ideation": True, "safety_plan_required": True}),
        (3, {"suicidal_ideation": True, "safety_plan_required": True}),
    ],
)
def test_phq9_item9_raises_risk(item9: int, flags: dict[str, bool]) -> None:
    measure, findings = score("PHQ-9", items=[3, 3, 3, 3, 3, 3, 3, 3, item9], where="row 5")
    assert risk_from_measures([measure]) == flags
    risk_codes = [f for f in findings if f.code == RISK_ITEM]
    assert len(risk_codes) == (1 if item9 else 0)
    if item9:
        assert risk_codes[0].where == "row 5"
        assert "item 9" in risk_codes[0].message and f"is {item9}" in risk_codes[0].message


def test_risk_needs_item_responses_and_comes_from_any_measure() -> None:
    total_only, _ = score("PHQ-9", total=27)
    positive, _ = score("PHQ-9", items=[0] * 8 + [1])
    gad, _ = score("GAD-7", items=[3] * 7)
    assert risk_from_measures([total_only, gad]) == {}
    assert risk_from_measures([gad, total_only, positive]) == {
        "suicidal_ideation": True,
        "safety_plan_required": True,
    }
    assert risk_from_measures([]) == {}
    odd = Measure(instrument="Beck Depression Inventory", items=(3,) * 21, total=63)
    assert risk_from_measures([odd]) == {}


@pytest.mark.parametrize(
    ("instrument", "items", "given", "expected"),
    [
        ("PHQ-9", [1, 2, 3, 1, 2, 0, 1, 2, 0], 14, 12),
        ("GAD-7", [3, 3, 3, 3, 3, 3, 3], 20, 21),
        ("PCL-5", [2] * 20, 33, 40),
        ("PHQ-9", [1] * 9, 99, 9),  # an impossible total is only a contradiction here
    ],
)
def test_contradicting_total_is_a_warning_and_the_item_sum_wins(
    instrument: str, items: list[int], given: int, expected: int
) -> None:
    measure, findings = score(instrument, items=items, total=given, where="intake.csv, row 9")
    assert measure.total == expected
    assert measure.severity.startswith(severity(instrument, expected))
    (finding,) = [f for f in findings if f.code == TOTAL_MISMATCH]
    assert finding.severity is Severity.WARNING
    assert finding.where == "intake.csv, row 9"
    assert str(given) in finding.message and str(expected) in finding.message


def test_matching_total_gives_no_finding() -> None:
    assert score("GAD-7", items=[1, 1, 1, 1, 1, 1, 1], total=7)[1] == ()
    assert score("GAD-7", items=[1, 1, 1, 1, 1, 1, 1], total="7")[1] == ()


@pytest.mark.parametrize(
    ("instrument", "position", "value", "allowed"),
    [
        ("PHQ-9", 4, 4, "0-3"),
        ("PHQ-9", 9, -1, "0-3"),
        ("GAD-7", 7, 5, "0-3"),
        ("PCL-5", 20, 5, "0-4"),
        ("PCL-5", 1, 17, "0-4"),
        ("AUDIT-C", 2, 9, "0-4"),
    ],
)
def test_out_of_range_item_names_item_value_and_range(
    instrument: str, position: int, value: int, allowed: str
) -> None:
    count, _ = ITEMS[instrument]
    items = [0] * count
    items[position - 1] = value
    with pytest.raises(ValueProblem) as caught:
        score(instrument, items=items, where='intake.xlsx, sheet "Measures", row 4')
    message = caught.value.message
    assert f"{instrument} item {position} is {value}" in message
    assert f"allowed {allowed}" in message
    assert caught.value.where == 'intake.xlsx, sheet "Measures", row 4'


@pytest.mark.parametrize(
    ("instrument", "total"),
    [("PHQ-9", 28), ("PHQ-9", -1), ("GAD-7", 22), ("PCL-5", 81), ("AUDIT-C", 13)],
)
def test_out_of_range_total(instrument: str, total: int) -> None:
    with pytest.raises(ValueProblem, match=f"{instrument} total is {total}: allowed 0-"):
        score(instrument, total=total)
    with pytest.raises(ValueProblem, match="allowed"):
        severity(instrument, total)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"items": [1] * 8}, "PHQ-9 has 9 items but 8 were given"),
        ({"items": [1] * 10, "total": 9}, "PHQ-9 has 9 items but 10 were given"),
        ({"items": [1] * 8 + ["x"]}, "PHQ-9 item 9 is 'x': expected a whole number 0-3"),
        ({"items": [1.5] + [1] * 8}, "PHQ-9 item 1 is 1.5"),
        ({"items": [True] + [1] * 8}, "PHQ-9 item 1 is True"),
        ({"total": "many"}, "PHQ-9 total is 'many'"),
        ({}, "neither item responses nor a total"),
        ({"items": [], "total": None}, "neither item responses nor a total"),
        ({"items": [1, None, 1, 1, None, 1, 1, 1, 0]}, "items 2, 5 are blank"),
        ({"items": [1, 1, 1, 1, None, 1, 1, 1, 0]}, "item 5 is blank and txplan does not prorate"),
    ],
)
def test_unusable_input_is_a_value_problem(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueProblem, match=message.replace("(", r"\(")):
        score("PHQ-9", where="row 2", **kwargs)


def test_blank_items_with_a_total_keep_the_total_without_prorating() -> None:
    measure, findings = score("PHQ-9", items=[2, None, 2, 2, "", 2, 2, 2, 0], total=16)
    assert (measure.items, measure.total, measure.severity) == ((), 16, "moderately severe")
    assert [f.code for f in findings] == [ITEMS_INCOMPLETE]
    assert "items 2, 5 are blank" in findings[0].message


def test_blank_items_never_hide_a_positive_item_9() -> None:
    with pytest.raises(ValueProblem, match="item 2 is blank while item 9 .* is 1; .* risk flag"):
        score("PHQ-9", items=[2, None, 2, 2, 2, 2, 2, 2, 1], total=17)


def test_lenient_numbers_from_spreadsheets() -> None:
    measure, findings = score("GAD-7", items=["1", 2.0, " 3 ", 0, 0, 0, 0], total=6.0)
    assert (measure.items, measure.total, findings) == ((1, 2, 3, 0, 0, 0, 0), 6, ())


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("PHQ-9", "PHQ-9"),
        ("PHQ9", "PHQ-9"),
        ("phq-9", "PHQ-9"),
        ("PHQ 9", "PHQ-9"),
        ("phq_9", "PHQ-9"),
        ("Patient Health Questionnaire-9", "PHQ-9"),
        ("PHQ-9 Total", "PHQ-9"),
        ("PHQ9 score", "PHQ-9"),
        ("GAD7", "GAD-7"),
        ("gad 7", "GAD-7"),
        ("Generalized Anxiety Disorder-7", "GAD-7"),
        ("PCL5", "PCL-5"),
        ("PCL-5", "PCL-5"),
        ("PTSD Checklist for DSM-5", "PCL-5"),
        ("AUDITC", "AUDIT-C"),
        ("AUDIT-C", "AUDIT-C"),
        ("audit c", "AUDIT-C"),
        ("PHQ-2", None),
        ("PHQ", None),  # PHQ-2, PHQ-9 or PHQ-15: ambiguous
        ("GAD", None),
        ("PCL-C", None),
        ("BDI-II", None),
        ("AUDIT", None),
        ("total", None),
        ("", None),
    ],
)
def test_canonical_instrument(name: str, canonical: str | None) -> None:
    assert canonical_instrument(name) == canonical


def test_unknown_instrument_is_a_value_problem_listing_the_known_ones() -> None:
    with pytest.raises(ValueProblem, match="PHQ-9, GAD-7, PCL-5, AUDIT-C") as caught:
        score("BDI-II", total=12, where="row 7")
    assert caught.value.where == "row 7"


@pytest.mark.parametrize(
    ("name", "points"),
    [("PHQ-9", 5), ("phq9", 5), ("GAD-7", 4), ("PCL-5", 10), ("AUDIT-C", None), ("BDI", None)],
)
def test_reliable_change_defaults(name: str, points: int | None) -> None:
    assert reliable_change(name) == points


def test_bands_cover_every_total_without_gaps() -> None:
    for instrument, (count, top) in ITEMS.items():
        for sex in (None, "male", "female"):
            table = bands(instrument, sex)
            assert table[0].low == 0 and table[-1].high == count * top
            assert all(a.high + 1 == b.low for a, b in zip(table, table[1:], strict=False))


def test_all_items_blank_is_a_total_only_row_without_a_warning() -> None:
    measure, findings = score("PHQ-9", items=[None] * 9, total=11)
    assert (measure.items, measure.total, measure.severity, findings) == (
        (),
        11,
        "moderate",
        (),
    )
    with pytest.raises(ValueProblem, match="neither item responses nor a total"):
        score("PHQ-9", items=[None] * 9)
