"""A blank client id in a workbook is no id (bug: calamine and openpyxl give None for a blank
cell, and it was read as the id "None", so every id-less row of an XLSX export became one
client: two people's diagnoses in one plan). The XLSX must read as its CSV does."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from pipeline.readers import read
from tests.support import ROOT

SAMPLE = ROOT / "tests/data/intake/blank_client_ids"


def _read(path: Path) -> list[tuple[str | None, list[str], list[str]]]:
    return [
        (
            r.plan.client.id if r.plan else None,
            [d.code for d in r.plan.diagnoses] if r.plan else [],
            [f.code for f in r.findings],
        )
        for r in read(path)
    ]


def test_rows_without_an_id_are_rejected_one_by_one_not_merged() -> None:
    found = _read(SAMPLE.with_suffix(".xlsx"))
    assert found == [
        ("7", ["F41.1", "F51.01"], []),  # the diagnosis-only row below continues client 7
        (None, [], ["IN001"]),  # Jones: no id
        (None, [], ["IN001"]),  # Chen: no id, and never merged with Jones
        ("8", ["F43.10"], []),
    ]
    assert found == _read(SAMPLE.with_suffix(".csv"))


def test_an_id_less_table_keeps_nameless_rows_apart(tmp_path: Path) -> None:
    """A table without an id column (client-completed forms) keys rows by name and birth
    date; a row with neither is rejected, never joined to another such row."""
    book = Workbook()
    sheet = book.active
    for row in (
        ["First Name", "Last Name", "DOB", "Phone", "Diagnosis"],
        ["Ana", "Rivera", "1990-01-02", "503-555-0100", "F41.1"],
        [None, None, None, "503-555-0101", "F33.1"],  # a client's value: not a continuation
        [None, None, None, "503-555-0102", "F43.10"],
    ):
        sheet.append(row)
    path = tmp_path / "forms.xlsx"
    book.save(path)
    found = _read(path)
    assert [codes for _id, _dx, codes in found[1:]] == [["IN001"], ["IN001"]]
    assert found[0][1] == ["F41.1"]
