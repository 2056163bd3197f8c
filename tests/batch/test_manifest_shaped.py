"""Rows of the build's own shape are written by one template each (manifest.json) and one
line of cells (manifest.csv): the same bytes as ``json`` and the CSV writer give any row,
whatever their text, and rows of any other shape take the general way."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.batch.manifest import CSV_COLUMNS, Row, csv_cells, json_item, shaped_item
from pipeline.writers.spreadsheet_safe import CsvWriter, csv_line

_KEYS = ("client_id", "payer", "agency", "status", "draft", "source", "findings", "outputs")
_TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('",\r\n\t\\=+-@\u2028'))
_FINDING = st.fixed_dictionaries(
    {
        "code": _TEXT,
        "severity": st.sampled_from(["error", "warning", "info"]),
        "where": _TEXT,
        "message": _TEXT,
    }  # fmt: skip
).map(lambda f: {key: f[key] for key in ("code", "severity", "where", "message")})
_OUTPUT = st.fixed_dictionaries({"path": _TEXT, "sha256": _TEXT}).map(
    lambda o: {"path": o["path"], "sha256": o["sha256"]}
)
_ROW = st.fixed_dictionaries(
    {
        "client_id": _TEXT,
        "payer": _TEXT,
        "agency": _TEXT,
        "status": st.sampled_from(["ok", "blocked", "failed"]),
        "draft": st.booleans(),
        "source": _TEXT,
        "findings": st.lists(_FINDING, max_size=4),
        "outputs": st.lists(_OUTPUT, max_size=3),
    }  # fmt: skip
).map(lambda row: {key: row[key] for key in _KEYS})  # the build's order (newer hypothesis
# versions draw a fixed dictionary's keys in an order of their own)
_ODD = st.none() | st.integers() | st.floats() | st.booleans() | st.lists(st.text(), max_size=2)


def _json(row: dict) -> str:
    return json.dumps(row, indent=2, ensure_ascii=False).replace("\n", "\n  ")


@settings(max_examples=300, deadline=None)
@given(_ROW)
def test_a_build_row_is_written_as_json_and_the_csv_writer_would(row: dict) -> None:
    assert shaped_item(row) is not None
    assert json_item(row) == _json(row)
    written = io.StringIO()
    CsvWriter(written, CSV_COLUMNS).writerow(Row.from_json(row).as_csv())
    assert csv_line(csv_cells(row)) == written.getvalue()


@settings(max_examples=300, deadline=None)
@given(_ROW, st.data())
def test_a_row_of_another_shape_is_still_written_as_json_would(row: dict, data) -> None:
    how = data.draw(st.sampled_from(["value", "finding", "output", "drop", "order", "extra"]))
    if how == "value":
        row[data.draw(st.sampled_from(sorted(row)))] = data.draw(_ODD)
    elif how == "finding" and row["findings"]:
        row["findings"][0][data.draw(st.sampled_from(sorted(row["findings"][0])))] = data.draw(_ODD)
    elif how == "output" and row["outputs"]:
        row["outputs"][0] = data.draw(_ODD | st.just({"sha256": "x", "path": "y"}))
    elif how == "drop":
        del row[data.draw(st.sampled_from(sorted(row)))]
    elif how == "order":
        row = dict(reversed(list(row.items())))
    elif how == "extra":
        row[data.draw(st.text())] = data.draw(_ODD)
    assert json_item(row) == _json(row)


def _cell_before(value: object) -> str:
    """csv_cell as it was written before its fast way for text (the reference)."""
    from pipeline.writers.spreadsheet_safe import is_number, safe_cell

    if value is None:
        return ""
    if is_number(value):
        return repr(value) if isinstance(value, float) else str(value)
    text = safe_cell(value if isinstance(value, str) else str(value))
    if any(c in text for c in (",", '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


class _Text(str):
    pass


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT | _ODD.filter(lambda v: not isinstance(v, list)), max_size=6))
def test_a_csv_line_is_the_one_cells_made_one_by_one_gave(cells: list) -> None:
    from pipeline.writers.spreadsheet_safe import csv_cell

    for cell in cells:
        assert csv_cell(cell) == _cell_before(cell)
        if isinstance(cell, str):
            assert csv_cell(_Text(cell)) == _cell_before(_Text(cell))
    assert csv_line(cells) == ",".join(_cell_before(c) for c in cells) + "\n"
