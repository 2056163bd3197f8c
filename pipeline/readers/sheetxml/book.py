"""A workbook's small parts, as calamine reads them: its worksheets in order (name and part),
the date formats of its cell styles, and where its shared strings are.

Only the plain shapes every spreadsheet program writes are read here; anything else (a prefixed
element, a chart or macro sheet, the 1904 date system, a part outside ``xl/``) answers None,
and the workbook is read by calamine as before.
"""

from __future__ import annotations

import re
import zipfile

_ROOT_RELS = "_rels/.rels"
WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
STYLES = "xl/styles.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKSHEET = f"{_OFFICE}/worksheet"
_SMALL = 8 << 20  #: the most bytes a workbook, relationships or styles part may hold here

_ELEMENT = re.compile(rb"<([A-Za-z_][\w.:-]*)((?:\s+[^\s=<>/]+=\"[^\"<]*\")*)\s*/?>")
_ATTRIBUTE = re.compile(rb'([^\s=<>/]+)="([^"<]*)"')
_ENTITY = re.compile(r"&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
#: numFmtIds calamine reads as dates (builtin_format_by_id); 46 ([h]:mm:ss) is a duration
_BUILTIN_DATES = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 47})
OTHER, DATE, ODD = 0, 1, 2  #: a style's numbers: as numbers, as dates, not read here


def unescape(value: bytes) -> str | None:
    """An attribute's value as text (the XML entities decoded); None when odd."""
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "&" not in text:
        return text
    decoded = _ENTITY.sub(
        lambda m: _NAMED.get(m[1]) or chr(int(m[1][2:], 16) if m[1][1] == "x" else int(m[1][1:])),
        text,
    )
    return None if "&" in _ENTITY.sub("", text) else decoded


def _elements(xml: bytes, name: bytes) -> list[dict[bytes, bytes]] | None:
    """The attributes of every element named ``name`` (no prefix); None when the part holds a
    prefixed one, or one written otherwise than ``<name a="v" .../>``."""
    if re.search(rb"<[A-Za-z_][\w.-]*:" + name + rb"[\s/>]", xml):
        return None
    found = []
    for start in re.finditer(rb"<" + name + rb"[\s/>]", xml):
        element = _ELEMENT.match(xml, start.start())
        if element is None or element[1] != name:
            return None
        found.append(dict(_ATTRIBUTE.findall(element[2])))
    return found


def _read(archive: zipfile.ZipFile, name: str, most: int = _SMALL) -> bytes | None:
    try:
        member = archive.getinfo(name)
    except KeyError:
        return None
    if member.file_size > most:
        return None
    with archive.open(member) as stream:
        data = stream.read(most + 1)
    return data if len(data) <= most else None


def worksheets(archive: zipfile.ZipFile) -> list[tuple[str, str]] | None:
    """(name, part) of every sheet, in the workbook's order; None unless every one is a
    worksheet in a part of this package and the workbook is plain (1900 dates)."""
    rels = _read(archive, _ROOT_RELS)
    found = _elements(rels, b"Relationship") if rels is not None else None
    if not found or not any(
        r.get(b"Type") == f"{_OFFICE}/officeDocument".encode()
        and r.get(b"Target") in (b"xl/workbook.xml", b"/xl/workbook.xml")
        for r in found
    ):
        return None
    book, book_rels = _read(archive, WORKBOOK), _read(archive, _WORKBOOK_RELS)
    if book is None or book_rels is None or b"<!" in book or b"<!" in book_rels:
        return None
    pr = _elements(book, b"workbookPr")
    sheets, links = _elements(book, b"sheet"), _elements(book_rels, b"Relationship")
    if pr is None or sheets is None or links is None or not sheets:
        return None
    if any(p.get(b"date1904", b"0") not in (b"0", b"false") for p in pr):
        return None
    targets = {r.get(b"Id"): r for r in links}
    out = []
    for sheet in sheets:
        name, link = unescape(sheet.get(b"name", b"")), targets.get(sheet.get(b"r:id"))
        if not name or link is None or link.get(b"Type") != _WORKSHEET.encode():
            return None
        if b"TargetMode" in link:
            return None
        target = unescape(link.get(b"Target", b""))
        if not target or ".." in target or "\\" in target:
            return None
        part = target[1:] if target.startswith("/") else f"xl/{target}"
        if part not in archive.NameToInfo:
            return None
        out.append((name, part))
    if len({name for name, _part in out}) != len(out):
        return None
    return out


def date_format(code: str) -> int:
    """calamine's reading of a custom number format (formats.rs, detect_custom_number_format):
    DATE, OTHER, or ODD for a duration ([h]:mm:ss: a timedelta, not read here)."""
    escaped = is_quote = ap = hms = False
    brackets, prev = 0, " "
    for s in code:
        if escaped:
            escaped = False
        elif s in "_\\*":
            escaped = True
        elif is_quote:
            if s == '"':
                is_quote = False
        elif s == '"':
            is_quote = True
        elif s == ";":
            return OTHER
        elif s == "[":
            brackets += 1
        elif s == "]" and brackets == 1 and hms:
            return ODD
        elif s == "]":
            brackets = max(0, brackets - 1)
        elif s in "aA" and not ap and brackets == 0:
            ap = True
        elif brackets == 0 and s in ("pm/PM" if ap else "dmhysDMHYS"):
            return DATE
        elif not (hms and s.lower() == prev.lower()):
            hms = prev == "[" and s in "mhsMHS"
        prev = s
    return OTHER


def styles(archive: zipfile.ZipFile) -> bytes | None:
    """One byte a cell style (``cellXfs``, in order): OTHER, DATE or ODD; None when odd."""
    xml = _read(archive, STYLES)
    if xml is None:
        return b"" if STYLES not in archive.NameToInfo else None
    if b"<!" in xml or xml.count(b"<numFmts") > 1 or xml.count(b"<cellXfs") > 1:
        return None  # (one of each at most: no search runs to the end more than once)
    lists = re.findall(rb"<numFmts\b(?:[^>]*[^/>])?>(.*?)</numFmts>", xml, re.S)
    blocks = re.findall(rb"<cellXfs\b(?:[^>]*[^/>])?>(.*?)</cellXfs>", xml, re.S)
    empty = len(re.findall(rb"<(?:numFmts|cellXfs)\b[^>]*/>", xml))
    if len(lists) > 1 or len(blocks) > 1:
        return None
    if xml.count(b"<numFmts") + xml.count(b"<cellXfs") != len(lists) + len(blocks) + empty:
        return None
    formats = _elements(lists[0], b"numFmt") if lists else []
    if formats is None:
        return None
    custom: dict[bytes, str] = {}
    for number_format in formats:
        code = unescape(number_format.get(b"formatCode", b""))
        if code is None:
            return None
        if b"numFmtId" in number_format and b"formatCode" in number_format:
            custom[number_format[b"numFmtId"]] = code
    xfs = _elements(blocks[0], b"xf") if blocks else []
    if xfs is None:
        return None
    out = bytearray()
    for xf in xfs:
        number = xf.get(b"numFmtId")
        if number is None:
            out.append(OTHER)
        elif number in custom:
            out.append(date_format(custom[number]))
        elif number.isdigit():
            out.append(DATE if int(number) in _BUILTIN_DATES else ODD if number == b"46" else OTHER)
        else:
            out.append(OTHER)
    return bytes(out)
