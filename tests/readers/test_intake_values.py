"""Cell values: dates, names, yes/no, numbers, lists, diagnosis cells, credentials, aliases."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import ValueProblem
from pipeline.readers.mapping.aliases import normalize, resolve
from pipeline.readers.mapping.dx_cells import parse_diagnoses
from pipeline.readers.mapping.paths import parse_path
from pipeline.readers.mapping.values import (
    date_in_text,
    looks_like_formula,
    parse_bool,
    parse_date,
    parse_full_name,
    parse_int,
    parse_last_first,
    split_credentials,
    split_ints,
    split_list,
    text,
)

D = dt.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(1990, 3, 5, 0, 0), D(1990, 3, 5)),
        (D(1990, 3, 5), D(1990, 3, 5)),
        (32937, D(1990, 3, 5)),
        (32937.0, D(1990, 3, 5)),
        ("32937", D(1990, 3, 5)),
        ("1990-03-05", D(1990, 3, 5)),
        ("1990-03-05T00:00:00", D(1990, 3, 5)),
        ("03/05/1990", D(1990, 3, 5)),
        ("3/5/1990", D(1990, 3, 5)),
        ("03-05-1990", D(1990, 3, 5)),
        ("3/5/90", D(1990, 3, 5)),
        ("19900305", D(1990, 3, 5)),
        ("March 5, 1990", D(1990, 3, 5)),
        ("Mar 5 1990", D(1990, 3, 5)),
        ("5 Mar 1990", D(1990, 3, 5)),
        ("5th March 1990", D(1990, 3, 5)),
        ("Monday, March 5, 1990", D(1990, 3, 5)),
        ("Sept. 30, 1998", D(1998, 9, 30)),
        ("1990/03/05", D(1990, 3, 5)),
    ],
)
def test_dates(value, expected) -> None:
    assert parse_date(value) == expected


def test_day_first_dates_need_the_profile_order() -> None:
    assert parse_date("05/03/1990", date_order="DMY") == D(1990, 3, 5)
    with pytest.raises(ValueProblem) as info:
        parse_date("28/11/1979")
    assert "date_order: DMY" in info.value.message
    assert parse_date("28/11/1979", date_order="DMY") == D(1979, 11, 28)


@pytest.mark.parametrize("value", ["31/02/1990", "02/30/1990", "not yet", "13/13/2020", True, "0"])
def test_bad_dates_say_what_to_write(value) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_date(value)
    assert "is not a date; use YYYY-MM-DD or MM/DD/YYYY" in info.value.message
    assert f'"{text(value)}"' in info.value.message


def test_names_are_kept_exactly() -> None:
    name = parse_full_name("Zoë O'Connor-Núñez")
    assert (name.first, name.last) == ("Zoë", "O'Connor-Núñez")
    name = parse_last_first("O'Connor-Núñez, Zoë")
    assert (name.first, name.last) == ("Zoë", "O'Connor-Núñez")
    name = parse_last_first("Nguyen, Thi Mai")
    assert (name.first, name.middle, name.last) == ("Thi", "Mai", "Nguyen")
    name = parse_full_name("María de la Cruz")
    assert (name.first, name.last) == ("María", "de la Cruz")
    name = parse_full_name("Samuel J. Whitehorse Jr.")
    assert (name.first, name.middle, name.last) == ("Samuel", "J.", "Whitehorse Jr.")
    assert parse_full_name("Bell, Marcus").first == "Marcus"
    assert text("Zoe\u0308") == "Zoë"  # decomposed accents are composed (NFC)


def test_bools_and_ints() -> None:
    for yes in ("Yes", "y", "TRUE", "1", "x", "Endorsed", True):
        assert parse_bool(yes) is True
    for no in ("No", "n", "false", "0", "Denies", False):
        assert parse_bool(no) is False
    with pytest.raises(ValueProblem, match="Yes or No"):
        parse_bool("maybe")
    assert parse_int("53 min") == 53
    assert parse_int(53.0) == 53
    with pytest.raises(ValueProblem, match="not a whole number"):
        parse_int("fifty")


def test_lists_keep_leading_signs_but_drop_bullets() -> None:
    assert split_list("Creative; close to sister\n- kept job") == (
        "Creative",
        "close to sister",
        "kept job",
    )
    assert split_list("-sings; +runs") == ("-sings", "+runs")
    assert split_ints("2,3, 1 0") == (2, 3, 1, 0)
    with pytest.raises(ValueProblem):
        split_ints("2,x,1")


def test_diagnosis_cells() -> None:
    items = parse_diagnoses("F41.1 Generalized anxiety disorder; F43.10")
    assert [(i.code, i.description, i.provisional) for i in items] == [
        ("F41.1", "Generalized anxiety disorder", False),
        ("F43.10", None, False),
    ]
    items = parse_diagnoses("R/O F40.00 agoraphobia\nF41.0 (provisional)")
    assert [(i.code, i.description, i.provisional) for i in items] == [
        ("F40.00", "agoraphobia", True),
        ("F41.0", None, True),
    ]
    items = parse_diagnoses("Panic disorder - F41.0, f411")
    assert [i.code for i in items] == ["F41.0", "f411"]
    with pytest.raises(ValueProblem, match="no ICD-10-CM code"):
        parse_diagnoses("depression")


def test_credentials_are_split_from_clinician_names() -> None:
    assert split_credentials("Dana Whitfield, LCSW") == ("Dana Whitfield", "LCSW")
    assert split_credentials("Priya Desai, LPC-Associate") == ("Priya Desai", "LPC-Associate")
    assert split_credentials("Elena Vasquez, PsyD") == ("Elena Vasquez", "PsyD")
    assert split_credentials("Bell, Marcus") == ("Bell, Marcus", None)


def test_formula_like_text_is_recognized() -> None:
    for value in ('=HYPERLINK("x")', "+1 555", "-sings", "@SUM(A1)"):
        assert looks_like_formula(value)
    assert not looks_like_formula("Zoë")
    assert not looks_like_formula(12)


@pytest.mark.parametrize(
    ("label", "path"),
    [
        ("Client #", "client.id"),
        ("MRN", "client.id"),
        ("Legal First Name", "client.first_name"),
        ("Given Name", "client.first_name"),
        ("Client First Name", "client.first_name"),
        ("Birth Date", "client.date_of_birth"),
        ("Date of Birth (MM/DD/YYYY)", "client.date_of_birth"),
        ("Client Name", "client.name"),
        ("Name (Last, First)", "client.name_last_first"),
        ("Diagnosis 2", "diagnoses[2].code"),
        ("Dx2 Description", "diagnoses[2].description"),
        ("ICD-10 Codes", "diagnoses[].code"),
        ("PHQ-9 Item 9", "measures[PHQ-9].items[9]"),
        ("PHQ9_Q9", "measures[PHQ-9].items[9]"),
        ("GAD7_Q1", "measures[GAD-7].items[1]"),
        ("GAD-7 Total", "measures[GAD-7].total"),
        ("AUDIT-C Score", "measures[AUDIT-C].total"),
        ("Item 3", "measures[].items[3]"),
        ("Goal 1 (client's words)", "goals[1].client_words"),
        ("Objective 1.1", "goals[1].objectives[1].text"),
        ("Objective 2.1 Target Date", "goals[2].objectives[1].target_date"),
        ("Goal 1 Objective 1 Baseline", "goals[1].objectives[1].baseline"),
        ("Intervention 1.1", "goals[1].interventions[1].modality"),
        ("Reason Client Did Not Sign", "signatures.client_unsigned_reason"),
        ("Predisposing", "formulation.predisposing"),
        ("PHQ-9 Severity", "ignore"),
    ],
)
def test_aliases(label: str, path: str) -> None:
    assert resolve(label) == path
    assert parse_path(path) is not None


def test_unknown_labels_and_paths() -> None:
    assert resolve("Favourite colour") is None
    assert parse_path("client.shoe_size") is None
    assert parse_path("diagnoses[x].code") is None
    assert parse_path("measures[PHQ-9].items[9]").item == 9
    assert normalize("PHQ9_Q9") == "phq 9 q 9"


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet="0123456789/-. x", min_size=10, max_size=10),
    st.sampled_from(["MDY", "DMY"]),
    st.booleans(),
)
def test_the_date_shortcut_reads_as_the_patterns_do(raw: str, order: str, past: bool) -> None:
    """MM/DD/YYYY and YYYY-MM-DD are read without the regular expressions; the result (or
    the problem) is the one the patterns give."""
    for written in (raw, f"{raw[:2]}/{raw[3:5]}/{raw[6:]}", f"{raw[:4]}-{raw[5:7]}-{raw[8:]}"):
        try:
            expected: object = date_in_text(written.strip(), order, past)
        except ValueProblem as exc:
            expected = exc.message
        try:
            got: object = parse_date(written, date_order=order, past=past)
        except ValueProblem as exc:
            got = exc.message
        assert got == expected, written


@pytest.mark.parametrize(
    "written", ["01/05/2026", "12/31/1999", "13/01/2020", "02/30/2020", "2026-01-05", "2026-13-05"]
)
def test_the_date_shortcut_on_real_shapes(written: str) -> None:
    for order in ("MDY", "DMY"):
        try:
            expected: object = date_in_text(written, order)
        except ValueProblem as exc:
            expected = exc.message
        try:
            got: object = parse_date(written, date_order=order)
        except ValueProblem as exc:
            got = exc.message
        assert got == expected
