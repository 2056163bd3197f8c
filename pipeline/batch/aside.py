"""A plan's field sources as canonical JSON, the way a read intake holds them, in one loop.

:func:`pipeline.model.canonical.aside_text` encodes ``provenance.fields`` (about 50 sources a
plan) through a generated encoder, one call a source; here the sources of the usual shape
(each exactly a ``Source`` of exactly typed values, under a text path) are written by one loop:
the text before a source's file (its path, column and field) is kept by those three, the
text from its file on (file, page, row, sheet) is kept while the next source has the very
same values (the ~50 cells of one intake row). Anything else: ``aside_text``, the same text.
"""

from __future__ import annotations

from json.encoder import encode_basestring
from typing import Any

from pipeline.model import Provenance, Source
from pipeline.model.canonical import ASIDE, HASH_BLIND, aside_text

#: path -> (column, field, the source's text up to its file: ``"path":{"column":..,"field":..``)
_HEADS: dict[str, tuple[Any, Any, str]] = {}
_HEADS_MAX = 4096
#: A Source's members, as the canonical JSON orders them (sorted by name).
_MEMBERS = ("column", "field", "file", "page", "row", "sheet")
_USABLE = (
    HASH_BLIND == "provenance"
    and ASIDE == "fields"
    and sorted(Provenance.model_fields)[0] == ASIDE
    and tuple(sorted(Source.model_fields)) == _MEMBERS
    and not Source.model_computed_fields
)


class _Other(Exception):
    """A source not of the usual shape: encoded the general way."""


def fields_text(plan: Any) -> str | None:
    """``aside_text(plan)``: the canonical JSON of ``plan.provenance.fields``."""
    provenance = getattr(plan, "provenance", None)
    if _USABLE and type(provenance) is Provenance:
        fields = provenance.__dict__.get("fields")
        if type(fields) is dict:
            try:
                return _encoded(fields)
            except _Other:
                pass
    return aside_text(plan)


def _text(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is not str:
        raise _Other
    return encode_basestring(value)


def _number(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is not int:
        raise _Other
    return int.__repr__(value)


def _encoded(fields: dict[Any, Any]) -> str:
    heads, made, tails = _HEADS, [], []
    append = made.append
    tail: tuple[Any, ...] | None = None
    for path in sorted(fields):  # the paths are the keys: no two the same (faster than items)
        source = fields[path]
        if type(source) is not Source or type(path) is not str:
            raise _Other
        d = source.__dict__
        if len(d) != 6:
            raise _Other
        column, field = d["column"], d["field"]
        kept = heads.get(path)
        if kept is None or kept[0] is not column or kept[1] is not field:
            if (column is not None and type(column) is not str) or (
                field is not None and type(field) is not str
            ):
                raise _Other
            if kept is None or kept[0] != column or kept[1] != field:
                if len(heads) >= _HEADS_MAX:
                    heads.clear()
                head = (
                    f'{encode_basestring(path)}:{{"column":{_text(column)},"field":{_text(field)}'
                )
                kept = heads[path] = (column, field, head)
        append(kept[2])
        if (
            tail is None
            or d["file"] is not tail[0]
            or d["page"] is not tail[1]
            or d["row"] is not tail[2]
            or d["sheet"] is not tail[3]
        ):
            file, page, row, sheet = d["file"], d["page"], d["row"], d["sheet"]
            if type(file) is not str:
                raise _Other
            text = (f',"file":{encode_basestring(file)},"page":{_number(page)},'
                    f'"row":{_number(row)},"sheet":{_text(sheet)}}}')  # fmt: skip
            tail = (file, page, row, sheet, text)
            tails.append((len(made) - 1, text))
    if not tails:
        return "{}"
    if len(tails) == 1:  # the usual plan: every field from one row of one sheet
        text = tails[0][1]
        return "{" + (text + ",").join(made) + text + "}"
    ends = [start for start, _text in tails[1:]] + [len(made)]
    return "{" + ",".join(made[i] + text for (start, text), end in zip(tails, ends, strict=True)
                          for i in range(start, end)) + "}"  # fmt: skip
