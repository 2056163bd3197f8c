"""txplan review-sheet: a workbook by plan numbers, filled in and read back by txplan revise."""

from __future__ import annotations

import openpyxl
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.model import ObjectiveStatus
from pipeline.versions.store import Store
from tests.versions.versions_helpers import sample_plan


def test_a_filled_review_sheet_revises_the_plan(tmp_path) -> None:
    store_path = tmp_path / "s.sqlite3"
    with Store(store_path) as store:
        store.save(sample_plan("C-1001"), inputs=["a"], reason="build")
        store.save(sample_plan("C-1002"), inputs=["a"], reason="build")
    sheet = tmp_path / "review.xlsx"
    cli = CliRunner()
    made = cli.invoke(main, ["review-sheet", "c-1001", "C-1002", "-o", str(sheet),
                             "--store", str(store_path), "--date", "2024-04-01"])  # fmt: skip
    assert made.exit_code == 0, made.output
    book = openpyxl.load_workbook(sheet)
    assert book.sheetnames == ["C-1001", "C-1002"]
    rows = list(book["C-1001"].iter_rows(values_only=True))
    assert [r[3] for r in rows[1:4]] == ["1.1", "1.2", "2.1"]
    assert rows[2][8] == "14 (2024-01-02)"  # latest PHQ-9
    header = rows[0]
    ws = book["C-1001"]
    ws.cell(row=3, column=header.index("Status") + 1, value="met")
    ws.cell(row=3, column=header.index("Measure") + 1, value="PHQ-9")
    ws.cell(row=3, column=header.index("Score") + 1, value=8)
    ws.cell(row=3, column=header.index("Rationale") + 1, value="PHQ-9 fell from 14 to 8")
    for row in (2, 4):  # every objective due before the next review is addressed (REV024)
        ws.cell(row=row, column=header.index("Status") + 1, value="in progress")
        ws.cell(row=row, column=header.index("Rationale") + 1, value="continued")
    book.save(sheet)
    revised = cli.invoke(main, ["revise", str(sheet), "--store", str(store_path), "--no-bank"])
    assert revised.exit_code == 0, revised.output
    assert "C-1001: version 2" in revised.output and "C-1002" not in revised.output
    with Store(store_path) as store:
        plan = store.get("C-1001").plan
        assert plan.goals[0].objectives[1].status is ObjectiveStatus.MET
        assert plan.latest_measure("PHQ-9").total == 8
        assert store.get("C-1002").number == 1  # its sheet was left as it was


#: CT-1001's safety plan as made with her (tests/versions/test_revise_checks.py's values)
SAFETY = {
    "Warning signs": "Lying awake past 2 am; thinking I am a burden",
    "Coping strategies": "Walk by the river; shower",
    "People and places": "Saturday walks with the hiking group",
    "People to ask for help": "Sister Ana 555-0134",
    "Professionals and crisis lines": "Dana Whitfield, LCSW 555-0100; 988 Lifeline",
    "Means safety": "Her partner keeps her medications locked",
    "Reasons for living": "My nephew",
}


def test_the_safety_plan_made_with_the_client_round_trips_through_revise(tmp_path) -> None:
    """CT-1001 is at risk with the bank's safety-plan skeleton: her sheet has a column a
    section and a line saying what is still to complete; filled in, `txplan revise` records
    the safety plan and objective 1.1 (write the safety plan) can be met."""
    from pipeline.clinical.risk import safety_plan_gaps
    from tests.support import ROOT

    store_path, cli = tmp_path / "s.sqlite3", CliRunner()
    built = cli.invoke(main, ["build", str(ROOT / "inputs" / "counseltrack_wide.xlsx"),
                              "--payer", "medicaid-isp", "--agency", "riverside", "--draft",
                              "--store", str(store_path), "-o", str(tmp_path / "out")])  # fmt: skip
    assert built.exit_code in (0, 1), built.output
    sheet = tmp_path / "review.xlsx"
    made = cli.invoke(main, ["review-sheet", "CT-1001", "-o", str(sheet), "--store",
                             str(store_path)])  # fmt: skip
    assert made.exit_code == 0, made.output
    book = openpyxl.load_workbook(sheet)
    ws = book["CT-1001"]
    header = [c.value for c in ws[1]]
    assert header[-7:] == list(SAFETY)
    lines = list(ws.iter_rows(min_row=2, values_only=True))
    [safety_row] = [n for n, r in enumerate(lines, start=2) if "safety plan made" in (r[4] or "")]
    assert "to complete: warning signs (placeholder text)" in ws.cell(safety_row, 5).value
    for row in range(2, safety_row):  # every objective line: continued, 1.1 met
        number = ws.cell(row, header.index("Objective") + 1).value
        status = "met" if number == "1.1" else "in progress"
        ws.cell(row, header.index("Status") + 1, value=status)
        ws.cell(row, header.index("Rationale") + 1, value="reviewed with her")
    for column, value in SAFETY.items():
        ws.cell(safety_row, header.index(column) + 1, value=value)
    ws.cell(safety_row, header.index("Rationale") + 1, value="written with her in session 2")
    book.save(sheet)
    revised = cli.invoke(main, ["revise", str(sheet), "--store", str(store_path), "--no-bank"])
    assert revised.exit_code == 0, revised.output
    with Store(store_path) as store:
        plan = store.get("CT-1001").plan
    assert safety_plan_gaps(plan.safety_plan) == {}
    assert plan.safety_plan.warning_signs == ("Lying awake past 2 am", "thinking I am a burden")
    assert plan.safety_plan.means_safety == SAFETY["Means safety"]
    assert plan.goals[0].objectives[0].status is ObjectiveStatus.MET
    again = cli.invoke(main, ["review-sheet", "CT-1001", "-o", str(tmp_path / "next.xlsx"),
                              "--store", str(store_path)])  # fmt: skip
    assert again.exit_code == 0, again.output
    lines = list(openpyxl.load_workbook(tmp_path / "next.xlsx")["CT-1001"].values)
    assert any("now complete" in (r[4] or "") for r in lines)
