"""DOCX intake forms (python-docx): label/value tables, content controls, legacy form fields,
``Label: value`` paragraphs and checkbox grids; one document is one client.

The body is walked in document order over the raw XML (python-docx's friendly API hides
content controls). A content control's title (alias) or tag, a legacy field's name, and the
text before either in its paragraph are candidate labels. Checkbox controls sharing a tag form
one multi-select. A table whose rows hold checkbox marks is a questionnaire grid.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.bounded import LIMITS, check_archive, too_big
from pipeline.errors import InputError
from pipeline.model import Source
from pipeline.readers import ReadOptions, ReadResult
from pipeline.readers.mapping.labels import best_label, is_header_row
from pipeline.readers.marks import checked_options, is_mark, mark_checked
from pipeline.readers.raw import RawField, RawRecord

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_INLINE = re.compile(r"^([^:]{1,60}?):\s*(.*)$", re.S)
_INSTRUMENT = re.compile(r"\b(PHQ[- ]?9|GAD[- ]?7|PCL[- ]?5|AUDIT[- ]?C)\b", re.I)
_ITEM_NUMBER = re.compile(r"^\s*(\d{1,2})[.)]\s*")
_SCORE = re.compile(r"\((\d+)\)")


def _val(node: Any, tag: str, ns: str = W) -> str | None:
    found = node.find(tag) if node is not None else None
    return None if found is None else found.get(f"{ns}val")


def _on(node: Any) -> bool:
    """A WordprocessingML on/off element: present without val, or val true/1/on."""
    return node is not None and node.get(f"{W}val", "true").lower() in ("1", "true", "on")


# --- pieces of a paragraph ---------------------------------------------------------------


def _sdt_piece(sdt: Any) -> tuple[str, Any, list[str]]:
    """("check", checked, labels) or ("text", text, labels) for a content control."""
    props = sdt.find(f"{W}sdtPr")
    labels = [_val(props, f"{W}alias"), _val(props, f"{W}tag")]
    box = props.find(f"{W14}checkbox") if props is not None else None
    if box is not None:
        state = _val(box, f"{W14}checked", W14)
        return "check", state in ("1", "true"), labels
    content = sdt.find(f"{W}sdtContent")
    text = "".join(t.text or "" for t in content.iter(f"{W}t")) if content is not None else ""
    return "text", text.strip(), labels


def _pieces(paragraph: Any) -> Iterator[tuple[str, Any, list[str]]]:
    """A paragraph as ("plain", text, []), content controls and legacy form fields, in order."""
    legacy: dict | None = None
    for node in paragraph.iter(f"{W}r", f"{W}sdt"):
        if node.tag == f"{W}sdt":
            yield _sdt_piece(node)
            continue
        if _inside_sdt(node, paragraph):
            continue
        char = node.find(f"{W}fldChar")
        if char is not None:
            kind = char.get(f"{W}fldCharType")
            data = char.find(f"{W}ffData")
            if kind == "begin" and data is not None:
                legacy = {"name": _val(data, f"{W}name"), "data": data, "text": [], "on": False}
            elif kind == "separate" and legacy is not None:
                legacy["on"] = True
            elif kind == "end" and legacy is not None:
                yield _legacy_piece(legacy)
                legacy = None
            continue
        text = "".join(t.text or "" for t in node.iter(f"{W}t"))
        if legacy is not None:
            if legacy["on"]:
                legacy["text"].append(text)
        elif text:
            yield "plain", text, []


def _inside_sdt(run: Any, paragraph: Any) -> bool:
    parent = run.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag == f"{W}sdt":
            return True
        parent = parent.getparent()
    return False


def _legacy_piece(legacy: dict) -> tuple[str, Any, list[str]]:
    data = legacy["data"]
    labels = [_val(data, f"{W}statusText"), legacy["name"]]
    box = data.find(f"{W}checkBox")
    if box is not None:
        checked = box.find(f"{W}checked")
        state = _on(checked) if checked is not None else _on(box.find(f"{W}default"))
        return "check", state, labels
    return "text", "".join(legacy["text"]).strip(), labels


def _mark_text(kind: str, value: Any) -> str:
    return ("☒" if value else "☐") if kind == "check" else str(value)


def _plain_text(element: Any) -> str:
    """A paragraph or cell as text, checkbox controls and fields shown as ☒/☐ marks."""
    paragraphs = [element] if element.tag == f"{W}p" else list(element.iter(f"{W}p"))
    lines = []
    for paragraph in paragraphs:
        lines.append("".join(_mark_text(kind, value) for kind, value, _ in _pieces(paragraph)))
    return "\n".join(line.strip() for line in lines if line.strip())


# --- the document -----------------------------------------------------------------------


class FormWalker:
    """Collects the labelled values of a document body in order."""

    def __init__(self, file: str, profile: Any) -> None:
        self.file = file
        self.profile = profile
        self.out: list[RawField] = []
        self.groups: dict[str, tuple[list[str], list[str], Source]] = {}
        self.last_text = ""
        self.tables = 0

    def walk(self, body: Any) -> list[RawField]:
        for node in body.iterchildren(f"{W}p", f"{W}tbl", f"{W}sdt"):
            if node.tag == f"{W}p":
                self.paragraph(node)
            elif node.tag == f"{W}tbl":
                self.table(node)
            else:
                content = node.find(f"{W}sdtContent")
                if content is not None:
                    self.walk(content)
        for key, (checked, labels, source) in self.groups.items():
            label = best_label([*labels, key], self.profile)
            self.out.append(RawField(label, "; ".join(checked) or None, source))
        return self.out

    def _add(self, label: str, value: Any, source: Source) -> None:
        if value is not None and value != "":
            self.out.append(RawField(label, value, source))

    def paragraph(self, paragraph: Any) -> None:
        pieces = list(_pieces(paragraph))
        controls = [p for p in pieces if p[0] != "plain"]
        if not controls:
            text = "".join(p[1] for p in pieces).strip()
            if m := _INLINE.match(text):
                label, value = m[1].strip(), m[2].strip()
                options = checked_options(value)
                self._add(
                    label,
                    value if options is None else options,
                    Source(file=self.file, field=label),
                )
            elif text:
                self.last_text = text
            return
        before = ""
        for kind, value, labels in pieces:
            if kind == "plain":
                before += value
                continue
            nearby = before.strip().rstrip(":").strip() if before.strip().endswith(":") else ""
            tag = labels[1] if len(labels) > 1 else None
            field = tag or labels[0] or nearby or "form field"
            source = Source(file=self.file, field=field)
            if kind == "check" and tag and (len(controls) > 1 or tag in self.groups):
                checked, _, first = self.groups.setdefault(tag, ([], [nearby], source))
                if value:
                    checked.append(labels[0] or tag)
                continue
            self._add(best_label([labels[0], nearby, *labels[1:]], self.profile), value, source)
            before = ""

    def table(self, table: Any) -> None:
        self.tables += 1
        rows = []
        for tr in table.iterchildren(f"{W}tr"):
            rows.append([_plain_text(tc) for tc in tr.iterchildren(f"{W}tc")])
        rows = [row for row in rows if any(row)]
        if not rows:
            return
        grid_rows = [row for row in rows[1:] if sum(is_mark(c) for c in row) >= 2]
        if grid_rows and len(grid_rows) >= len(rows) - 2:
            self.grid(rows)
        elif max(len(row) for row in rows) == 2 and not is_header_row(rows, self.profile):
            for number, row in enumerate(rows, start=1):
                if len(row) == 2 and row[0]:
                    label = row[0].rstrip(":").strip()
                    options = checked_options(row[1])
                    value = row[1] if options is None else options
                    self._add(label, value, self._cell_source(number, label))
        else:
            header = rows[0]
            for number, row in enumerate(rows[1:], start=2):
                for label, value in zip(header, row, strict=False):
                    if label:
                        self._add(label, value, self._cell_source(number, label))
        self.last_text = ""

    def _cell_source(self, row: int, label: str) -> Source:
        return Source(file=self.file, row=row, field=f"table {self.tables}: {label}")

    def grid(self, rows: list[list[str]]) -> None:
        """A questionnaire grid: row per item, a column per answer, one ☒ per row."""
        header = rows[0]
        instrument = _INSTRUMENT.search(f"{self.last_text} {header[0]}")
        mark_columns = [k for k, c in enumerate(rows[1]) if is_mark(c)]
        for index, row in enumerate(rows[1:], start=1):
            item = _ITEM_NUMBER.match(row[0])
            number = int(item[1]) if item else index
            chosen = []
            for position, k in enumerate(mark_columns):
                if k < len(row) and mark_checked(row[k]):
                    head = header[k] if k < len(header) else str(position)
                    score = _SCORE.search(head)
                    chosen.append((int(score[1]) if score else position, head))
            if not chosen:
                continue
            if instrument:
                label = f"{instrument[1].upper().replace(' ', '-')} item {number}"
                value: Any = chosen[0][0] if len(chosen) == 1 else "; ".join(h for _, h in chosen)
            else:
                label = _ITEM_NUMBER.sub("", row[0]) or f"row {number}"
                value = "; ".join(h for _, h in chosen)
            source = Source(file=self.file, field=f"table {self.tables}, row {index + 1}: {label}")
            self._add(label, value, source)


def raw_record(path: Path, profile: Any = None) -> RawRecord:
    """The document as labelled values, or InputError when it is not a Word document."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    where = str(path)
    if not zipfile.is_zipfile(path):
        raise InputError(
            "not a Word document (not a .docx package; it may be text or an old .doc renamed); "
            "open it in Word and save as .docx",
            where,
        )
    check_archive(path, "Word document")  # a zip bomb is refused before anything inflates
    try:
        document = docx.Document(str(path))  # lxml without entity resolution
        body = document.element.body
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(
            f"not a Word document ({exc}); open it in Word and save as .docx", where
        ) from exc
    except Exception as exc:  # noqa: BLE001 - damaged XML inside the package
        raise InputError(f"corrupt .docx ({exc}); save it from Word again", where) from exc
    items = sum(1 for _ in body.iter(f"{W}p", f"{W}tr"))
    if items > LIMITS.form_items:
        message = too_big("paragraphs and table rows", items, LIMITS.form_items, "form_items")
        raise InputError(message + "; an intake form has a few hundred", where)
    fields = FormWalker(where, profile).walk(body)
    return RawRecord(f"{where} (Word form)", tuple(fields))


def read(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    from pipeline.readers.mapping.collect import map_record

    yield map_record(raw_record(path, options.profile), options.profile, explain=options.explain)
