"""A row's ledger line made from the escapes its manifest.json item already made (one
escape of each value for both) is byte for byte the line ``json.dumps`` of the entry gives,
whatever the text; rows of another shape, and odd keys or versions, take the general way."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.batch.ledger import Ledger
from pipeline.batch.manifest import shaped_texts
from tests.batch.test_manifest_shaped import _ODD, _ROW, _TEXT, _json


def _lines(folder: Path, entries: list[tuple]) -> list[str]:
    ledger = Ledger(folder)
    try:
        for key, fingerprint, row, version in entries:
            texts = shaped_texts(row)
            ledger.record(key, fingerprint, row, version, None if texts is None else texts[1])
        ledger.sync()
    finally:
        ledger.close()
    return (folder / ".txplan-ledger.jsonl").read_text(encoding="utf-8").split("\n")[1:-1]


def _expected(key, fingerprint, row, version) -> str:
    entry = {"key": key, "fp": fingerprint, "row": row}
    if version is not None:
        entry["v"] = version
    return json.dumps(entry, ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT, _ROW, st.none() | _TEXT), min_size=1, max_size=4))
def test_a_build_row_is_recorded_as_json_would(tmp_path_factory, entries) -> None:
    for _key, _fp, row, _v in entries:
        texts = shaped_texts(row)
        assert texts is not None
        assert texts[0] == _json(row)
        assert texts[1] == json.dumps(row, ensure_ascii=False)
    folder = tmp_path_factory.mktemp("ledger")
    assert _lines(folder, entries) == [_expected(*e) for e in entries]


@settings(max_examples=200, deadline=None)
@given(_TEXT, _TEXT, _ROW, st.none() | _TEXT, st.data())
def test_odd_entries_are_still_recorded_as_json_would(tmp_path_factory, key, fp, row, v,
                                                       data) -> None:  # fmt: skip
    how = data.draw(st.sampled_from(["row", "finding", "key", "fp", "version"]))
    if how == "row":
        row[data.draw(st.sampled_from(sorted(row)))] = data.draw(_ODD)
    elif how == "finding" and row["findings"]:
        row["findings"][0][data.draw(st.sampled_from(sorted(row["findings"][0])))] = data.draw(_ODD)
    elif how == "key":
        key = data.draw(st.integers() | st.none())
    elif how == "fp":
        fp = data.draw(st.integers() | st.none())
    elif how == "version":
        v = data.draw(st.integers() | st.booleans())
    folder = tmp_path_factory.mktemp("ledger")
    assert _lines(folder, [(key, fp, row, v)]) == [_expected(key, fp, row, v)]
