"""A build is quiet: each plan's findings once, the summary, and an estimate that holds."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from pipeline.batch.progress import estimate_plans
from pipeline.cli import main
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths
from tests.support import ROOT, TEST_DATA

SAMPLES = sorted(
    p
    for folder in (ROOT / "inputs", TEST_DATA / "intake")
    for p in folder.iterdir()
    if p.suffix in (".csv", ".xlsx", ".pdf", ".docx", ".jsonl") and "golden" not in p.name
)


def read_count(path) -> int | None:
    try:
        return sum(1 for _, rs in read_paths([path], ReadOptions()) for r in rs if r.plan)
    except Exception:  # noqa: BLE001 - an unusable sample: nothing to estimate
        return None


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_progress_estimate_is_within_ten_percent(path) -> None:
    actual = read_count(path)
    if not actual:
        pytest.skip("no plans in this sample")
    assert abs((estimate_plans([path]) or 0) - actual) <= 0.1 * actual


RIVERSIDE = ["counseltrack_wide.xlsx", "practiceflow_workbook.xlsx", "intake-form-fillable.pdf",
             "intake-questionnaire.docx"]  # fmt: skip
NORTHSTAR = ["mindledger_long.csv", "assessment-summary-flat.pdf"]


def test_the_demo_prints_each_plan_once_and_under_sixty_lines(tmp_path) -> None:
    """The commands of ``make demo`` (DOCX only: the lines do not depend on the format)."""
    inputs = ROOT / "inputs"
    runner = CliRunner()
    paths = [str(p) for p in sorted(inputs.iterdir()) if p.suffix in (".xlsx", ".csv", ".pdf",
                                                                      ".docx")]  # fmt: skip
    outputs = [runner.invoke(main, ["parse", *paths, "-o", str(tmp_path / "plans.jsonl")])]
    for agency, files in (("riverside", RIVERSIDE), ("northstar", NORTHSTAR)):
        outputs.append(runner.invoke(main, [
            "build", *(str(inputs / f) for f in files), "--payer", "all", "--agency", agency,
            "--draft", "--client-copy", "-o", str(tmp_path / agency),
            "--store", str(tmp_path / "s.db")]))  # fmt: skip
    text = "".join(r.output for r in outputs)
    assert all(r.exit_code in (0, 1) for r in outputs), text
    lines = text.splitlines()
    assert len(lines) < 60, text
    plan_lines = [line for line in lines if re.match(r"^[\w-]+: (ok|blocked|failed) for ", line)]
    clients = [line.split(":")[0] for line in plan_lines]
    assert len(clients) == len(set(clients)) >= 20  # each plan once, not once per payer
    # at risk, and the safety plan is still the bank skeleton: blocked for every payer
    # (its own payer, Oregon Health Plan: the ISP; the clinical plan; the client copy)
    assert re.search(r"CT-1006: blocked for clinical, medicaid-isp, client-copy · .*TXR011", text)
