"""An unchanged input is skipped whole, unread; anything that changed makes it read again."""

from __future__ import annotations

from pathlib import Path

from pipeline.batch.build import BuildOptions, build
from pipeline.batch.inputs import InputGroup
from pipeline.profiles import load_agency, load_payer
from pipeline.versions.store import Store
from tests.batch.test_resume import files, plans

PAYERS = ("clinical", "medicare-poc")


def _group(path: Path, count: int, reads: list[str], note: str = "") -> InputGroup:
    def read():
        reads.append(path.name)
        yield from plans(count, note)

    return InputGroup(path.name, (path,), read)


def _run(out: Path, groups: list[InputGroup], store: Path | None = None, **kw):
    options = BuildOptions(out_dir=out, merge=False, client_copy=True, **kw,
                           store=Store(store) if store else None)  # fmt: skip
    try:
        return build(groups, [load_payer(p) for p in PAYERS], load_agency("riverside"), options)
    finally:
        if options.store is not None:
            options.store.close()


def test_an_unchanged_input_is_not_read_again_and_gives_the_same_folder(tmp_path) -> None:
    source = tmp_path / "export.jsonl"
    source.write_text("v1", encoding="utf-8")  # the group's bytes: what its hash is taken of
    reads: list[str] = []
    out = tmp_path / "out"
    first = _run(out, [_group(source, 3, reads)], tmp_path / "s.db")
    before = files(out)
    again = _run(out, [_group(source, 3, reads)], tmp_path / "s.db")
    assert reads == ["export.jsonl"]  # read once, by the first build only
    assert again.skipped == 9 and again.versions_unchanged == 3 and again.versions_saved == 0
    assert files(out) == before  # every document and the manifest, byte for byte
    assert [r.as_json() for r in again.rows] == [r.as_json() for r in first.rows]


def test_new_bytes_make_the_input_read_again(tmp_path) -> None:
    source = tmp_path / "export.jsonl"
    source.write_text("v1", encoding="utf-8")
    reads: list[str] = []
    _run(tmp_path / "out", [_group(source, 2, reads)])
    source.write_text("v2", encoding="utf-8")
    again = _run(tmp_path / "out", [_group(source, 2, reads, note="I want to sleep again.")])
    assert reads == ["export.jsonl", "export.jsonl"]
    assert again.skipped == 3  # the second plan's rows are still reused one by one


def test_a_damaged_document_makes_the_input_read_again(tmp_path) -> None:
    source = tmp_path / "export.jsonl"
    source.write_text("v1", encoding="utf-8")
    reads: list[str] = []
    out = tmp_path / "out"
    _run(out, [_group(source, 2, reads)])
    before = files(out)
    victim = next(p for p in out.iterdir() if p.suffix == ".docx")
    victim.write_bytes(b"not a document")
    again = _run(out, [_group(source, 2, reads)])
    assert reads == ["export.jsonl", "export.jsonl"]
    assert again.skipped == 5 and files(out) == before


def test_a_version_saved_since_makes_the_input_read_again(tmp_path) -> None:
    """Another build (or a review) gave the client a newer version: this folder's documents
    no longer show the client's latest plan, so the input is read and decided again."""
    source = tmp_path / "export.jsonl"
    source.write_text("v1", encoding="utf-8")
    other = tmp_path / "update.jsonl"
    other.write_text("u1", encoding="utf-8")
    reads: list[str] = []
    store = tmp_path / "s.db"
    _run(tmp_path / "out", [_group(source, 1, reads)], store)
    _run(tmp_path / "other", [_group(other, 1, reads, note="I sleep better now.")], store,
         supersede="new intake after the review")  # fmt: skip
    _run(tmp_path / "out", [_group(source, 1, reads)], store)
    assert reads == ["export.jsonl", "update.jsonl", "export.jsonl"]


def test_names_stay_taken_by_a_skipped_input(tmp_path) -> None:
    """A later input's client with the same id gets the same "~2" name as in the first run."""
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("a", encoding="utf-8")
    second.write_text("b", encoding="utf-8")
    reads: list[str] = []
    out = tmp_path / "out"
    _run(out, [_group(first, 1, reads), _group(second, 1, reads, note="later")])
    before = files(out)
    second.write_text("b2", encoding="utf-8")
    _run(out, [_group(first, 1, reads), _group(second, 1, reads, note="later")])
    assert reads == ["a.jsonl", "b.jsonl", "b.jsonl"]
    assert files(out) == before
