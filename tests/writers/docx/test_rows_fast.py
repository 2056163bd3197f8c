"""The fast renderer frees tall rows in the body's bytes before compressing them: the same
bytes as the stock path's pass over the finished package, vouched for as written."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers import verify
from pipeline.writers.docx import fast, rows
from pipeline.writers.docx.render import render_document, render_docx
from tests.support import DATA

CANT = b"<w:cantSplit/>"
BODY = "word/document.xml"
SECTION = (
    '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/>'
    '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr>'
)


def _tall_plan(extra: int) -> Plan:
    data = json.loads((DATA / "render" / "full.json").read_text(encoding="utf-8"))
    objective = data["goals"][0]["objectives"][0]
    objective["text"] += " Practise the steps agreed in session." * extra
    return Plan.model_validate(data)


def _body(docx: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(docx)).read(BODY)


def _c14n(xml: bytes) -> bytes:
    """The XML canonicalized (the renderers' bodies differ in namespace declarations only)."""
    return etree.tostring(etree.fromstring(xml), method="c14n")


@pytest.mark.parametrize("payer_id", ["medicaid-isp", "clinical"])
def test_both_renderers_free_the_same_rows_to_the_same_bytes(payer_id: str) -> None:
    payer, agency = load_payer(payer_id), load_agency("riverside")
    short = _body(render_docx(_tall_plan(0), payer, agency, renderer="fast"))
    plan = _tall_plan(30)
    quick, stock = (render_docx(plan, payer, agency, renderer=r) for r in ("fast", "docxtpl"))
    assert _body(quick).count(CANT) < short.count(CANT)  # a row was freed
    assert _c14n(_body(quick)) == _c14n(_body(stock))


def test_the_freed_body_is_what_is_vouched_for_and_written() -> None:
    payer, agency = load_payer("medicaid-isp"), load_agency("riverside")
    verify.forget_sound()
    docx = render_docx(_tall_plan(30), payer, agency, renderer="fast")
    body = _body(docx)
    data, record = verify._VOUCHED[(BODY, len(body))]
    assert data == body and CANT not in body[: body.find(b"Practise the steps")][-400:]
    assert record is not None and record in docx  # the very record written
    packed = record[30 + len(BODY) :]
    assert zlib.decompress(packed, -15) == body
    verify.verify_docx(docx)


def test_what_the_template_tells_the_pass() -> None:
    source = f"<w:body><w:tbl><w:tr><w:trPr>{CANT.decode()}</w:trPr></w:tr></w:tbl>{SECTION}"
    known = rows.body_rows(source + "</w:body>", b"<w:document>", b"</w:document>")
    assert known.splittable and known.area == 15840 - 2880
    assert known.tail == (SECTION[10:] + "</w:body>").encode() + b"</w:document>"
    twice = rows.body_rows(SECTION + source + "</w:body>", b"", b"")
    assert twice.tail is None  # the first section is looked for in each rendering
    looped = rows.body_rows(source.replace("<w:pgMar", "{{ x }}<w:pgMar"), b"", b"")
    assert looped.tail is None  # Jinja after the section: the tail is not fixed
    assert not rows.body_rows("<w:body>" + SECTION, b"", b"").splittable


def test_a_rendering_is_scanned_unless_the_template_vouches_for_what_it_holds() -> None:
    tall = f"<w:tbl><w:tr><w:trPr>{CANT.decode()}</w:trPr><w:tc><w:p><w:r><w:t>{'x ' * 3000}"
    data = (tall + "</w:t></w:r></w:p></w:tc></w:tr></w:tbl>" + SECTION).encode()
    freed = rows.split_tall_rows_part(data)
    assert freed != data
    none = rows.BodyRows(False, None, None)
    assert rows.split_rendered(data, none, True) is data  # sound: no row can be freed
    assert rows.split_rendered(data, none, False) == freed  # a value may hold markup
    other = rows.BodyRows(True, b"<w:pgSz not this one", 1)
    assert rows.split_rendered(data, other, True) == freed  # another tail: looked for
    known = rows.BodyRows(True, SECTION.encode(), 10**7)
    assert rows.split_rendered(data, known, True) is data  # the page the template gives
    blank = rows.BodyRows(True, SECTION.encode(), None)
    assert rows.split_rendered(data, blank, True) is data


def test_a_body_without_jinja_is_freed_once_when_compiled(tmp_path: Path) -> None:
    document = Document()
    row = document.add_table(rows=1, cols=1).rows[0]
    properties = OxmlElement("w:trPr")
    properties.append(OxmlElement("w:cantSplit"))
    row._tr.insert(0, properties)
    row.cells[0].text = "A long objective. " * 300
    assert row._tr.find(qn("w:trPr")) is not None
    path = tmp_path / "static.docx"
    document.save(str(path))
    agency = load_agency("riverside")
    props = {
        "title": "t",
        "author": "a",
        "subject": "s",
        "comments": "c",
        "when": dt.date(2026, 1, 12),
    }
    fast.clear_cache()
    quick, stock = (render_document(path, {}, agency, draft=False, properties=props, renderer=r)
                    for r in ("fast", "docxtpl"))  # fmt: skip
    assert CANT not in _body(quick) and _c14n(_body(quick)) == _c14n(_body(stock))
    compiled = fast.compiled_for(path, agency, draft=False)
    assert not any(isinstance(item, fast.Part) for item in compiled.items)  # nothing per plan
