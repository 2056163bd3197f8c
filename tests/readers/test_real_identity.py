"""Real exports: id columns, names, derived ids, dates and sex (issue 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.readers import ReadOptions, read
from pipeline.readers.mapping.profile import profile_from_data
from tests.support import write_csv


def _plans(path: Path, **options):
    results = list(read(path, ReadOptions(**options)))
    return [r.plan for r in results if r.plan], [f for r in results for f in r.findings]


@pytest.mark.parametrize(
    "label",
    [
        "record_id", "PATID", "PAT_ID", "PAT_MRN_ID", "pid", "pubpid", "Patient MRN",
        "External ID", "Client Id", "Chart #", "Account #", "Patient ID", "MRN #",
        "Medical Record Number",
    ],
)  # fmt: skip
def test_id_columns_of_real_systems(tmp_path: Path, label: str) -> None:
    path = write_csv(tmp_path / "x.csv", [label, "Diagnosis"], ["A-17", "F41.1"])
    plans, _ = _plans(path)
    assert [p.client.id for p in plans] == ["A-17"]


def test_a_row_key_id_is_never_the_client_id(tmp_path: Path) -> None:
    header = ["id", "date", "pid", "interest_score", "suicide_score"]
    path = write_csv(tmp_path / "form_phq9.csv", header, ["1", "2026-01-05", "44", "1", "0"])
    results = list(read(path, ReadOptions(explain=True)))
    assert [r.where for r in results if r.plan is None and r.findings[-1].code == "IN005"] == [
        f"{path}, row 2 (client 44)"
    ]
    explained = {f.message for r in results for f in r.findings if f.code in ("IN010", "IN011")}
    assert '"id" ignored (another column is the client id)' in explained


def test_a_client_column_holding_names_is_a_name_not_the_id(tmp_path: Path) -> None:
    header = ["Client ID", "Client", "Diagnosis"]
    path = write_csv(
        tmp_path / "x.csv", header, ["1", "Rivera, Ana", "F41.1"], ["2", "Rivera, Ana", "F32.1"]
    )
    plans, _ = _plans(path)
    assert [(p.client.id, p.client.last_name, p.client.first_name) for p in plans] == [
        ("1", "Rivera", "Ana"),
        ("2", "Rivera", "Ana"),
    ]


def test_synthea_patient_column_holding_uuids_is_the_id(tmp_path: Path) -> None:
    uuid = "1d604da9-9a81-4ba9-80c2-de3375d59b40"
    path = write_csv(
        tmp_path / "conditions.csv",
        ["START", "PATIENT", "Diagnosis", "DESCRIPTION"],
        ["2026-01-05", uuid, "F41.1", "GAD"],
    )
    plans, _ = _plans(path)
    assert [p.client.id for p in plans] == [uuid]


@pytest.mark.parametrize(
    ("label", "cell", "last", "first", "middle"),
    [
        ("Patient", "RIVERA,ANA M", "RIVERA", "ANA", "M"),
        ("Patient Name", "Rivera, Ana", "Rivera", "Ana", None),
        ("PAT_NAME", "O'CONNOR-NUNEZ,ZOE", "O'CONNOR-NUNEZ", "ZOE", None),
    ],
)
def test_last_first_names_are_split(tmp_path: Path, label, cell, last, first, middle) -> None:
    path = write_csv(tmp_path / "x.csv", ["MRN", label, "Diagnosis"], ["9", cell, "F41.1"])
    (plan,), _ = _plans(path)
    assert (plan.client.last_name, plan.client.first_name, plan.client.middle_name) == (
        last,
        first,
        middle,
    )


def test_no_id_gives_a_stable_derived_id_and_a_warning(tmp_path: Path) -> None:
    header = ["Client", "DOB", "Diagnosis"]
    rows = (["Rivera, Ana", "1990-01-02", "F41.1"], ["Rivera, Ana", "1991-05-06", "F32.1"])
    path = write_csv(tmp_path / "x.csv", header, *rows)
    plans, findings = _plans(path)
    again, _ = _plans(path)
    ids = [p.client.id for p in plans]
    assert len(set(ids)) == 2 and all(i.startswith("TX-") for i in ids)  # never merged
    assert ids == [p.client.id for p in again]
    assert sum(1 for f in findings if f.code == "IN043" and ids[0] in f.message) == 1


def test_profile_takes_the_id_from_the_file_name(tmp_path: Path) -> None:
    profile = profile_from_data({"id_from_filename": r"(?P<id>\d+)_intake"}, "p.yaml")
    path = write_csv(
        tmp_path / "4417_intake.csv",
        ["Client", "DOB", "Diagnosis"],
        ["Li, Bo", "1980-01-01", "F41.1"],
    )
    (plan,), findings = _plans(path, profile=profile)
    assert plan.client.id == "4417" and any(f.code == "IN043" for f in findings)


@pytest.mark.parametrize(
    ("cell", "born"),
    [("3/14/48", dt.date(1948, 3, 14)), ("1/5/15", dt.date(2015, 1, 5)),
     ("10/26/1982 12:00:00 AM", dt.date(1982, 10, 26)), ("Jan 5, 1990", dt.date(1990, 1, 5)),
     ("1990-01-05T00:00:00", dt.date(1990, 1, 5)), ("32878", dt.date(1990, 1, 5))],
)  # fmt: skip
def test_birth_dates_never_in_the_future(tmp_path: Path, cell: str, born: dt.date) -> None:
    path = write_csv(tmp_path / "x.csv", ["MRN", "DOB", "Diagnosis"], ["9", cell, "F41.1"])
    (plan,), _ = _plans(path)
    assert plan.client.date_of_birth == born


def test_intake_before_birth_is_a_finding(tmp_path: Path) -> None:
    header = ["MRN", "DOB", "Intake Date", "Diagnosis"]
    path = write_csv(tmp_path / "x.csv", header, ["9", "2000-01-01", "1999-01-01", "F41.1"])
    plans, findings = _plans(path)
    assert not plans and any(f.code == "IN044" for f in findings)


@pytest.mark.parametrize(
    ("label", "cell", "sex", "gender"),
    [("Gender", "M", "M", None), ("Sex", "female", "female", None),
     ("Gender", "Non-binary", None, "Non-binary"), ("Gender Identity", "Male", None, "Male")],
)  # fmt: skip
def test_gender_m_f_is_sex_unless_the_header_says_identity(tmp_path, label, cell, sex, gender):
    path = write_csv(tmp_path / "x.csv", ["MRN", label, "Diagnosis"], ["9", cell, "F41.1"])
    (plan,), _ = _plans(path)
    assert (plan.client.sex_assigned_at_birth, plan.client.gender_identity) == (sex, gender)


def test_a_child_table_with_only_a_row_key_is_never_read_as_clients(tmp_path: Path) -> None:
    from pipeline.errors import InputError

    path = write_csv(
        tmp_path / "diagnoses.csv", ["id", "Diagnosis", "Primary"], ["1", "F41.1", "Y"]
    )
    with pytest.raises(InputError):
        _plans(path)
