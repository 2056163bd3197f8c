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
