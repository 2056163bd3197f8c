"""The intake's fast paths give what the plain paths give: cell sources, per-table steps."""

from __future__ import annotations

from pathlib import Path

from pipeline.model import Source
from pipeline.readers import ReadOptions, read
from pipeline.readers.raw import cell_source, row_source
from tests.support import write_csv


def test_cell_source_is_the_validated_source() -> None:
    for sheet in ("Clients", None):
        made = cell_source("intake.xlsx", sheet, 7, "DOB")
        valid = Source(file="intake.xlsx", sheet=sheet, row=7, column="DOB")
        assert made == valid and hash(made) == hash(valid)
        assert made.model_fields_set == valid.model_fields_set
        assert made.model_dump_json() == valid.model_dump_json()
        assert str(made) == str(valid) and repr(made) == repr(valid)
        assert made.model_copy(update={"row": 8}) == valid.model_copy(update={"row": 8})
        row, valid_row = (
            row_source("a.csv", sheet, 3),
            Source(file="a.csv", sheet=sheet, page=None, row=3),
        )
        assert row == valid_row and row.model_fields_set == valid_row.model_fields_set
        assert row.model_dump_json() == valid_row.model_dump_json() and str(row) == str(valid_row)


def _read(path: Path) -> list:
    return list(read(path, ReadOptions()))


def test_a_second_row_that_contradicts_the_first_still_warns_at_its_cell(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "long.csv",
        ["Client ID", "DOB", "Diagnosis"],
        ["C-1", "01/02/1990", "F41.1"],
        ["C-1", "01/03/1990", "F33.1"],
        ["C-2", "01/02/1990", "F41.1"],
    )
    first, second = _read(path)
    assert first.plan.client.date_of_birth.isoformat() == "1990-01-02"
    assert [(f.code, f.where) for f in first.findings] == [
        ("IN006", 'long.csv, row 3, column "DOB"'.replace("long.csv", str(path)))
    ]
    assert [d.code for d in first.plan.diagnoses] == ["F41.1", "F33.1"]
    assert second.findings == () and second.plan.client.id == "C-2"


def test_a_pivot_header_without_a_date_is_an_error_on_every_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "pivot.csv",
        ["MRN", "PHQ-9 (13/45/2026)", "PHQ-9 (02/02/2026)"],
        ["7", "15", "10"],
        ["8", "5", "4"],
    )
    results = _read(path)
    assert [r.plan for r in results] == [None, None]
    for number, result in enumerate(results, start=2):
        (problem,) = result.findings
        assert problem.code == "IN002" and "is not a date" in problem.message
        assert problem.where == f'{path}, row {number}, column "PHQ-9 (13/45/2026)"'


def test_a_gender_column_holding_the_sex_maps_it_on_every_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "sex.csv",
        ["Client ID", "Gender", "Pronouns"],
        ["C-1", "M", "=1+1"],
        ["C-2", "Nonbinary", "text"],
        ["C-3", "F", "@x"],
    )
    results = _read(path)
    plans = [r.plan for r in results]
    assert [p.client.sex_assigned_at_birth for p in plans] == ["M", None, "F"]
    assert [p.client.gender_identity for p in plans] == [None, "Nonbinary", None]
    assert [[f.code for f in r.findings] for r in results] == [["IN007"], [], ["IN007"]]


def test_a_bad_item_answer_is_an_error_at_its_cell_on_every_row(tmp_path: Path) -> None:
    header = ["Client ID", *(f"PHQ-9 Item {i}" for i in range(1, 10))]
    path = write_csv(
        tmp_path / "phq.csv",
        header,
        ["C-1", "1", "2", "7", "0", "0", "0", "0", "0", "0"],
        ["C-2", "1", "2", "7", "0", "0", "0", "0", "0", "0"],
        ["C-3", "1", "2", "x", "0", "0", "0", "0", "0", "0"],
        ["C-4", "1", "2", "3", "0", "0", "0", "0", "0", "0"],
    )
    results = _read(path)
    for number, result in enumerate(results[:3], start=2):
        (problem,) = result.findings
        assert result.plan is None and problem.code == "IN005"
        assert problem.where == f'{path}, row {number}, column "PHQ-9 Item 3"'
    assert "out of range for PHQ-9 item 3" in results[1].findings[0].message
    assert "or an answer (" in results[2].findings[0].message
    assert results[3].plan.measures[0].total == 6
