"""CSV outputs never hand a spreadsheet a formula taken from client data."""

import csv
import io

import pytest

from pipeline.batch.manifest import Row
from pipeline.findings import error
from pipeline.writers.spreadsheet_safe import safe_cell


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("CT-1001", "CT-1001"),
        ("", ""),
        (3, 3),
    ],
)
def test_formula_like_cells_are_quoted(value, shown) -> None:
    assert safe_cell(value) == shown


def test_manifest_csv_quotes_a_formula_client_id() -> None:
    row = Row(
        "=cmd|' /C calc'!A0",
        "clinical",
        "riverside",
        "blocked",
        "intake.csv, row 4",
        findings=(error("TXR001", "diagnoses", "missing"),),
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row.as_csv()))
    writer.writerow(row.as_csv())
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells[0] == "'=cmd|' /C calc'!A0"
    assert all(not c.startswith(("=", "+", "-", "@")) for c in cells)
