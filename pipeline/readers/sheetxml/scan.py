"""The worksheet scanner in Python: the same reading as ``cscan.c`` (tests compare the two on
every sample and on odd XML), used where the C scanner is not built.

:func:`cells` reads a sheet part's ``sheetData``: rows each with an ``r`` greater than the
last, cells each with ``r`` (capitals, then the row's own number) first and in order, then only
``s``, ``t`` (n, s, str, inlineStr, b), ``cm``, ``vm`` or ``ph``; children ``<v>``, ``<f>``
and ``<is><t>`` (the last child decides, as in calamine). Text may hold the five XML entities
and character references of printable characters; ``\\r``, control characters, ``_x`` escapes
and, outside ``xml:space="preserve"``, space at either end are odd. Numbers are
``-?digits[.digits][e±ddd]``; a date style's number must be a whole day from 1900-03-01. Any
other XML answers None.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pipeline.readers.sheetxml.book import DATE, OTHER

MAX_ROW, MAX_COL = 1_048_576, 16_384
_SPACE = b" \n\t\r"
_ATTRIBUTE = re.compile(rb'[ \n\t\r]*([^= \n\t\r>/<"\']+)="([^"<]*)"')
_REFERENCE = re.compile(rb"([A-Z]{1,3})([1-9][0-9]{0,6})")
_DIGITS = re.compile(rb"0|[1-9][0-9]{0,8}")
_NUMBER = re.compile(rb"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]{1,3})?")
_NAMED = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"', b"apos": "'"}
_ODD_TEXT = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|_x")
_EPOCH = dt.date(1899, 12, 30)
TYPES = {b"n": "n", b"s": "s", b"str": "str", b"inlineStr": "inline", b"b": "b"}


class Odd(Exception):
    """XML this scanner does not read: the workbook goes to calamine."""


def _number(digits: bytes, most: int) -> int:
    if not digits or len(digits) > most or digits[:1] == b"0" or not digits.isdigit():
        return -1
    return int(digits)


def _attributes(xml: bytes, at: int) -> tuple[list[tuple[bytes, bytes]], int, bool]:
    """The attributes of a start tag from ``at``, where the tag ends, and whether it closes
    itself (``/>``)."""
    found = []
    while True:
        attribute = _ATTRIBUTE.match(xml, at)
        if attribute is None:
            break
        found.append((attribute[1], attribute[2]))
        at = attribute.end()
    while at < len(xml) and xml[at] in _SPACE:
        at += 1
    if xml.startswith(b">", at):
        return found, at + 1, False
    if xml.startswith(b"/>", at):
        return found, at + 2, True
    raise Odd


def _entity(name: bytes) -> str:
    if name in _NAMED:
        return _NAMED[name]
    if len(name) < 2 or name[:1] != b"#":
        raise Odd
    digits, base = (name[2:], 16) if name[1:2] == b"x" else (name[1:], 10)
    if (
        not digits
        or len(digits) > 6
        or not all(c in b"0123456789abcdefABCDEF"[: 10 if base == 10 else 22] for c in digits)
    ):
        raise Odd
    code = int(digits, base)
    if code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise Odd
    if code in (0xFFFE, 0xFFFF):
        raise Odd
    return chr(code)


def _text(xml: bytes, at: int, trim: bool) -> tuple[str, int]:
    stop = xml.find(b"<", at)
    if stop < 0:
        raise Odd
    raw = xml[at:stop]
    if _ODD_TEXT.search(raw):
        raise Odd
    if trim and raw and (raw[:1] in (b" ", b"\n", b"\t") or raw[-1:] in (b" ", b"\n", b"\t")):
        raise Odd
    try:
        if b"&" not in raw:
            return raw.decode("utf-8"), stop
        parts, last = [], 0
        while (amp := raw.find(b"&", last)) >= 0:
            semi = raw.find(b";", amp)
            if semi < 0:
                raise Odd
            parts.append(raw[last:amp])
            parts.append(_entity(raw[amp + 1 : semi]).encode())
            last = semi + 1
        parts.append(raw[last:])
        text = b"".join(parts).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError) as exc:
        raise Odd from exc
    if trim and text and (text[0] in " \n\t" or text[-1] in " \n\t"):
        raise Odd
    return text, stop


def _t(xml: bytes, at: int) -> tuple[str, int]:
    if not xml.startswith(b"<t", at) or xml[at + 2 : at + 3] not in (b" ", b">", b"/"):
        raise Odd
    found, at, closed = _attributes(xml, at + 2)
    preserve = False
    for i, (name, value) in enumerate(found):
        if name != b"xml:space" or i or value not in (b"preserve", b"default"):
            raise Odd
        preserve = value == b"preserve"
    if closed:
        raise Odd
    text, at = _text(xml, at, not preserve)
    if not xml.startswith(b"</t>", at):
        raise Odd
    return text, at + 4


def _date(value: float) -> dt.date:
    if not 61.0 <= value <= 2958465.0 or value != int(value):
        raise Odd
    return _EPOCH + dt.timedelta(days=int(value))


def _value(xml: bytes, at: int, kind: str, style: int, strings: list[str]) -> tuple[Any, int]:
    """A cell's children up to ``</c>``: its value (None for a blank) and where it ends."""
    value: Any = None
    while True:
        if xml.startswith(b"</c>", at):
            return value, at + 4
        value = None
        if xml.startswith(b"<v/>", at):
            if kind == "inline":
                raise Odd
            value, at = ("" if kind == "str" else None), at + 4
        elif xml.startswith(b"<v>", at):
            if kind == "inline":
                raise Odd
            at += 3
            if kind == "str":
                value, at = _text(xml, at, False)
            else:
                stop = xml.find(b"<", at)
                if stop < 0:
                    raise Odd
                raw, at = xml[at:stop], stop
                if not raw:
                    pass
                elif kind == "s":
                    if not _DIGITS.fullmatch(raw) or int(raw) >= len(strings):
                        raise Odd
                    value = strings[int(raw)]
                elif kind == "b":
                    value = raw != b"0"
                else:
                    if len(raw) > 64 or not _NUMBER.fullmatch(raw):
                        raise Odd
                    number = float(raw)
                    if style == DATE:
                        value = _date(number)
                    elif style == OTHER:
                        value = number
                    else:
                        raise Odd
            if not xml.startswith(b"</v>", at):
                raise Odd
            at += 4
        elif xml.startswith(b"<is>", at):
            if kind != "inline":
                raise Odd
            value, at = _t(xml, at + 4)
            if not xml.startswith(b"</is>", at):
                raise Odd
            at += 5
        elif xml.startswith(b"<f", at) and xml[at + 2 : at + 3] in (b" ", b">", b"/"):
            _found, at, closed = _attributes(xml, at + 2)
            if not closed:
                stop = xml.find(b"<", at)
                if stop < 0 or not xml.startswith(b"</f>", stop):
                    raise Odd
                at = stop + 4
        else:
            raise Odd


def _prolog(xml: bytes) -> int:
    """Where the cells begin, after ``<sheetData>``."""
    at = xml.find(b"<sheetData")
    if at < 0 or xml.find(b"sheetData") != at + 1:
        raise Odd
    head = xml[:at]
    if b"<!" in head or b"<?" in head[1:] or (b"<?" in head and not head.startswith(b"<?")):
        raise Odd
    if not xml.startswith(b"<sheetData>", at):
        raise Odd
    return at + 11


def _skip_space(xml: bytes, at: int) -> int:
    while at < len(xml) and xml[at] in _SPACE:
        at += 1
    return at


def _found(xml: bytes, strings: list[str], styles: bytes, limit: int) -> list[tuple[int, int, Any]]:
    """(row, column, value) of every cell that is not blank, 0-based, in order; Odd as soon
    as the rows they need would hold more than ``limit`` cells."""
    at, last_row, previous, widest = _prolog(xml), 0, (-1, -1), 0
    found = []
    while True:
        at = _skip_space(xml, at)
        if xml.startswith(b"</sheetData>", at):
            return found
        if not xml.startswith(b"<row", at) or xml[at + 4 : at + 5] not in (b" ", b">", b"/"):
            raise Odd
        attributes, at, closed = _attributes(xml, at + 4)
        numbers = [_number(v, 7) for name, v in attributes if name == b"r"]
        if len(numbers) != 1 or not 1 <= numbers[0] <= MAX_ROW or numbers[0] <= last_row:
            raise Odd
        last_row = numbers[0]
        if closed:
            continue
        while True:
            at = _skip_space(xml, at)
            if xml.startswith(b"</row>", at):
                at += 6
                break
            if not xml.startswith(b"<c ", at):
                raise Odd
            attributes, at, closed = _attributes(xml, at + 3)
            if not attributes or attributes[0][0] != b"r":
                raise Odd
            reference = _REFERENCE.fullmatch(attributes[0][1])
            if reference is None or int(reference[2]) != last_row:
                raise Odd
            column = 0
            for letter in reference[1]:
                column = column * 26 + letter - 64
            if column > MAX_COL:
                raise Odd
            position = (last_row - 1, column - 1)
            if position <= previous:
                raise Odd
            kind, style, seen = "n", OTHER, set()
            for name, value in attributes[1:]:
                if name in seen:
                    raise Odd
                if name in (b"s", b"t"):
                    seen.add(name)
                if name == b"s":
                    if not _DIGITS.fullmatch(value):
                        raise Odd
                    style = styles[int(value)] if int(value) < len(styles) else OTHER
                elif name == b"t":
                    if value not in TYPES:
                        raise Odd
                    kind = TYPES[value]
                elif name not in (b"cm", b"vm", b"ph"):
                    raise Odd
            previous = position
            if closed:
                continue
            value, at = _value(xml, at, kind, style, strings)
            if value is not None:
                widest = max(widest, position[1] + 1)
                if (position[0] + 1) * widest > limit:  # never more cells than rows can hold
                    raise Odd
                found.append((*position, value))


def cells(
    xml: bytes | bytearray, strings: list[str], styles: bytes, limit: int
) -> list[list[Any]] | None:
    """A sheet part's rows as calamine gives them (every row as wide as the used range, a blank
    cell "", the rows above it blank), the columns before it None; None when the XML is odd,
    the sheet is empty, or the rows would hold more than ``limit`` cells."""
    try:
        found = _found(bytes(xml), strings, styles, limit)
    except Odd:
        return None
    if not found:
        return None
    first_col = min(col for _row, col, _value in found)
    width = max(col for _row, col, _value in found) + 1
    last = found[-1][0]
    if (last + 1) * width > limit:
        return None
    rows = [[None] * first_col + [""] * (width - first_col) for _ in range(last + 1)]
    for row, col, value in found:
        rows[row][col] = value
    return rows


def strings(xml: bytes | bytearray) -> list[str] | None:
    """A sharedStrings part's strings (each ``<si><t>...</t></si>``); None when odd."""
    xml = bytes(xml)
    at = xml.find(b"<sst")
    if at < 0 or xml[at + 4 : at + 5] not in (b" ", b">"):
        return None
    head = xml[:at]
    if b"<!" in head or head.count(b"<") != head.count(b"<?") or b"<?" in head[1:]:
        return None
    if head.count(b"<?") and not head.startswith(b"<?"):
        return None
    try:
        _attrs, at, closed = _attributes(xml, at + 4)
        if closed:
            return None
        out = []
        while True:
            at = _skip_space(xml, at)
            if xml.startswith(b"</sst>", at):
                return out
            if not xml.startswith(b"<si>", at):
                return None
            text, at = _t(xml, at + 4)
            if not xml.startswith(b"</si>", at):
                return None
            out.append(text)
            at += 5
    except Odd:
        return None
