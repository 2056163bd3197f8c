"""A large batch's findings are told once: a line a plan up to a limit, then a table by code."""

from __future__ import annotations

import sys
from types import SimpleNamespace

from click.testing import CliRunner
from rich.console import Console

from pipeline.cli import main
from pipeline.cli.plan_report import PLAN_LINES, PlanReport
from pipeline.findings import error, warning
from tests.support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_intake_csv  # noqa: E402


def row(client: str, payer: str, status: str, *findings) -> SimpleNamespace:
    return SimpleNamespace(client_id=client, payer=payer, status=status, findings=list(findings))


def report_of(plans: int) -> PlanReport:
    report = PlanReport()
    for n in range(plans):
        client = f"C-{n:03d}"
        signed = error("TXR018", "signatures.clinician.signed_date", "missing")
        prognosis = [warning("TXR015", "assessment.prognosis", "missing")] if n % 2 else []
        report.add_row(row(client, "clinical", "blocked" if n % 2 else "ok", *prognosis))
        report.add_row(row(client, "medicaid-isp", "blocked", signed))
    report.add_row(row("C-OK", "clinical", "ok"))  # nothing to say: never listed
    return report


def text(table) -> str:
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(table)
    return console.export_text()


def test_up_to_the_limit_every_plan_with_findings_has_its_line() -> None:
    lines = report_of(PLAN_LINES).lines(limit=PLAN_LINES)
    assert len(lines) == PLAN_LINES + 1  # and the plan with nothing to say
    assert not any(line.startswith("…") for line in lines)


def test_past_the_limit_the_lines_stop_and_say_how_many_more() -> None:
    report = report_of(PLAN_LINES + 7)
    lines = report.lines(limit=PLAN_LINES)
    listed = [line for line in lines if line.startswith("C-") and "error" in line]
    assert len(listed) == PLAN_LINES
    assert lines[-1].startswith("… and 7 more plans with findings")
    assert len(report.lines(verbose=True, limit=PLAN_LINES)) > PLAN_LINES * 2  # -v: all


def test_the_table_counts_plans_not_documents() -> None:
    table = text(report_of(30).by_code())
    counts = {line.split()[0]: line.split()[2] for line in table.splitlines()
              if line.strip().startswith("TXR")}  # fmt: skip
    assert counts == {"TXR018": "30", "TXR015": "15"}  # two payers, one plan each
    assert table.index("TXR018") < table.index("TXR015")  # errors first


def test_a_batch_with_nothing_found_has_no_table() -> None:
    report = PlanReport()
    report.add_row(row("C-1", "clinical", "ok"))
    assert report.by_code() is None and report.noted() == []


def test_a_large_blocked_build_prints_a_table_not_a_line_a_plan(tmp_path) -> None:
    source = tmp_path / "intake.csv"
    write_intake_csv(source, PLAN_LINES + 5)
    result = CliRunner().invoke(main, [
        "build", str(source), "--payer", "clinical", "--agency", "riverside",
        "-o", str(tmp_path / "out"), "--store", str(tmp_path / "s.db"),
        "--workers", "1"])  # fmt: skip
    assert result.exit_code == 1, result.output
    plan_lines = [line for line in result.output.splitlines() if line.startswith("SYN-")]
    assert len(plan_lines) == PLAN_LINES
    assert "… and 5 more plans with findings" in result.output
    assert "Findings across the batch" in result.output
    assert "TXR018" in result.output.split("Findings across the batch")[1]


def test_a_large_batch_of_plans_with_nothing_found_is_one_line() -> None:
    report = PlanReport()
    for n in range(PLAN_LINES + 3):
        report.add_row(row(f"C-{n:03d}", "clinical", "ok"))
    assert report.lines(limit=PLAN_LINES) == [
        f"{PLAN_LINES + 3} plans ok for every payer, nothing found"
    ]
    assert len(report.lines(verbose=True, limit=PLAN_LINES)) == PLAN_LINES + 3
