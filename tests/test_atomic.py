"""One atomic-write module: private temporary file, fsync, rename, fsync the folder."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from pipeline import atomic
from tests.support import ROOT


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_bytes_replaces_the_file_privately_and_durably(tmp_path, monkeypatch) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    target = tmp_path / "new" / "deeper" / "out.bin"
    atomic.write_bytes(target, b"first")
    atomic.write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert synced == ["file", "dir", "file", "dir"]
    assert _mode(target) == 0o600
    assert _mode(tmp_path / "new") == 0o700
    assert _mode(tmp_path / "new" / "deeper") == 0o700
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.bin"]


def test_an_error_while_writing_leaves_the_old_file_and_no_part(tmp_path) -> None:
    target = tmp_path / "plans.jsonl"
    target.write_text("old\n")

    def lines():
        yield "new"
        raise RuntimeError("reader failed halfway")

    with pytest.raises(RuntimeError):
        atomic.write_lines(target, lines())
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plans.jsonl"]


def test_write_lines_counts_and_ends_each_line(tmp_path) -> None:
    target = tmp_path / "x.jsonl"
    assert atomic.write_lines(target, ["a", "b"]) == 2
    assert target.read_bytes() == b"a\nb\n"


def test_remove_partial_files_clears_only_temporaries(tmp_path) -> None:
    (tmp_path / ".plan.docx.abc123.part").write_bytes(b"half")
    (tmp_path / "plan.docx").write_bytes(b"whole")
    assert atomic.remove_partial_files(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["plan.docx"]


def test_create_private_appends_to_a_0600_file(tmp_path) -> None:
    path = tmp_path / "sub" / ".ledger"
    with atomic.create_private(path) as handle:
        handle.write(b"one\n")
    with atomic.create_private(path) as handle:
        handle.write(b"two\n")
    assert path.read_bytes() == b"one\ntwo\n"
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700


def test_no_other_module_writes_files_its_own_way() -> None:
    """Every rename-into-place, temporary output file and fsync lives in pipeline/atomic.py."""
    own_way = re.compile(r"os\.replace\(|os\.rename\(|mkstemp\(|NamedTemporaryFile\(|\.rename\(")
    offenders = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        if path.name == "atomic.py" and path.parent.name == "pipeline":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in own_way.finditer(text)]
        if "atomic_write_bytes" in text:
            offenders.append(f"{path.relative_to(ROOT)}: atomic_write_bytes")
    assert offenders == []


def test_a_batch_document_is_atomic_but_leaves_syncing_to_the_ledger(tmp_path, monkeypatch):
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    atomic.write_bytes(tmp_path / "doc.docx", b"PK", durable=False)
    assert synced == [] and _mode(tmp_path / "doc.docx") == 0o600


def test_a_part_file_is_private_until_committed_or_discarded(tmp_path) -> None:
    target = tmp_path / "manifest.csv"
    target.write_text("old\n")
    part = atomic.PartFile(target, newline="")
    part.handle.write("a,b\r\n")
    assert part.offset() == 5
    assert part.tmp.name.startswith(".manifest.csv.") and part.tmp.name.endswith(".part")
    assert part.tmp.stat().st_mode & 0o777 == 0o600
    assert target.read_text() == "old\n"  # not in place until committed
    part.commit()
    assert target.read_bytes() == b"a,b\r\n" and not part.tmp.exists()
    gone = atomic.PartFile(target)
    gone.handle.write("never")
    gone.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.csv"]


_UNNAMED = pytest.mark.skipif(not atomic._unnamed[0], reason="no O_TMPFILE or /proc here")


@_UNNAMED
def test_a_new_file_is_written_unnamed_and_appears_whole(tmp_path, monkeypatch) -> None:
    target = tmp_path / "doc.docx"
    real_write = os.write
    seen: list[list[str]] = []

    def write(fd: int, data) -> int:
        seen.append(sorted(p.name for p in tmp_path.iterdir()))  # nothing named while writing
        return real_write(fd, data[:3])  # a short write: the rest follows

    def no_rename(*args) -> None:
        raise AssertionError("a new file needs no rename")

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "replace", no_rename)
    atomic.write_bytes(target, b"PK\x03\x04 whole", durable=False)
    assert target.read_bytes() == b"PK\x03\x04 whole" and _mode(target) == 0o600
    assert seen and all(names == [] for names in seen)
    assert [p.name for p in tmp_path.iterdir()] == ["doc.docx"]


@_UNNAMED
def test_an_unnamed_file_that_fails_halfway_leaves_nothing(tmp_path, monkeypatch) -> None:
    def full(fd: int, data) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(OSError, match="No space"):
        atomic.write_bytes(tmp_path / "doc.docx", b"data", durable=False)
    assert list(tmp_path.iterdir()) == []


@_UNNAMED
def test_an_existing_file_is_replaced_whole_through_a_temporary_name(tmp_path) -> None:
    target = tmp_path / "doc.docx"
    target.write_bytes(b"old")
    link = tmp_path / "elsewhere.docx"
    link.symlink_to(tmp_path / "outside")  # a link in the way is replaced, never followed
    atomic.write_bytes(target, b"new", durable=False)
    atomic.write_bytes(link, b"mine", durable=False)
    assert target.read_bytes() == b"new" and _mode(target) == 0o600
    assert not link.is_symlink() and link.read_bytes() == b"mine"
    assert not (tmp_path / "outside").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.docx", "elsewhere.docx"]


@pytest.mark.skipif(not atomic._TMPFILE, reason="no O_TMPFILE here")
@pytest.mark.parametrize("fails", ["tmpfile", "proc"])
def test_without_unnamed_files_a_temporary_name_is_used(tmp_path, monkeypatch, fails) -> None:
    real_open, real_link = os.open, os.link

    def no_tmpfile(path, flags, *args, **kwargs):
        if flags & atomic._TMPFILE == atomic._TMPFILE:
            raise OSError(95, "Operation not supported")
        return real_open(path, flags, *args, **kwargs)

    def no_proc(source, target, **kwargs):
        if str(source).startswith("/proc/"):
            raise FileNotFoundError(2, "No such file or directory", source)
        return real_link(source, target, **kwargs)

    monkeypatch.setattr(atomic, "_unnamed", [True])
    monkeypatch.setattr(os, "open", no_tmpfile if fails == "tmpfile" else real_open)
    monkeypatch.setattr(os, "link", no_proc if fails == "proc" else real_link)
    target = tmp_path / "deeper" / "doc.docx"
    (tmp_path / "deeper").mkdir()
    atomic.write_bytes(target, b"first", durable=False)
    assert atomic._unnamed == [False]  # the process stops trying
    atomic.write_bytes(target, b"second")
    assert target.read_bytes() == b"second" and _mode(target) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["doc.docx"]
