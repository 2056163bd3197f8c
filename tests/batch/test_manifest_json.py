"""manifest.json is written row by row with json's C string escaper: the same bytes as
``json.dumps(rows, indent=2, ensure_ascii=False)`` for any JSON-form row."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.batch.manifest import Output, Row, json_item, stream_manifest, write_manifest
from pipeline.findings import error, warning

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(), _VALUES, max_size=6))
def test_a_row_is_written_as_json_would_write_it(row: dict) -> None:
    expected = json.dumps(row, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    assert json_item(row) == expected


def test_non_string_keys_and_tuples_fall_back_to_json() -> None:
    row = {"a": (1, "b"), "n": {1: "x", None: [True, 2.5]}}
    assert json_item(row) == json.dumps(row, indent=2, ensure_ascii=False).replace("\n", "\n  ")


def test_the_streamed_manifest_is_the_written_one(tmp_path) -> None:
    rows = [
        Row(
            "C-1",
            "clinical",
            "riverside",
            "ok",
            "in.csv",
            False,
            (),
            (Output("C-1.docx", "ab" * 32),),
        ),  # fmt: skip
        Row(
            "Jos\u00e9 \u5317\u4eac",
            "medicare",
            "riverside",
            "blocked",
            'in "q".csv',
            True,
            (error("TXR004", "client x", "a\nb\t\u202e"), warning("W1", "", "=1+1")),
        ),  # fmt: skip
        Row("E", "p", "a", "failed"),
    ]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_manifest(tmp_path / "a", rows)
    stream_manifest(tmp_path / "b", (r.as_json() for r in rows))
    for name in ("manifest.json", "manifest.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_rows_findings_are_written_and_read_back_as_pydantic_would() -> None:
    """Row.as_json writes each finding without model_dump, and from_json shares findings of
    the same content: both give what pydantic gives, member for member, in its order."""
    findings = (error("TXR004", "client x", "a\nb\t\u202e"), warning("W1", "", "=1+1"))
    row = Row("C-1", "clinical", "riverside", "blocked", "in.csv", True, findings * 2)
    data = row.as_json()
    assert data["findings"] == [f.model_dump(mode="json") for f in findings * 2]
    assert [list(f) for f in data["findings"]] == [list(f.model_dump()) for f in findings * 2]
    back = Row.from_json(data)
    assert back == row and back.findings[0] is back.findings[2]
    assert Row.from_json(json.loads(json.dumps(data))) == row
