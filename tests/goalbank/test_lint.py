"""Broken goal banks: each defect is found and located by sheet, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.errors import ConfigError
from pipeline.goalbank.bank import DEFAULT_GOALBANK, load_bank, read_sheets
from pipeline.goalbank.lint import lint_sheets


def _broken(tmp_path: Path, edits: dict[tuple[str, int, str], object]) -> Path:
    """A copy of the shipped bank with cells changed: (sheet, row, column header) -> value."""
    wb = load_workbook(DEFAULT_GOALBANK)
    for (sheet, row, column), value in edits.items():
        ws = wb[sheet]
        headers = [c.value for c in ws[1]]
        ws.cell(row, headers.index(column) + 1).value = value
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    return path


def _codes_at(path: Path, *, check_codes: bool = True) -> set[tuple[str, str]]:
    return {
        (f.code, f.where) for f in lint_sheets(path, read_sheets(path), check_codes=check_codes)
    }


def _place(sheet: str, row: int, column: str) -> str:
    return f'broken.xlsx, sheet "{sheet}", row {row}, column "{column}"'


@pytest.mark.parametrize(
    ("sheet", "row", "column", "value", "code"),
    [
        ("Goals", 3, "goal_id", "DEP-MOOD.G1", "BANK001"),  # duplicate id
        ("Goals", 4, "problem_id", "NO-SUCH-PROBLEM", "BANK003"),  # broken reference
        ("Problems", 5, "family_ids", "MDD-SINGLE; NOPE", "BANK003"),
        ("Interventions", 2, "problem_id", "GHOST", "BANK003"),
        ("Interventions", 3, "requires_family", "BPD; BORDERLINE", "BANK003"),  # no such family
        ("Objectives", 2, "text", "Reduce it to {target} by {deadline}.", "BANK004"),
        ("Objectives", 3, "measure", None, "BANK005"),  # no measure
        ("Objectives", 4, "text", "Reduce {measure} from {baseline} to {target}.", "BANK006"),
        ("Objectives", 5, "text", "Improve mood and feel better by {target_date}.", "BANK007"),
        ("Objectives", 6, "kind", "feeling", "BANK009"),
        ("Objectives", 7, "due_days", -3, "BANK010"),
        ("Objectives", 8, "target", None, "BANK002"),  # a count needs a target
        ("Families", 2, "icd10", "F32.X9", "BANK008"),  # not an ICD-10-CM code
        ("Families", 3, "icd10", "F33.9-F33.0", "BANK008"),  # range backwards
        ("MeasureRules", 3, "min_score", 6, "BANK011"),  # gap between PHQ-9 bands
        ("MeasureRules", 4, "value", None, "BANK002"),  # rule without a value
        ("MeasureRules", 5, "instrument", "PHQ-99", "BANK003"),
        # a misspelt alternative group: EMDR alone in it, nothing to choose between
        ("Interventions", 45, "alternative_group", "trauma focussed therapy", "BANK013"),
        # one problem listing a modality of a group twice
        ("Interventions", 45, "modality", "Prolonged exposure", "BANK013"),
        # an age range that is not one: words, backwards, beyond any age (session 8)
        ("Interventions", 2, "ages", "children", "BANK014"),
        ("Interventions", 2, "ages", "17-7", "BANK014"),
        ("Interventions", 2, "ages", "18-200", "BANK014"),
    ],
)
def test_each_defect_is_found_and_located(tmp_path, sheet, row, column, value, code) -> None:
    path = _broken(tmp_path, {(sheet, row, column): value})
    found = _codes_at(path)
    assert (code, _place(sheet, row, column)) in found, sorted(found)


def test_several_defects_all_reported_and_cli_exits_1(tmp_path) -> None:
    path = _broken(
        tmp_path,
        {("Goals", 3, "goal_id"): "DEP-MOOD.G1", ("Objectives", 2, "text"): "Do it by {when}."},
    )
    result = CliRunner().invoke(main, ["goalbank", "lint", str(path)])
    assert result.exit_code == 1
    assert 'sheet "Goals", row 3, column "goal_id"' in result.output
    assert "unknown placeholder {when}" in result.output
    assert "error(s)" in result.output.splitlines()[-1]


def test_load_bank_refuses_a_broken_bank(tmp_path) -> None:
    path = _broken(tmp_path, {("Goals", 4, "problem_id"): "NO-SUCH-PROBLEM"})
    with pytest.raises(ConfigError, match='sheet "Goals", row 4'):
        load_bank(path)


def test_missing_sheet_and_column(tmp_path) -> None:
    wb = load_workbook(DEFAULT_GOALBANK)
    del wb["SafetyPlan"]
    path = tmp_path / "nosheet.xlsx"
    wb.save(path)
    with pytest.raises(ConfigError, match='sheet "SafetyPlan" is missing'):
        read_sheets(path)
    path = _broken(tmp_path, {("Objectives", 1, "measure"): "what"})
    with pytest.raises(ConfigError, match=r'sheet "Objectives", row 1.*measure'):
        read_sheets(path)


def test_unreadable_file_exits_2(tmp_path) -> None:
    path = tmp_path / "bank.xlsx"
    path.write_text("not a workbook")
    result = CliRunner().invoke(main, ["goalbank", "lint", str(path)])
    assert result.exit_code == 2
    assert "bank.xlsx" in result.output
