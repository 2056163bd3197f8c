"""CSV outputs never hand a spreadsheet a formula, never split a row, keep numbers numbers."""

import ast
import csv
import io
from decimal import Decimal

import pytest

from pipeline.batch.manifest import Row
from pipeline.findings import error
from pipeline.writers.spreadsheet_safe import CsvWriter, csv_bytes, csv_cell, csv_line, safe_cell
from tests.support import ROOT


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("CT-1001", "CT-1001"),
        ("", ""),
        (3, 3),
    ],
)
def test_formula_like_cells_are_quoted(value, shown) -> None:
    assert safe_cell(value) == shown


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_trigger_at_the_start_of_a_text_cell_gets_an_apostrophe(trigger) -> None:
    text = trigger + "1+1"
    assert _read(csv_line(["a", text])) == [["a", "'" + text]]


@pytest.mark.parametrize("value", ["a\rb", "a\nb", "a\r\nb", 'say "hi"', "a,b", "x\r"])
def test_cells_with_cr_lf_quotes_or_commas_are_quoted_and_read_back_whole(value) -> None:
    line = csv_line(["id", value, "end"])
    assert line.count('"') >= 2
    assert _read(line) == [["id", value, "end"]]  # one row, three cells, nothing split


def test_a_lone_cr_is_quoted_where_the_standard_writer_would_not() -> None:
    plain = io.StringIO()
    csv.writer(plain, lineterminator="\n").writerow(["a\rb"])
    assert plain.getvalue() == "a\rb\n"  # what due --csv used to write
    assert csv_line(["a\rb"]) == '"a\rb"\n'


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (-4, "-4"),
        (0, "0"),
        (12, "12"),
        (-2.5, "-2.5"),
        (Decimal("-0.10"), "-0.10"),
        (1e20, "1e+20"),
    ],  # fmt: skip
)
def test_numbers_stay_numbers_even_negative(number, text) -> None:
    assert csv_cell(number) == text
    assert csv_line(["-4", number]) == f"'-4,{text}\n"  # the same as text is text


def test_none_is_empty_and_bool_is_text() -> None:
    assert csv_line([None, True]) == ",True\n"


def test_dict_rows_follow_the_fieldnames_and_refuse_unknown_keys() -> None:
    out = io.StringIO()
    writer = CsvWriter(out, ["b", "a"])
    writer.writeheader()
    writer.writerow({"a": 1})
    assert out.getvalue() == "b,a\n,1\n"
    with pytest.raises(ValueError, match="not in fieldnames"):
        writer.writerow({"c": 1})
    assert csv_bytes(["x"], [{"x": "=1"}]) == b"x\n'=1\n"


def test_manifest_csv_quotes_a_formula_client_id() -> None:
    row = Row(
        "=cmd|' /C calc'!A0",
        "clinical",
        "riverside",
        "blocked",
        "intake.csv, row 4",
        findings=(error("TXR001", "diagnoses", "missing"),),
    )
    cells = _read(csv_bytes(list(row.as_csv()), [row.as_csv()]).decode())[1]
    assert cells[0] == "'=cmd|' /C calc'!A0"
    assert all(not c.startswith(("=", "+", "-", "@")) for c in cells)


WRITERS = ("writer", "DictWriter")


def _csv_writer_calls(path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        named = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        if named and node.value.id == "csv" and node.attr in WRITERS:
            lines.append(node.lineno)
        imported = isinstance(node, ast.ImportFrom) and node.module == "csv"
        if imported and any(a.name in WRITERS for a in node.names):
            lines.append(node.lineno)
    return lines


def test_no_csv_writer_outside_the_one_safe_writer() -> None:
    found = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in (ROOT / "pipeline").rglob("*.py")
        for line in _csv_writer_calls(path)
    }
    assert not found, f"write CSV with pipeline.writers.spreadsheet_safe.CsvWriter: {found}"


def test_due_csv_keeps_days_left_numeric_and_a_hostile_name_in_one_cell(tmp_path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.versions.store import Store
    from tests.versions.versions_helpers import sample_plan

    plan = sample_plan("=HYPERLINK(1)")
    client = plan.client.model_copy(update={"first_name": "-Ann\rX", "last_name": "Lee"})
    store = Store(tmp_path / "plans.sqlite3")
    store.save(plan.model_copy(update={"client": client}), inputs=[], reason="build",
               payers=["medicaid-isp"])  # fmt: skip
    store.close()
    out = tmp_path / "due.csv"
    args = ["due", "--store", str(tmp_path / "plans.sqlite3"), "--today", "2024-04-05",
            "--within", "7", "--csv", str(out)]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rows = _read(out.read_bytes().decode("utf-8"))
    assert len(rows) == 2  # the CR did not start a row
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["client_id"] == "'=HYPERLINK(1)"
    assert row["client_name"].startswith("'-Ann\rX")
    assert (row["days_left"], row["version"], row["interval_days"]) == ("-4", "1", "90")


def test_the_review_workbook_keeps_formula_like_text_as_text() -> None:
    import zipfile

    from openpyxl import load_workbook

    from pipeline.versions.sheet import review_sheet
    from tests.versions.versions_helpers import sample_plan

    plan = sample_plan('=HYPERLINK("http://x","y")')
    data = review_sheet([plan])
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = b"".join(package.read(n) for n in package.namelist() if "worksheets/" in n)
    assert b"<f>" not in xml  # no formula cell anywhere
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["A2"].value == plan.client.id and sheet["A2"].data_type == "s"
