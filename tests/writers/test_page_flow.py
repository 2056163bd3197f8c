"""Page flow: a section's heading keeps with its table's first row only, so a long table starts
on the page its heading is on and pages fill; only a signature block is kept whole.

Reported: the Medicaid ISP's page 3 left half empty because the Services section moved whole
to page 4. The templates keep a heading with what follows (Heading styles) and a signature
block's rows together (``keep_table``); no other table's rows carry ``keepNext``, which is what
would make the heading pull the whole table to the next page.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile

import pdfplumber
import pytest

from pipeline.model import Plan
from pipeline.profiles import TEMPLATES, load_agency, load_payer
from pipeline.writers.docx.render import render_docx
from pipeline.writers.libreoffice import PdfConverter
from tests.support import TEST_DATA

TEMPLATE_FILES = sorted(TEMPLATES.glob("payers/*/template.docx")) + sorted(
    TEMPLATES.glob("client-copy/*.docx")
)
_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
SIGNATURE_HEADERS = (
    {"Role", "Name and credentials", "Signature", "Date"},
    {"Who", "Name", "Signed"},
)


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_only_a_signature_block_keeps_its_rows_with_the_next(path) -> None:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    tables = _TABLE.findall(xml)
    assert tables, path
    for table in tables:
        first_row = table.split("</w:tr>", 1)[0]
        header = set(_TEXT.findall(first_row))
        if any(header == h for h in SIGNATURE_HEADERS):
            continue  # a signature block never splits across pages
        assert "<w:keepNext/>" not in table, (path, sorted(header))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
def test_a_long_services_table_starts_on_its_headings_page_and_runs_on() -> None:
    data = json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))
    service = data["services"][0]
    data["services"] = [dict(service, session_minutes=38 + n) for n in range(14)]
    docx = render_docx(
        Plan.model_validate(data), load_payer("medicaid-isp"), load_agency("riverside")
    )
    with PdfConverter() as converter:
        pdf = converter.convert({"isp": docx})["isp"]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [page.extract_text() or "" for page in document.pages]
    [start] = [n for n, text in enumerate(pages) if re.search(r"^Services$", text, re.M)]
    rows = [len(re.findall(r"^Individual ", text, re.M)) for text in pages]
    assert rows[start] >= 1, pages[start]  # the heading is with (at least) its first row
    assert sum(rows) == 14 and rows[start] < 14, rows  # the table ran on to the next page
    before = pages[start - 1] if start else ""
    assert "Services" not in before.splitlines()[-3:]  # no heading left alone at a page end
