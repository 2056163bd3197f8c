"""The ICD-10-CM table's cache as text: the same table back, damage found, odd tables kept."""

from __future__ import annotations

import json

import pytest

from pipeline.clinical import icd10

ROWS = [
    ["F32", "F32", "Major depressive disorder, single episode", False],
    ["F329", "F32.9", "Major depressive disorder, single episode, unspecified", True],
    ["F32A", "F32.A", "Depression, unspecified", True],
    ["F411", "F41.1", "Generalized anxiety disorder", True],
    ["F329", "F32.9", "listed twice: the last entry counts, the first place stays", True],
    ["Z63", "Z63", "Other problems related to primary support group, tab\there", False],
]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh cache folder and a package table of :data:`ROWS` (no child process)."""
    monkeypatch.setenv("TXPLAN_CACHE", str(tmp_path))
    monkeypatch.delenv(icd10.ENV_VAR, raising=False)
    made: list[int] = []

    def rows() -> bytes:
        made.append(1)
        return json.dumps(ROWS).encode("utf-8")

    monkeypatch.setattr(icd10, "_rows", rows)
    icd10.reload()
    yield tmp_path, made
    icd10.reload()


def _answers() -> list[tuple[str, str | None, bool | None]]:
    codes = ["F32", "F32.9", "f32a", "F41.1", "Z63", "F99.99"]
    return [(code, icd10.describe(code), icd10.is_billable(code)) for code in codes]


def test_the_table_read_back_is_the_table_made(cache) -> None:
    folder, made = cache
    first = (_answers(), icd10.billable_children("F32"), dict(icd10._table()))
    assert first[0][1] == ("F32.9", "listed twice: the last entry counts, the first place stays",
                           True)  # fmt: skip
    assert first[0][4][1].endswith("tab\there") and first[1] == ("F32.9", "F32.A")
    assert list(first[2]) == ["F32", "F329", "F32A", "F411", "Z63"]  # first places kept
    icd10.reload()
    assert (_answers(), icd10.billable_children("F32"), dict(icd10._table())) == first
    assert made == [1]  # the second process-worth read only the text
    assert [p.suffix for p in folder.iterdir()] == [".tsv"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data.replace(b"anxiety", b"anxietY"),  # a description changed
        lambda data: data[:-10],  # cut short
        lambda data: data.replace(b"\t1\t", b"\t0\t", 1),  # billable changed
        lambda data: b"",
        lambda data: data.replace(b"table 1", b"table 2", 1),  # another format
    ],
)
def test_a_damaged_cache_is_made_again(cache, damage) -> None:
    folder, made = cache
    expected = _answers()
    path = icd10._cache_file()
    path.write_bytes(damage(path.read_bytes()))
    icd10.reload()
    assert _answers() == expected and made == [1, 1]
    icd10.reload()
    assert _answers() == expected and made == [1, 1]  # and written again, whole


def test_a_table_no_text_can_hold_is_kept_as_rows(cache, monkeypatch) -> None:
    folder, made = cache
    odd = [*ROWS, ["F43", "F43", "two\nlines", False]]
    monkeypatch.setattr(icd10, "_rows", lambda: json.dumps(odd).encode("utf-8"))
    icd10.reload()
    assert icd10.describe("F43") == "two\nlines" and icd10.describe("F41.1")
    assert icd10._text(icd10._table()) is None
    assert not icd10._cache_file().exists()


def test_the_bundled_table_goes_through_text_unchanged() -> None:
    table = icd10._table()
    text = icd10._text(table)
    assert text is not None and icd10._from_text(text) == table
    assert list(icd10._from_text(text)) == list(table)
