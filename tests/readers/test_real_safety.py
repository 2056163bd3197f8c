"""Real exports, safety first: item 9 never lost, ordinary values never crash, one file never
ends the batch (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import readers
from pipeline.cli import main
from pipeline.findings import Severity
from pipeline.readers import ReadOptions, read
from tests.support import write_csv


def _results(path: Path, **options):
    return list(read(path, ReadOptions(**options)))


def _codes(results) -> list[str]:
    return [f.code for r in results for f in r.findings]


PHQ = [f"phq_{n}" for n in range(1, 10)]


@pytest.mark.parametrize(
    "names",
    [
        [f"phq_{n}" for n in range(1, 10)],
        [f"phq{n}" for n in range(1, 10)],
        [f"phq9_{n}" for n in range(1, 10)],
        [f"phq9_q{n}" for n in range(1, 10)],
        [f"phqnine_0{n}" for n in range(1, 10)],
        [
            "interest_score", "hopeless_score", "sleep_score", "fatigue_score", "appetite_score",
            "failure_score", "focus_score", "psychomotor_score", "suicide_score",
        ],
        ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5",
         "44253-3", "44260-8"],
    ],
)  # fmt: skip
def test_item_9_is_item_9_never_the_total(tmp_path: Path, names: list[str]) -> None:
    path = write_csv(tmp_path / "x.csv", ["record_id", *names], ["7", *"33333333", "2"])
    (result,) = _results(path)
    assert result.plan is not None, result.findings
    (phq,) = result.plan.measures
    assert phq.items == (3, 3, 3, 3, 3, 3, 3, 3, 2)
    assert phq.total == 26 and phq.severity == "severe"
    assert result.plan.risk.suicidal_ideation and result.plan.risk.safety_plan_required


def test_gad_7_beside_its_items_is_item_7(tmp_path: Path) -> None:
    names = [f"gad_{n}" for n in range(1, 8)]
    path = write_csv(
        tmp_path / "x.csv", ["record_id", *names], ["7", "1", "1", "1", "1", "1", "1", "3"]
    )
    (result,) = _results(path)
    (gad,) = result.plan.measures
    assert gad.items == (1, 1, 1, 1, 1, 1, 3) and gad.total == 9


def test_a_lone_phq_9_column_is_the_total(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", ["Client ID", "PHQ-9", "PHQ-2"], ["7", "14", "4"])
    (result,) = _results(path)
    (phq,) = result.plan.measures
    assert phq.total == 14 and phq.items == ()


def test_a_total_column_beside_item_columns_stays_the_total(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "x.csv", ["record_id", *PHQ, "PHQ-9 Total"], ["7", *"111111111", "9"]
    )
    (result,) = _results(path)
    assert result.plan.measures[0].items[8] == 1 and result.plan.measures[0].total == 9


@pytest.mark.parametrize("blank_item_9", ["", "refused", "n/a"])
def test_items_without_item_9_are_an_error_naming_it(tmp_path: Path, blank_item_9: str) -> None:
    header = ["record_id", *PHQ, "phq9_total"]
    path = write_csv(tmp_path / "x.csv", header, ["7", *"33333333", blank_item_9, "24"])
    (result,) = _results(path)
    assert result.plan is None
    (problem,) = [f for f in result.findings if f.code == "IN005"]
    assert "item 9" in problem.message and "row 2" in problem.where


def test_items_1_to_8_alone_are_an_error_not_a_plan(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", ["record_id", *PHQ[:8]], ["7", *"00000000"])
    (result,) = _results(path)
    assert result.plan is None and "IN005" in _codes([result])


@pytest.mark.parametrize(
    ("answer", "score"),
    [
        ("Not at all", 0), ("0, Not at all", 0), ("1 - Several days", 1), ("Several days", 1),
        ("More than half the days", 2), ("Nearly every day", 3), ("3 = Nearly every day", 3),
    ],
)  # fmt: skip
def test_label_answers_are_read(tmp_path: Path, answer: str, score: int) -> None:
    path = write_csv(tmp_path / "x.csv", ["record_id", *PHQ], ["7", *([answer] * 9)])
    (result,) = _results(path)
    assert result.plan.measures[0].items == (score,) * 9


@pytest.mark.parametrize(
    ("cell", "code", "severity"),
    [
        ("Deferred", "IN042", Severity.WARNING),
        ("799.9", "IN042", Severity.WARNING),
        ("309.81", "IN042", Severity.WARNING),
        ("SNOMED CT: 35489007", "IN042", Severity.WARNING),
        ("35489007", "IN042", Severity.WARNING),
        ("Adjustment trouble", "IN002", Severity.ERROR),
    ],
)
def test_diagnosis_cells_without_an_icd10_code_are_findings_never_crashes(
    tmp_path: Path, cell: str, code: str, severity: Severity
) -> None:
    path = write_csv(tmp_path / "x.csv", ["Client ID", "Diagnosis", "PHQ-9"], ["1", cell, "5"])
    path2 = write_csv(tmp_path / "y.csv", ["Client ID", "Diagnosis"], ["2", "F41.1"])
    (result,) = _results(path)
    (finding,) = [f for f in result.findings if f.code == code]
    assert finding.severity is severity and 'column "Diagnosis"' in finding.where
    assert _results(path2)[0].plan is not None


@pytest.mark.parametrize(
    ("cell", "code", "description"),
    [
        ("ICD10:F41.1", "F41.1", "Generalized anxiety disorder"),
        ("ICD-10-CM: F41.1", "F41.1", "Generalized anxiety disorder"),
        ("http://hl7.org/fhir/sid/icd-10-cm|F41.1", "F41.1", "Generalized anxiety disorder"),
    ],
)
def test_code_system_prefixes_give_the_code_and_its_description(
    tmp_path: Path, cell: str, code: str, description: str
) -> None:
    path = write_csv(
        tmp_path / "x.csv", ["Client ID", "Diagnosis", "DOB"], ["1", cell, "1990-01-01"]
    )
    (dx,) = _results(path)[0].plan.diagnoses
    assert (dx.code, dx.description) == (code, description)


@pytest.mark.parametrize("total", ["n/a", "refused", "12.5"])
def test_odd_phq_totals_are_located_findings(tmp_path: Path, total: str) -> None:
    path = write_csv(
        tmp_path / "x.csv", ["Client ID", "PHQ-9 Total", "DOB"], ["1", total, "1990-01-01"]
    )
    (result,) = _results(path)
    (finding,) = [f for f in result.findings if f.code in ("IN041", "IN002", "IN005")]
    assert 'column "PHQ-9 Total"' in finding.where


def test_two_totals_on_one_flat_pdf_line(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "summary.pdf"
    c = canvas.Canvas(str(pdf), pagesize=letter, invariant=1)
    lines = ["Client ID: 4411", "Diagnosis: F41.1", "PHQ-9 total: 12   GAD-7 total: 8"]
    for number, line in enumerate(lines):
        c.drawString(72, 720 - 18 * number, line)
    c.save()
    (result,) = [r for r in _results(pdf) if r.plan]
    assert {m.instrument: m.total for m in result.plan.measures} == {"PHQ-9": 12, "GAD-7": 8}


def _boom(path: Path, options: ReadOptions):
    yield from ()
    raise KeyError("unexpected")


def test_a_reader_bug_ends_only_its_own_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(readers._REGISTRY, ".boom", f"{__name__}:_boom")
    bad = tmp_path / "a.boom"
    bad.write_text("x")
    good = write_csv(tmp_path / "b.csv", ["Client ID", "Diagnosis"], ["1", "F41.1"])
    out = tmp_path / "plans.jsonl"
    result = CliRunner().invoke(main, ["parse", str(bad), str(good), "-o", str(out)])
    assert result.exit_code == 2
    assert "this is a bug in txplan; please report it" in result.output
    assert "Traceback" not in result.output
    assert out.read_text().count("\n") == 1
    debug = CliRunner().invoke(main, ["--debug", "parse", str(bad), str(good)])
    assert "Traceback" in debug.output and "KeyError" in debug.output


def test_long_administrations_keep_every_date(tmp_path: Path) -> None:
    header = ["Client ID", "Measure", "Score", "Administered Date", "Intake Date"]
    rows = (
        ["5", "Depression (PHQ-9)", "14", "01/05/2026", "01/05/2026"],
        ["5", "PHQ-9", "9", "02/02/2026", ""],
        ["5", "GAD-7", "8", "01/05/2026", ""],
    )
    (result,) = _results(write_csv(tmp_path / "x.csv", header, *rows))
    got = [(m.instrument, m.date.isoformat(), m.total) for m in result.plan.measures]
    assert got == [
        ("PHQ-9", "2026-01-05", 14),
        ("PHQ-9", "2026-02-02", 9),
        ("GAD-7", "2026-01-05", 8),
    ]
    assert result.plan.baseline_measure("PHQ-9").total == 14
    assert result.plan.latest_measure("PHQ-9").total == 9


def test_a_plain_date_column_in_a_measures_table_is_the_administration_date(tmp_path: Path) -> None:
    header = ["Client ID", "Assessment", "Total Score", "Date"]
    rows = (["5", "PHQ-9", "14", "2026-01-05"], ["5", "PHQ-9", "9", "2026-02-02"])
    (result,) = _results(write_csv(tmp_path / "x.csv", header, *rows))
    assert [m.date.isoformat() for m in result.plan.measures] == ["2026-01-05", "2026-02-02"]
    assert result.plan.intake_date is None


def test_date_per_column_pivots_keep_every_administration(tmp_path: Path) -> None:
    header = ["MRN", "PHQ-9 (01/05/2026)", "PHQ-9 (02/02/2026)", "GAD-7 (01/05/2026)"]
    (result,) = _results(write_csv(tmp_path / "x.csv", header, ["7", "15", "10", "12"]))
    got = [(m.instrument, m.date.isoformat(), m.total) for m in result.plan.measures]
    assert got == [
        ("PHQ-9", "2026-01-05", 15),
        ("PHQ-9", "2026-02-02", 10),
        ("GAD-7", "2026-01-05", 12),
    ]
