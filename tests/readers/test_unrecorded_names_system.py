"""IN045 names the system (or form) whose export cannot record a goal's problem or clinical
goal, and the file: the title the file gives itself, not only the file's name."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths, said_once
from pipeline.readers.titles import product, title_of_rows
from tests.support import ROOT

HEADER = ["Client ID", "Intake Date", "Dx Code", "Goal 1", "Goal 1 Objective 1"]
ROW = ["C-1", "2026-01-05", "F32.1", "I want to enjoy things again", "Walk 3 days a week"]


def _said(path: Path, options: ReadOptions | None = None) -> str:
    options = options or ReadOptions()
    found = [
        f
        for name, results in read_paths([path], options)
        for r in said_once(name, results, options)
        if r.plan is None
        for f in r.findings
        if f.code == "IN045"
    ]
    assert len(found) == 1, found
    return found[0].message


@pytest.mark.parametrize(
    ("name", "system"),
    [
        ("counseltrack_wide.xlsx", "CounselTrack 4.2 (the product the title in "),
        ("practiceflow_workbook.xlsx", "PracticeFlow EHR (the product the title in "),
        ("intake-form-fillable.pdf", "the form “Client Intake Form” (intake-form-fillable.pdf)"),
        ("assessment-summary-flat.pdf", "the form “Assessment Summary”"),
    ],
)
def test_the_demo_inputs_name_their_system_and_file(name: str, system: str) -> None:
    message = _said(ROOT / "inputs" / name)
    assert message.startswith(system), message
    assert name in message and "has no field for a goal's" in message


def test_an_export_naming_no_product_says_so(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, ROW])
    message = _said(path)
    assert message.startswith("the system that exported export.csv (the file names none"), message


def test_a_title_above_a_csv_header_names_the_product(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["TheraNote 7 - client goals report"], [], HEADER, ROW])
    assert _said(path).startswith("TheraNote 7 (the product the title in report.csv names)")


def test_a_read_me_sheet_names_the_product_of_a_workbook(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Read Me"
    book.active.append(["ChartWise Cloud · clinical export"])
    sheet = book.create_sheet("Clients")
    sheet.append(HEADER)
    sheet.append(ROW)
    path = tmp_path / "wb.xlsx"
    book.save(path)
    assert _said(path).startswith("ChartWise Cloud (the product the title in wb.xlsx names)")


def test_titles_are_single_cells_above_the_header_and_short() -> None:
    assert title_of_rows([[HEADER, ["Vendor X — export"]]]) is None  # below the header
    assert title_of_rows([[["", "Vendor X"], HEADER]]) == "Vendor X"
    long = title_of_rows([[["V" * 500]]])
    assert long is not None and len(long) == 80 and long.endswith("…")
    assert title_of_rows([[["bad\x00\nline"]]]) == "bad line"
    assert product("CounselTrack 4.2 — Treatment Plan Intake Export") == "CounselTrack 4.2"
    assert product("Plain Title") == "Plain Title"


def _titled_workbook(path: Path, title: str) -> Path:
    book = openpyxl.Workbook()
    book.active.append([title])
    book.active.append([])
    book.active.append(HEADER)
    book.active.append(ROW)
    book.save(path)
    return path


def test_a_workbook_read_once_gives_its_title_without_a_second_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IN045's title comes from the top rows the read kept (the same file, unchanged): the
    workbook is not opened again (a 10,000-row sheet took 0.4 s to parse a second time)."""
    from pipeline.readers import xlsx

    path = _titled_workbook(tmp_path / "kept.xlsx", "TheraNote 7 - client goals report")
    options = ReadOptions()
    results = [r for name, rs in read_paths([path], options) for r in said_once(name, rs, options)]
    opened: list[Path] = []
    monkeypatch.setattr(xlsx, "sheets", lambda p, wanted, **_: opened.append(p) or (None, []))
    (top,) = xlsx.top_rows(path, 5)  # the title row and the blank row under it
    assert [[c for c in row if c] for row in top] == [["TheraNote 7 - client goals report"], []]
    assert opened == []
    said = [f.message for r in results if r.plan is None for f in r.findings]
    assert said and said[0].startswith("TheraNote 7 (the product the title in kept.xlsx")


def test_kept_top_rows_hold_no_record_and_follow_the_file(tmp_path: Path) -> None:
    """Only the rows above the header are kept (no client's record), and a workbook saved
    again is read again: its new title, not the one kept for the old file."""
    from pipeline.readers import xlsx

    path = _titled_workbook(tmp_path / "again.xlsx", "Vendor One - export")
    list(xlsx.read(path, ReadOptions()))
    assert all(
        ROW[0] not in map(str, row) and HEADER[0] not in map(str, row)
        for top in xlsx._TOPS.values()
        for row in top
    )
    assert list(xlsx.top_rows(path, 5))[0][0][0] == "Vendor One - export"
    _titled_workbook(path, "Vendor Two, a longer title - export")  # another size and time
    assert list(xlsx.top_rows(path, 5))[0][0][0] == "Vendor Two, a longer title - export"
