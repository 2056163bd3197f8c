"""A table row taller than a fifth of the page may split across pages; shorter rows stay whole.

The reviewed CT-1001 ISP (inputs/reviews/) left a quarter of page 1 blank: objective 1.1, its
text and its 90-day review note, is a kept-whole (``w:cantSplit``) row that did not fit and
moved to page 2 with the header row. pipeline/writers/docx/rows.py frees such rows.
"""

from __future__ import annotations

import io
import json
import math
import re
import shutil
import zipfile

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.docx import estimate, rows
from pipeline.writers.docx.render import render_docx
from pipeline.writers.libreoffice import PdfConverter
from tests.support import TEST_DATA

PAGE = (
    '<w:sectPr><w:pgSz w:w="15840" w:h="12240" w:orient="landscape"/>'
    '<w:pgMar w:top="907" w:right="1020" w:bottom="907" w:left="1020"/></w:sectPr>'
)


def _row(text: str, *, header: bool = False, width: int = 3000) -> str:
    props = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    return (f"<w:tr><w:trPr>{props}</w:trPr><w:tc><w:tcPr><w:tcW w:type=\"dxa\" w:w=\"{width}\"/>"
            f"</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr>")  # fmt: skip


def _body(*trs: str, keep: bool = False) -> str:
    extra = "<w:p><w:pPr><w:keepNext/></w:pPr></w:p>" if keep else ""
    return f"<w:body><w:tbl>{''.join(trs)}{extra}</w:tbl>{PAGE}</w:body>"


def test_only_a_tall_body_row_is_freed() -> None:
    tall, short = "word " * 400, "word " * 20
    xml = _body(_row(tall, header=True), _row(short), _row(tall))
    out = rows.split_tall_rows_xml(xml)
    found = out.split("<w:tr>")[1:]
    assert ["<w:cantSplit/>" in r for r in found] == [True, True, False]
    assert rows.split_tall_rows_xml(_body(_row(short), _row(short))) is not None
    unchanged = _body(_row(short))
    assert rows.split_tall_rows_xml(unchanged) is unchanged


def test_a_table_kept_with_the_next_stays_whole() -> None:
    xml = _body(_row("word " * 400), keep=True)
    assert rows.split_tall_rows_xml(xml) is xml


def test_the_estimate_grows_with_text_and_shrinks_with_width() -> None:
    assert rows.row_height(_row("x " * 400)) > rows.row_height(_row("x " * 100))
    assert rows.row_height(_row("x " * 400, width=2000)) > rows.row_height(_row("x " * 400))


def test_a_zero_font_size_is_estimated_as_the_default() -> None:
    """A template run sized 0 (``<w:sz w:val="0"/>``) divided by zero in every render: it is
    estimated at the default size, as text (str) and as bytes."""
    sized = _row("word " * 50).replace("<w:r>", '<w:r><w:rPr><w:sz w:val="0"/></w:rPr>')
    plain = _row("word " * 50)
    assert rows.row_height(sized) == rows.row_height(plain) > 0
    assert estimate.bytes_row_height(sized.encode()) == rows.row_height(plain)
    assert rows.split_tall_rows_xml(_body(sized)) is not None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
def test_a_tall_objective_row_starts_on_the_page_of_its_goal() -> None:
    """An ISP whose first objective is about two thirds of a page tall: kept whole, it moved to
    page 2 and left page 1 ending with the goal's interventions; freed, it starts on page 1
    under its header row and runs on to page 2."""
    data = json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))
    objective = data["goals"][0]["objectives"][0]
    objective["text"] = objective["text"] + " " + "Practise the steps agreed in session. " * 30
    docx = render_docx(Plan.model_validate(data), load_payer("medicaid-isp"),
                       load_agency("riverside"))  # fmt: skip
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
    assert xml.count("<w:cantSplit/>") >= 3  # short rows and headers stay whole
    with PdfConverter() as converter:
        pdf = converter.convert({"isp": docx})["isp"]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [" ".join((page.extract_text() or "").split()) for page in document.pages]
    words = " ".join(objective["text"].split()[:4])
    first = next(n for n, text in enumerate(pages) if words in text)
    assert first == 0, [p[:80] for p in pages]  # on the goal's page, not moved to the next
    assert pages[1].count("Practise the steps agreed in session.") >= 2  # and runs on


@pytest.mark.parametrize("payer", ["medicaid-isp", "clinical"])
def test_a_goals_lines_keep_with_its_first_table(payer) -> None:
    """A tall row that splits fills its page, so the next problem's heading and goal lines may
    land at a page end: they keep with the table that follows (the reviewed CT-1001 ISP left
    "Problem 4: Reduced work functioning" and its goal alone at the foot of page 3)."""
    path = load_payer(payer).template
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >](?:(?!</w:p>).)*Clinical goal: (?:(?!</w:p>).)*</w:p>", xml)
    assert paragraphs and all("<w:keepNext/>" in p for p in paragraphs), payer


# --- the scan by str.find gives what the regular expressions it replaced gave ---------------

_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_ROW = re.compile(r"<w:tr[ >].*?</w:tr>", re.S)


def _reference(xml: str) -> str:
    """split_tall_rows_xml as first written, with lazy regular expressions."""
    area = rows.text_height(xml)
    if area is None or rows._CANT not in xml:
        return xml
    limit = rows.SPLIT_FRACTION * area
    freed = 0

    def row(m: re.Match[str]) -> str:
        nonlocal freed
        text = m.group(0)
        head = text[: text.find("<w:tc>")]
        if rows._CANT not in head or "<w:tblHeader/>" in head or rows.row_height(text) <= limit:
            return text
        freed += 1
        return text.replace(rows._CANT, "", 1)

    def table(m: re.Match[str]) -> str:
        text = m.group(0)
        if rows._CANT not in text or "<w:keepNext/>" in text or "<w:tbl>" in text[6:]:
            return text
        return _ROW.sub(row, text)

    changed = _TABLE.sub(table, xml)
    return changed if freed else xml


_PIECES = [
    "<w:tbl>",
    "</w:tbl>",
    "<w:tr>",
    '<w:tr w:rsidR="1">',
    "<w:trPr>",
    "</w:trPr>",
    "</w:tr>",
    "<w:cantSplit/>",
    "<w:tblHeader/>",
    "<w:keepNext/>",
    "<w:tc>",
    "</w:tc>",
    '<w:tcPr><w:tcW w:type="dxa" w:w="2000"/></w:tcPr>',
    "<w:p><w:r><w:t>",
    "</w:t></w:r></w:p>",
    "word " * 150,
    "word ",
    "&amp;",
    '<w:sz w:val="28"/>',
    "<w:t",
    "<w:tr",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
@settings(max_examples=300, deadline=None)
def test_the_scan_frees_what_the_regular_expressions_freed(pieces: list[str]) -> None:
    xml = "<w:body>" + "".join(pieces) + PAGE + "</w:body>"
    expected = _reference(xml)
    assert rows.split_tall_rows_xml(xml) == expected
    data = xml.encode("utf-8")  # the fast renderer's bytes, the page looked for or given
    for area in (None, rows.text_height(xml)):
        assert rows.split_tall_rows_part(data, area) == expected.encode("utf-8")


# --- the estimate by str.find gives what the regular expressions it replaced gave -----------

_CELL = re.compile(r"<w:tc>.*?</w:tc>", re.S)
_PARA = re.compile(r"<w:p[ >].*?</w:p>|<w:p/>", re.S)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_SIZE = re.compile(r'<w:sz w:val="(\d+)"/>')
_WIDTH = re.compile(r'<w:tcW w:type="dxa" w:w="(\d+)"/>|<w:tcW w:w="(\d+)" w:type="dxa"/>')
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")


def _reference_height(row: str) -> float:
    """row_height as first written, with lazy regular expressions."""
    tallest = 0.0
    for cell in _CELL.findall(row):
        found = _WIDTH.search(cell)
        width = int(found.group(1) or found.group(2)) - estimate.MARGINS if found else 1440
        height = 0.0
        for paragraph in _PARA.findall(cell):
            text = "".join(_TEXT.findall(paragraph))
            if "&" in text:
                text = _ENTITY.sub("x", text)
            sizes = [int(s) for s in _SIZE.findall(paragraph)] if "<w:sz " in paragraph else ()
            em = 10 * (max(sizes) if sizes else estimate.DEFAULT_SIZE)
            per_line = max(1, int(max(width, 200) * estimate.WRAP / (estimate.CHAR_EM * em)))
            lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
            height += lines * estimate.LINE_EM * em
        tallest = max(tallest, height)
    return tallest


_ROW_PIECES = [
    "<w:tc>",
    "</w:tc>",
    '<w:tcPr><w:tcW w:type="dxa" w:w="2000"/></w:tcPr>',
    '<w:tcW w:w="900" w:type="dxa"/>',
    '<w:tcW w:w="100" w:type="dxa"/>',
    "<w:p>",
    '<w:p w:rsidR="1">',
    "<w:p/>",
    "<w:pPr><w:keepNext/></w:pPr>",
    "</w:p>",
    "<w:r><w:t>",
    '<w:t xml:space="preserve">',
    "</w:t></w:r>",
    "</w:t>",
    "word " * 40,
    "word",
    "\n",
    "&amp;",
    "&#8220;",
    "&bogus;",
    "“quoted” é",
    '<w:sz w:val="28"/>',
    '<w:sz w:val="٣"/>',  # a digit past ASCII: the text pattern's \\d takes it
    '<w:sz w:val="8" />',
    "<w:t",
    "<w:p",
    "<w:tc",
    "/>",
    ">",
]


_WORDS = st.lists(st.sampled_from(["word ", "x", " ", "\n", "&amp;", "&#8220;", "\u00e9", "\u201c",
                                   "word " * 60]), max_size=30).map("".join)  # fmt: skip
_RUN = st.builds(lambda size, text, close: f"<w:r>{size}<w:t>{text}{close}",
                 st.sampled_from(["", '<w:rPr><w:sz w:val="28"/></w:rPr>',
                                  '<w:sz w:val="\u0663"/>', '<w:sz w:val="48"/>']),
                 _WORDS, st.sampled_from(["</w:t></w:r>"] * 4 + ["</w:t>", ""]))  # fmt: skip
_PARAGRAPH = st.one_of(
    st.just("<w:p/>"),
    st.builds(lambda start, runs, end: start + "".join(runs) + end,
              st.sampled_from(["<w:p>", '<w:p w:rsidR="1">', "<w:p><w:pPr><w:keepNext/></w:pPr>"]),
              st.lists(_RUN, max_size=4), st.sampled_from(["</w:p>"] * 4 + ["", "</w:p></w:p>"])),
)  # fmt: skip
_CELL_XML = st.builds(
    lambda width, paragraphs, end: "<w:tc>" + width + "".join(paragraphs) + end,
    st.sampled_from(["", '<w:tcPr><w:tcW w:type="dxa" w:w="2000"/></w:tcPr>',
                     '<w:tcW w:w="900" w:type="dxa"/>', '<w:tcW w:w="100" w:type="dxa"/>']),
    st.lists(_PARAGRAPH, max_size=5), st.sampled_from(["</w:tc>"] * 4 + ["</w:tc></w:tc>", ""]),
)  # fmt: skip


_ROW_XML = st.builds(
    lambda start, props, cells, end: start + props + "".join(cells) + end,
    st.sampled_from(["<w:tr>", '<w:tr w:rsidR="1">', "<w:tr"]),
    st.sampled_from(["", "<w:trPr><w:cantSplit/></w:trPr>", "<w:trPr><w:cantSplit/></w:trPr>",
                     "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
                     "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>", "<w:cantSplit/>"]),
    st.lists(_CELL_XML, max_size=3), st.sampled_from(["</w:tr>"] * 4 + ["", "</w:tr></w:tr>"]),
)  # fmt: skip
_TABLE_XML = st.builds(
    lambda start, rows_xml, end: start + "".join(rows_xml) + end,
    st.sampled_from(["<w:tbl>", "<w:tbl><w:tblPr/>",
                     "<w:tbl><w:p><w:pPr><w:keepNext/></w:pPr></w:p>"]),
    st.lists(st.one_of(_ROW_XML, _ROW_XML, st.sampled_from(_PIECES)), max_size=5),
    st.sampled_from(["</w:tbl>"] * 4 + ["", "<w:tbl></w:tbl></w:tbl>"]),
)  # fmt: skip


@given(st.lists(st.one_of(_TABLE_XML, _TABLE_XML, st.sampled_from(_PIECES)), max_size=6))
@settings(max_examples=500, deadline=None)
def test_tables_are_freed_as_the_regular_expressions_freed_them(pieces: list[str]) -> None:
    xml = "<w:body>" + "".join(pieces) + PAGE + "</w:body>"
    expected = _reference(xml)
    assert rows.split_tall_rows_xml(xml) == expected
    for area in (None, rows.text_height(xml)):
        assert rows.split_tall_rows_part(xml.encode("utf-8"), area) == expected.encode("utf-8")


_CANT = "<w:cantSplit/>"
_TALL = _row("word " * 400)
_EDGES = {
    "a kept-whole mark between rows": f"<w:tbl>{_CANT}{_TALL}</w:tbl>",
    "one before the table": f"{_CANT}<w:tbl>{_TALL}</w:tbl>",
    "one between tables": f"<w:tbl>{_TALL}</w:tbl>{_CANT}<w:tbl>{_TALL}</w:tbl>",
    "a nested table": f"<w:tbl>{_TALL}<w:tbl></w:tbl>",
    "rows one after another": f"<w:tbl>{_TALL}{_TALL}<w:tr>{_TALL}</w:tbl>",
    "a row never closed": f"<w:tbl>{_TALL[:-7]}{_TALL}</w:tbl>",
    "a table never closed": f"<w:tbl>{_TALL}",
    "a header row": f"<w:tbl>{_row('word ' * 400, header=True)}{_TALL}</w:tbl>",
    "a mark in a cell": f"<w:tbl>{_TALL.replace('<w:tc>', '<w:tc>' + _CANT, 1)}</w:tbl>",
    "rows in no table": f"{_TALL}<w:tbl></w:tbl>{_TALL}",
    "a mark in a cell only": "<w:tbl>"
    + _TALL.replace(f"<w:trPr>{_CANT}", "<w:trPr>").replace("<w:tc>", "<w:tc>" + _CANT)
    + "</w:tbl>",
}


@pytest.mark.parametrize("case", sorted(_EDGES))
def test_edge_cases_are_freed_as_the_regular_expressions_freed_them(case: str) -> None:
    xml = "<w:body>" + _EDGES[case] + PAGE + "</w:body>"
    expected = _reference(xml)
    assert rows.split_tall_rows_xml(xml) == expected
    assert rows.split_tall_rows_part(xml.encode("utf-8")) == expected.encode("utf-8")


@given(st.lists(st.one_of(_CELL_XML, st.sampled_from(_ROW_PIECES)), max_size=12))
@settings(max_examples=400, deadline=None)
def test_the_estimate_is_what_the_regular_expressions_gave(pieces: list[str]) -> None:
    row = "<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(pieces) + "</w:tr>"
    expected = _reference_height(row)
    assert estimate.estimate(row) == expected
    assert estimate.bytes_row_height(row.encode("utf-8")) == expected


def test_rendered_bodies_are_freed_as_before() -> None:
    data = json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))
    objective = data["goals"][0]["objectives"][0]
    for extra in (0, 30):
        objective["text"] = objective["text"] + " Practise the steps. " * extra
        for payer in ("medicaid-isp", "clinical"):
            docx = render_docx(
                Plan.model_validate(data), load_payer(payer), load_agency("riverside")
            )
            xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
            tall = xml.replace("<w:trPr>", "<w:trPr><w:cantSplit/>")  # some freed, some kept
            for body in (xml, tall):
                assert rows.split_tall_rows_xml(body) == _reference(body)


def test_the_body_is_read_without_zipfile_only_from_a_plain_archive() -> None:
    from pipeline.writers.verify import plain_member

    data = json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))
    docx = render_docx(Plan.model_validate(data), load_payer("clinical"), load_agency("riverside"))
    body = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")
    assert plain_member(docx, "word/document.xml") == body
    assert plain_member(docx, "word/missing.xml") is None
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.comment = b"not written by txplan"
        archive.writestr("word/document.xml", body)
    assert plain_member(other.getvalue(), "word/document.xml") is None  # zipfile reads it
    assert rows.split_tall_rows(other.getvalue()) == other.getvalue()  # nothing to free
    damaged = bytearray(docx)
    at = docx.find(b"word/document.xml") + 40  # inside the body's compressed bytes
    damaged[at] ^= 0xFF
    assert plain_member(bytes(damaged), "word/document.xml") is None
