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
