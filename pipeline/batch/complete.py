"""Whether a file another program may still be writing reads through to its end.

:func:`cut_short` answers for a file :class:`~pipeline.batch.watch.Watcher` found stable: a
reason when the file visibly stops mid-way (the rest is still to come), else None. Only a
file that *ran out* is cut short; a file that is complete but wrong (a bad value, a broken
row in the middle, not a workbook at all) is not, so the build reports its problem:

* CSV, TSV, TXT: a quoted field still open at the end of the file, or, with no final line
  break, a last row with fewer cells than the header;
* XLSX, XLSM, DOCX: the zip's central directory (written last) cannot be read;
* JSON: the parser ran out of text; JSON Lines: the last line, with no line break after it,
  ran out; PDF: no ``%%EOF`` marker in its last kilobyte.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from pipeline.bounded import LIMITS
from pipeline.errors import TxplanError

ZIPPED = (".xlsx", ".xlsm", ".docx")
DELIMITED = (".csv", ".tsv", ".txt")
#: How far from the end a PDF's final ``%%EOF`` may be (readers allow 1 KB of trailing junk).
PDF_TAIL = 1024


def _ran_out(text: str) -> bool:
    """Whether a JSON text fails only because it stops before its end."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.msg.startswith("Unterminated string") or exc.pos >= len(text.rstrip())
    except (ValueError, RecursionError):
        return False  # complete but unreadable: the reader says why
    return False


def _json(path: Path) -> str | None:
    if path.stat().st_size > LIMITS.json_bytes:
        return None  # too big to read at all: the reader says so
    text = path.read_bytes().decode("utf-8", errors="replace")
    return "the JSON stops before its end" if _ran_out(text) else None


def _jsonl(path: Path) -> str | None:
    size = path.stat().st_size
    with path.open("rb") as handle:  # only the tail: the last line is at most json_bytes
        handle.seek(max(0, size - LIMITS.json_bytes))
        tail = handle.read()
    if tail.endswith(b"\n"):
        return None
    last = tail.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
    return "the last line stops before its end" if last.strip() and _ran_out(last) else None


def _zip(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path):
            return None
    except (zipfile.BadZipFile, OSError, ValueError):
        return "it does not open as a zip package yet (its directory is written last)"


def _pdf(path: Path) -> str | None:
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - PDF_TAIL))
        tail = handle.read()
    return None if b"%%EOF" in tail else "no %%EOF marker at the end of the PDF"


def _delimited(path: Path) -> str | None:
    from pipeline.readers.delimited import detect_encoding, sniff

    try:
        encoding = detect_encoding(path)
    except TxplanError:
        return None  # empty or binary: the build says so
    with path.open(encoding=encoding, newline="") as handle:
        delimiter = sniff(handle.read(65536), path.suffix.lower())
    header: list[str] | None = None
    last: list[str] = []
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        try:
            for row in reader:
                if header is None and any(row):
                    header = row
                last = row
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                return "a quoted cell is open at the end (still being written, or never closed)"
            return None  # a broken row in the middle: the build reports it
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 1))
        ends_with_break = handle.read(1) in (b"\n", b"\r")
    cut = header is not None and last is not header and len(last) < len(header)
    if cut and not ends_with_break:
        return f"the last row has {len(last)} of the header's {len(header)} cells"
    return None


CHECKS: dict[str, Callable[[Path], str | None]] = {
    **dict.fromkeys(DELIMITED, _delimited),
    **dict.fromkeys(ZIPPED, _zip),
    ".json": _json,
    ".jsonl": _jsonl,
    ".ndjson": _jsonl,
    ".pdf": _pdf,
}


def cut_short(path: Path) -> str | None:
    """Why ``path`` is not whole yet (it stops mid-way), or None when it reads to its end."""
    check = CHECKS.get(Path(path).suffix.lower())
    if check is None:
        return None
    try:
        return check(Path(path))
    except OSError:
        return None  # gone or unreadable: the next look (or the build) says so


__all__ = ["cut_short"]
