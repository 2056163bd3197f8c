"""Two renderings of one payer document compared as native Word tracked changes.

The redline in a payer's own layout: both versions of a plan are rendered through the payer's
template, and the newer document's body is rewritten so that what differs from the older one
is tracked. The bodies are compared block by block (paragraphs and tables, difflib on their
text); a table is compared row by row and a row cell by cell; two paragraphs that pair up are
compared word by word, keeping each run's formatting. Deleted text becomes ``w:del`` runs with
``w:delText``, inserted text ``w:ins`` runs; whole paragraphs and table rows carry the mark on
their paragraph mark or row (``w:rPr/w:ins``, ``w:trPr/w:del``), so Word and LibreOffice can
accept or reject each one. Headers, footers, styles and the rest of the package are the newer
document's. Same inputs, same bytes (ids count from 1, the date is the review's).
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from itertools import count
from typing import Any

from lxml import etree

from pipeline.writers.fixed_zip import rezip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BODY = "word/document.xml"
#: Paragraphs this similar (difflib ratio of their text) are compared word by word; in less
#: similar ones the old text is deleted and the new inserted whole (in one paragraph).
SIMILAR = 0.4


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


#: words (a date, "1.2" or "G47.00" is one), spaces and single punctuation marks:
#: "disorder;" changes as "disorder" and ";"
_TOKEN = re.compile(r"\s+|\w(?:[\w/.:'’-]*\w)?|[^\w\s]")


class _Marks:
    """``w:ins`` / ``w:del`` elements with one author and date and ids unique in the body."""

    def __init__(self, author: str, when: dt.date | None, start: int) -> None:
        self.author = author
        self.date = f"{(when or dt.date(2000, 1, 1)).isoformat()}T00:00:00Z"
        self._ids = count(start)

    def make(self, kind: str) -> Any:
        element = etree.Element(w(kind))
        element.set(w("id"), str(next(self._ids)))
        element.set(w("author"), self.author)
        element.set(w("date"), self.date)
        return element


def compare_docx(old: bytes, new: bytes, *, author: str, when: dt.date | None) -> bytes:
    """The newer DOCX with every difference from the older one as a tracked change."""
    old_body = _body(old)
    with zipfile.ZipFile(io.BytesIO(new)) as package:
        root = etree.fromstring(package.read(BODY))
        start = 1 + max((int(i) for i in root.xpath("//@w:id", namespaces={"w": W})
                         if i.isdigit()), default=0)  # fmt: skip
        new_body = root.find(w("body"))
        marks = _Marks(author, when, start)
        section = new_body.find(w("sectPr"))
        merged = _blocks(_children(old_body), _children(new_body), marks)
        for child in list(new_body):
            new_body.remove(child)
        new_body.extend(merged)
        if section is not None:
            new_body.append(section)
        xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in package.infolist():
                target.writestr(item, xml if item.filename == BODY else package.read(item))
    return rezip(out.getvalue())


def _body(data: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(BODY)).find(w("body"))


_PROPERTIES = (w("sectPr"), w("tcPr"))


def _children(parent: Any) -> list[Any]:
    """The blocks of a body or cell: paragraphs, tables and the rest, not the properties."""
    return [c for c in parent if c.tag not in _PROPERTIES and isinstance(c.tag, str)]


def text_of(element: Any) -> str:
    """An element's visible text (tabs as spaces)."""
    parts = []
    for node in element.iter(w("t"), w("delText"), w("tab"), w("br")):
        parts.append(node.text or "" if node.tag in (w("t"), w("delText")) else " ")
    return "".join(parts)


def _key(element: Any) -> str:
    return f"{etree.QName(element).localname}:{text_of(element)}"


def _blocks(old: Sequence[Any], new: Sequence[Any], marks: _Marks) -> list[Any]:
    """Old and new blocks (paragraphs, tables or rows) merged into tracked blocks."""
    merged: list[Any] = []
    matcher = difflib.SequenceMatcher(None, [_key(e) for e in old], [_key(e) for e in new],
                                      autojunk=False)  # fmt: skip
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            merged.extend(new[j1:j2])
        elif op == "delete":
            merged.extend(_whole(e, "del", marks) for e in old[i1:i2])
        elif op == "insert":
            merged.extend(_whole(e, "ins", marks) for e in new[j1:j2])
        else:
            merged.extend(_paired(old[i1:i2], new[j1:j2], marks))
    return merged


def _paired(old: Sequence[Any], new: Sequence[Any], marks: _Marks) -> Iterator[Any]:
    """Replaced blocks: as many old as new of the same kinds pair up in order; otherwise each
    new block pairs with the most alike old one of its kind after the last pair (if alike
    enough). Pairs are compared inside; the rest are deleted or inserted whole."""
    if [e.tag for e in old] == [e.tag for e in new]:
        pairs = list(zip(range(len(old)), range(len(new)), strict=True))
    else:
        pairs, start = [], 0
        for j, block in enumerate(new):
            text, best, score = text_of(block), None, SIMILAR
            for i in range(start, len(old)):
                if old[i].tag == block.tag:
                    ratio = difflib.SequenceMatcher(None, text_of(old[i]), text, autojunk=False)
                    if ratio.ratio() >= score:
                        best, score = i, ratio.ratio()
            if best is not None:
                pairs.append((best, j))
                start = best + 1
    i = j = 0
    for a, b in [*pairs, (len(old), len(new))]:
        yield from (_whole(e, "del", marks) for e in old[i:a])
        yield from (_whole(e, "ins", marks) for e in new[j:b])
        if a < len(old) and b < len(new):
            yield from _changed(old[a], new[b], marks)
        i, j = a + 1, b + 1


def _changed(old: Any, new: Any, marks: _Marks) -> Iterator[Any]:
    """One old and one new block of the same kind, compared inside."""
    if new.tag == w("tbl"):
        yield _table(old, new, marks)
    elif new.tag == w("tr"):
        yield from _row(old, new, marks)
    elif new.tag != w("p"):
        yield new  # neither paragraph nor table (a content control...): the newer one
    elif _plain(old) and _plain(new):
        yield _paragraph(old, new, marks, by_word=_similar(old, new))
    else:
        yield _whole(old, "del", marks)
        yield _whole(new, "ins", marks)


def _similar(old: Any, new: Any) -> bool:
    """Worth comparing word by word: alike enough, or one of them empty (an empty cell
    filled in is text inserted into its paragraph, not a paragraph replaced)."""
    a, b = text_of(old), text_of(new)
    if not a.strip() or not b.strip():
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= SIMILAR


def _plain(paragraph: Any) -> bool:
    """A paragraph of plain runs only (no fields, hyperlinks, drawings or tracked content)."""
    for child in paragraph:
        if child.tag == w("pPr"):
            continue
        if child.tag not in (w("r"), w("proofErr"), w("bookmarkStart"), w("bookmarkEnd")):
            return False
        if child.tag == w("r"):
            for part in child:
                if part.tag not in (w("rPr"), w("t"), w("tab"), w("br")):
                    return False
    return True


def _table(old: Any, new: Any, marks: _Marks) -> Any:
    """The new table with its rows merged with the old table's."""
    table = copy.deepcopy(new)
    rows = [c for c in table if c.tag == w("tr")]
    for row in rows:
        table.remove(row)
    old_rows = [c for c in old if c.tag == w("tr")]
    table.extend(_blocks(old_rows, rows, marks))
    return table


def _row(old: Any, new: Any, marks: _Marks) -> Iterator[Any]:
    """A changed row: cell by cell when both have the same cells, else old out and new in."""
    old_cells, new_cells = old.findall(w("tc")), new.findall(w("tc"))
    if len(old_cells) != len(new_cells):
        yield _whole(old, "del", marks)
        yield _whole(new, "ins", marks)
        return
    row = copy.deepcopy(new)
    for was, cell in zip(old_cells, row.findall(w("tc")), strict=True):
        blocks = _children(cell)
        for block in blocks:
            cell.remove(block)
        cell.extend(_blocks(_children(was), blocks, marks))
    yield row


def _whole(element: Any, kind: str, marks: _Marks) -> Any:
    """A copy of a paragraph, table or row with all of it tracked as inserted or deleted
    (another kind of block is the newer document's as it is)."""
    element = copy.deepcopy(element)
    if element.tag == w("p"):
        _mark_paragraph(element, kind, marks)
    elif element.tag == w("tr"):
        _mark_row(element, kind, marks)
    elif element.tag == w("tbl"):
        for row in element.findall(w("tr")):
            _mark_row(row, kind, marks)
    return element


def _mark_row(row: Any, kind: str, marks: _Marks) -> None:
    properties = row.find(w("trPr"))
    if properties is None:
        properties = etree.Element(w("trPr"))
        exceptions = row.find(w("tblPrEx"))  # w:trPr comes after it, before the cells
        row.insert(0 if exceptions is None else 1, properties)
    change = properties.find(w("trPrChange"))
    if change is None:
        properties.append(marks.make(kind))
    else:
        change.addprevious(marks.make(kind))
    for paragraph in row.iter(w("p")):
        _mark_paragraph(paragraph, kind, marks)


def _mark_paragraph(paragraph: Any, kind: str, marks: _Marks) -> None:
    """Every run of a paragraph and its paragraph mark tracked as ``kind`` (ins or del)."""
    _mark_end(paragraph, kind, marks)
    tracked = (w("ins"), w("del"))
    for run in [r for r in paragraph.iter(w("r")) if r.getparent().tag not in tracked]:
        wrapper = marks.make(kind)
        run.addprevious(wrapper)
        wrapper.append(run)
        if kind == "del":
            _as_deleted(run)


def _mark_end(paragraph: Any, kind: str, marks: _Marks) -> None:
    """Track the paragraph mark itself (``w:pPr/w:rPr/w:ins|del``)."""
    properties = paragraph.find(w("pPr"))
    if properties is None:
        properties = etree.Element(w("pPr"))
        paragraph.insert(0, properties)
    run_properties = properties.find(w("rPr"))
    if run_properties is None:
        run_properties = etree.SubElement(properties, w("rPr"))
        # w:rPr comes after every other paragraph property but w:sectPr and w:pPrChange
        later = [c for c in properties if c.tag in (w("sectPr"), w("pPrChange"))]
        if later:
            later[0].addprevious(run_properties)
    run_properties.insert(0, marks.make(kind))


def _as_deleted(run: Any) -> None:
    for text in run.findall(w("t")):
        text.tag = w("delText")
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


# --- word by word -------------------------------------------------------------------------


def _tokens(paragraph: Any) -> list[tuple[str, Any, Any]]:
    """(text, run properties, element or None) per word, space, tab or break of the runs."""
    found = []
    for run in paragraph.findall(w("r")):
        properties = run.find(w("rPr"))
        for part in run:
            if part.tag == w("t"):
                found += [(t, properties, None) for t in _TOKEN.findall(part.text or "")]
            elif part.tag in (w("tab"), w("br")):
                found.append((f"<{etree.QName(part).localname}>", properties, part))
    return found


def _paragraph(old: Any, new: Any, marks: _Marks, *, by_word: bool = True) -> Any:
    """The new paragraph with its runs rebuilt from a word diff against the old one (or, for
    texts too unlike to compare word by word, the old text deleted and the new inserted)."""
    before, after = _tokens(old), _tokens(new)
    paragraph = etree.Element(w("p"))
    for name, value in new.attrib.items():
        paragraph.set(name, value)
    if new.find(w("pPr")) is not None:
        paragraph.append(copy.deepcopy(new.find(w("pPr"))))
    matcher = difflib.SequenceMatcher(None, [t for t, _, _ in before], [t for t, _, _ in after],
                                      autojunk=False)  # fmt: skip
    opcodes = matcher.get_opcodes() if by_word else [("replace", 0, len(before), 0, len(after))]
    for op, i1, i2, j1, j2 in opcodes:
        if op in ("delete", "replace"):
            _emit(paragraph, before[i1:i2], "del", marks)
        if op in ("insert", "replace", "equal"):
            _emit(paragraph, after[j1:j2], "equal" if op == "equal" else "ins", marks)
    return paragraph


def _emit(paragraph: Any, tokens: Sequence[tuple[str, Any, Any]], kind: str,
          marks: _Marks) -> None:  # fmt: skip
    """Runs for consecutive tokens of one formatting (wrapped in ins/del unless equal)."""
    groups: list[tuple[Any, list[tuple[str, Any]]]] = []
    for text, properties, element in tokens:
        if groups and groups[-1][0] is properties:
            groups[-1][1].append((text, element))
        else:
            groups.append((properties, [(text, element)]))
    for properties, items in groups:
        run = etree.Element(w("r"))
        if properties is not None:
            run.append(copy.deepcopy(properties))
        buffer = ""
        for text, element in items:
            if element is None:
                buffer += text
                continue
            _text(run, buffer, kind)
            buffer = ""
            run.append(copy.deepcopy(element))
        _text(run, buffer, kind)
        if kind == "equal":
            paragraph.append(run)
        else:
            wrapper = marks.make(kind)
            wrapper.append(run)
            paragraph.append(wrapper)


def _text(run: Any, text: str, kind: str) -> None:
    if not text:
        return
    element = etree.SubElement(run, w("delText" if kind == "del" else "t"))
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    element.text = text


# --- two versions of a plan in a payer's layout -------------------------------------------


def payer_redline(old: Any, new: Any, payer: Any, agency: Any, *, author: str | None = None,
                  draft: bool = False) -> bytes:  # fmt: skip
    """Both versions of a plan rendered through the payer's DOCX template (as a build renders
    them) and compared: the newer document with tracked changes, by the reviewer on the review
    date (``author`` overrides the reviewer)."""
    from pipeline.errors import ConfigError
    from pipeline.writers import WriterOptions, render

    options = WriterOptions(draft=draft)
    documents = []
    for plan in (old, new):
        rendered = [d for d in render(plan, payer, agency, options) if d.suffix == ".docx"]
        if not rendered:
            msg = f"payer {payer.id!r} makes no Word document: a redline in its layout needs DOCX"
            raise ConfigError(msg, "--payer")
        documents.append(rendered[0].data)
    revision = new.revision
    when = revision.date if revision and revision.date else new.plan_date
    who = author or (revision.reviewer if revision else None) or "txplan"
    return compare_docx(documents[0], documents[1], author=who, when=when)
