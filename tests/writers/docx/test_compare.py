"""The payer-layout redline: two renderings compared as native tracked changes."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document

from pipeline.profiles import load_agency, load_payer
from pipeline.writers.docx.compare import compare_docx, payer_redline, text_of
from pipeline.writers.docx.package import save
from tests.versions.test_review_history import _revise
from tests.versions.versions_helpers import only_due

WHEN = dt.date(2024, 4, 1)


def _docx(paragraphs: list[str], rows: list[list[str]]) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph().add_run(text)
    table = document.add_table(rows=0, cols=2)
    for cells in rows:
        row = table.add_row()
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    return save(document)


def _xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode("utf-8")


def _tracked(xml: str, tag: str) -> list[str]:
    text_tag = "w:delText" if tag == "del" else "w:t"
    found = []
    for match in re.finditer(rf"<w:{tag} [^>]*>(.*?)</w:{tag}>", xml, re.S):
        found.append("".join(re.findall(rf"<{text_tag}[^>]*>([^<]*)</{text_tag}>", match[1])))
    return [t for t in found if t]


def test_paragraphs_words_and_rows_are_tracked() -> None:
    old = _docx(["Goal 1: feel better", "Status: in progress", "Dropped"],
                [["1.1", "in progress"], ["1.2", "not started"]])  # fmt: skip
    new = _docx(["Goal 1: feel better", "Status: met"],
                [["1.1", "met"], ["1.2", "not started"], ["2.1", "added"]])  # fmt: skip
    merged = compare_docx(old, new, author="Dana Whitfield", when=WHEN)
    xml = _xml(merged)
    assert _tracked(xml, "del") == ["in progress", "Dropped", "in progress"]
    assert _tracked(xml, "ins") == ["met", "met", "2.1", "added"]
    assert "<w:trPr><w:ins " in xml  # the new row is an inserted row
    # a paragraph deleted mark and all; a changed cell keeps its one paragraph
    assert xml.count("<w:rPr><w:del ") == 1 and xml.count("<w:rPr><w:ins ") == 2
    for mark in re.findall(r"<w:(?:ins|del) [^>]*>", xml):
        assert 'w:author="Dana Whitfield"' in mark and 'w:date="2024-04-01T00:00:00Z"' in mark
    ids = re.findall(r'<w:(?:ins|del) w:id="(\d+)"', xml)
    assert len(ids) == len(set(ids))
    document = Document(io.BytesIO(merged))  # python-docx reads it
    assert document.paragraphs[0].text == "Goal 1: feel better"
    assert compare_docx(old, new, author="Dana Whitfield", when=WHEN) == merged


def test_identical_documents_have_no_tracked_change() -> None:
    data = _docx(["Same"], [["1.1", "met"]])
    xml = _xml(compare_docx(data, data, author="x", when=WHEN))
    assert "<w:ins " not in xml and "<w:del " not in xml


@pytest.fixture(scope="module")
def isp_redline() -> bytes:
    old = only_due("G1.O2")
    return payer_redline(old, _revise(old), load_payer("medicaid-isp"), load_agency("riverside"),
                         draft=True)  # fmt: skip


def test_the_isp_redline_is_the_isp_with_the_review_tracked(isp_redline: bytes) -> None:
    xml = _xml(isp_redline)
    inserted = " ".join(_tracked(xml, "ins"))
    assert "Mornings are easier; back at the gym twice a week" in inserted
    assert "Reviews recorded" in inserted
    assert "04/01/2024" in " ".join(_tracked(xml, "del"))  # the old target date
    body = text_of(Document(io.BytesIO(isp_redline)).element.body)
    assert "Individualized Service Plan" in body and "G1.O2" not in body


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_isp_redline_opens_in_libreoffice(isp_redline: bytes, tmp_path: Path) -> None:
    import pdfplumber

    source = tmp_path / "isp.docx"
    source.write_bytes(isp_redline)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with pdfplumber.open(tmp_path / "isp.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Individualized Service Plan" in text and "Mornings are easier" in text
