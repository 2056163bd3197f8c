"""What an input file says it is: the title naming the system or form it came from.

Exports name their product in a title above the header ("CounselTrack 4.2 — Treatment Plan
Intake Export"; PracticeFlow's "Read Me" sheet); a form names itself in its document title or
first line. A message about the whole file (IN045) names that system, not only the file. The
title is read from the file's top rows, once a file and only when such a message is due (a
workbook's, as the read kept them: :func:`pipeline.readers.xlsx.top_rows`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

TOP_ROWS = 5  #: rows of a sheet looked at for a title above the header
MAX_TITLE = 80  #: characters of a title kept in a message
#: where a title's product name ends: "CounselTrack 4.2 — Treatment Plan Intake Export"
_PRODUCT_END = re.compile(r"\s+[—–-]\s+|\s+·\s+|:\s+")
_SPACES = re.compile(r"\s+")


def _clean(value: Any) -> str:
    """A cell or line as one short line of printable text ("" for none)."""
    if not isinstance(value, str):
        return ""
    text = _SPACES.sub(" ", "".join(c if c.isprintable() else " " for c in value)).strip()
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def title_of_rows(sheets: Iterable[Iterable[Sequence[Any]]]) -> str | None:
    """The first title of the sheets: a row of one text cell among a sheet's top rows, above
    any row of several cells (a header or a record)."""
    for rows in sheets:
        for number, row in enumerate(rows):
            if number >= TOP_ROWS:
                break
            filled = [c for c in row if c is not None and str(c).strip()]
            if len(filled) > 1:
                break  # the header (or data): no title above it in this sheet
            if filled and (text := _clean(filled[0])):
                return text
    return None


def product(title: str) -> str:
    """The product a title names: its part before a dash, a middle dot or a colon."""
    return _PRODUCT_END.split(title, maxsplit=1)[0].strip() or title


def _spreadsheet_title(path: Path) -> str | None:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from pipeline.readers.xlsx import top_rows  # the rows the read kept, if it kept them

        tops = top_rows(path, TOP_ROWS)
        try:
            return title_of_rows(tops)
        finally:
            tops.close()
    import csv

    from pipeline.readers.delimited import sniff

    with path.open("rb") as handle:  # the top lines only; a stray byte is no title's concern
        head = handle.read(65536).decode("utf-8-sig", errors="replace")
    lines = head.splitlines()[:TOP_ROWS]
    return title_of_rows([csv.reader(lines, delimiter=sniff(head, path.suffix.lower()))])


def _document_title(path: Path) -> str | None:
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(path)
        title = _clean(reader.metadata.title if reader.metadata else None)
        if title or not reader.pages:
            return title or None
        return _clean((reader.pages[0].extract_text() or "").split("\n", 1)[0]) or None
    import docx

    document = docx.Document(str(path))
    title = _clean(document.core_properties.title)
    first = next((p.text for p in document.paragraphs if p.text.strip()), "")
    return title or _clean(first) or None


def file_title(path: Path) -> tuple[str, str | None]:
    """(kind, title): "export" with the title above a spreadsheet's header, "form" with a PDF's
    or DOCX's document title; the title None when the file gives none or cannot be read."""
    kind = "form" if path.suffix.lower() in (".pdf", ".docx") else "export"
    try:
        if not path.is_file():
            return kind, None
        if kind == "form":
            return kind, _document_title(path)
        return kind, _spreadsheet_title(path)
    except Exception:  # noqa: BLE001 - a title is a courtesy: the file was read already
        return kind, None


def system_words(path: Path, profile_name: str = "") -> str:
    """Who has no place for a field, for a message about the file ``path``: the mapping
    profile's system, else the product or form its title names, else the file saying none.
    Curly quotes: a title is the file's label, not a client's value the CLI hides."""
    name = path.name
    if profile_name:
        return f"{profile_name} (the mapping profile's system; file {name})"
    kind, title = file_title(path)
    if title is None:
        if kind == "export":
            return f"the system that exported {name} (the file names none above its header)"
        return f"this {kind} ({name}, untitled)"
    if kind == "form":
        return f"the form “{title}” ({name})"
    return f"{product(title)} (the product the title in {name} names)"
