"""The shipped goal bank: lints clean, holds the promised content, matches its generator."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.goalbank.bank import DEFAULT_GOALBANK, load_bank, read_sheets
from pipeline.goalbank.lint import lint_sheets
from tests.support import ROOT


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def _generator():
    path = ROOT / "scripts" / "make_goalbank.py"
    spec = importlib.util.spec_from_file_location("make_goalbank", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_goalbank"] = module
    spec.loader.exec_module(module)
    return module


def test_shipped_bank_lints_clean_with_codes_checked() -> None:
    findings = lint_sheets(DEFAULT_GOALBANK, read_sheets(DEFAULT_GOALBANK))
    assert findings == []


def test_cli_lint_prints_counts_and_exits_0() -> None:
    result = CliRunner().invoke(main, ["goalbank", "lint"])
    assert result.exit_code == 0, result.output
    assert "29 families, 36 problems, 37 goals, 317 objectives, 100 interventions" in result.output


def test_content_meets_the_issue(bank) -> None:
    kinds = [f.kind for f in bank.families]
    assert kinds.count("diagnosis") >= 20
    domains = {f.id for f in bank.families if f.kind == "domain"}
    assert {"RELATIONSHIPS", "WORK-SCHOOL", "SLEEP", "ANGER", "PARENTING"} <= domains
    assert len(bank.objectives) >= 300
    measures = {o.measure for o in bank.objectives.values() if o.kind == "instrument"}
    assert {"PHQ-9", "GAD-7", "PCL-5", "AUDIT-C"} <= measures
    modalities = {i.modality for i in bank.interventions.values()}
    for needed in (
        "Behavioral activation",
        "Exposure and response prevention",
        "DBT skills training",
        "Motivational interviewing",
        "Cognitive processing therapy",
        "EMDR",
        "Medication referral",
    ):
        assert needed in modalities
    assert all(i.evidence and i.frequency for i in bank.interventions.values())


@pytest.mark.parametrize(
    ("code", "family"),
    [
        ("F32.1", "MDD-SINGLE"),
        ("F33.41", "MDD-RECURRENT"),
        ("F31.81", "BIPOLAR-II"),
        ("F31.32", "BIPOLAR-I"),
        ("F40.11", "SOCIAL"),
        ("F43.12", "PTSD"),
        ("F43.81", "GRIEF"),
        ("G47.00", "INSOMNIA"),
        ("F50.810", "BED"),
        ("F25.0", "PSYCHOSIS"),
        ("Z63.0", "RELATIONSHIPS"),
    ],
)
def test_lookup_by_code_is_specific(bank, code: str, family: str) -> None:
    assert [f.id for f in bank.families_for_code(code)] == [family]


@pytest.mark.parametrize(
    ("instrument", "baseline", "target"),
    [
        ("PHQ-9", 7, 4),
        ("PHQ-9", 12, 7),
        ("PHQ-9", 18, 9),
        ("PHQ-9", 3, None),
        ("GAD-7", 12, 8),
        ("PCL-5", 48, 32),
        ("PCL-5", 60, 45),
        ("AUDIT-C", 9, 4),
        ("phq9", 22, 11),
    ],
)
def test_measure_rules_give_targets(bank, instrument: str, baseline: int, target) -> None:
    assert bank.target_for(instrument, baseline).score == target


def test_bank_is_immutable(bank) -> None:
    with pytest.raises(TypeError):
        bank.problems["X"] = None
    with pytest.raises(AttributeError):
        bank.path = "other"


def test_committed_workbook_matches_generator() -> None:
    sheets = _generator().sheets()
    wb = load_workbook(DEFAULT_GOALBANK, read_only=True)
    assert wb.sheetnames == list(sheets)
    for name, (headers, rows) in sheets.items():
        actual = [tuple(r) for r in wb[name].iter_rows(values_only=True)]
        expected = [tuple(headers)] + [tuple(None if v == "" else v for v in r) for r in rows]
        assert actual == expected, f"sheet {name} differs: run scripts/make_goalbank.py"
    wb.close()


def test_generator_is_deterministic() -> None:
    module = _generator()
    assert module.workbook_bytes() == module.workbook_bytes()


def test_readme_sheet_documents_every_placeholder() -> None:
    from pipeline.goalbank.lint import PLACEHOLDERS

    wb = load_workbook(DEFAULT_GOALBANK, read_only=True)
    topics = {row[0] for row in wb["README"].iter_rows(values_only=True)}
    wb.close()
    assert {f"{{{p}}}" for p in PLACEHOLDERS} <= topics
