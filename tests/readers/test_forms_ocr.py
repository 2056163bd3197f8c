"""Scanned PDF forms read by OCR (tesseract): the same labelled values as the text version."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest

from pipeline.errors import InputError
from pipeline.readers import ReadOptions, read
from pipeline.readers.pdf import ocr as pdf_ocr
from pipeline.readers.pdf import reader as pdf
from tests.support import DATA

FORMS = DATA / "forms"
FLAT = FORMS / "assessment-summary-flat.pdf"
needs_ocr = pytest.mark.skipif(
    not pdf_ocr.available(), reason="tesseract is not installed (make test installs it)"
)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> Path:
    """The flat sample printed and scanned: each page an image, no text layer (200 dpi)."""
    out = tmp_path_factory.mktemp("scan") / "assessment-scanned.pdf"
    with pdfplumber.open(FLAT) as document:
        pages = [p.to_image(resolution=200).original.convert("L") for p in document.pages]
    pages[0].save(out, "PDF", resolution=200, save_all=True, append_images=pages[1:])
    with pdfplumber.open(out) as document:
        assert not any(p.chars for p in document.pages)  # really no text layer
    return out


@needs_ocr
def test_a_scanned_form_gives_the_values_of_its_text_version(scanned: Path) -> None:
    text = [(f.label, f.value) for f in pdf.raw_record(FLAT).fields]
    ocr = [(f.label, f.value) for f in pdf.raw_record(scanned).fields]
    # label/value columns (no bold type to tell them), inline labels, wrapped values and the
    # diagnosis table (no ruling lines to find it) all come through; OCR may misread a letter
    same = [item for item in text if item in ocr]
    assert len(same) >= len(text) - 2, set(text) - set(ocr)
    assert ("Name (Last, First)", "Okafor, Adaeze") in ocr
    assert ("ICD-10 Code", "F43.10") in ocr


@needs_ocr
def test_the_plan_from_a_scan_matches_and_says_it_was_read_by_ocr(scanned: Path) -> None:
    (result,) = list(read(scanned, ReadOptions()))
    golden = json.loads((FORMS / "assessment-summary-flat.pdf.golden.json").read_text("utf-8"))
    plan = json.loads(result.plan.model_dump_json())
    for part in ("client", "diagnoses", "measures", "risk", "services"):
        assert plan[part] == golden[part], part
    assert [g["client_words"] for g in plan["goals"]] == [
        g["client_words"] for g in golden["goals"]
    ]
    notes = [f for f in result.findings if f.code == "IN030"]
    assert len(notes) == 1 and "page 1" in notes[0].message
    assert notes[0].severity == "warning"


def test_without_ocr_a_scan_says_how_to_install_it(scanned: Path, monkeypatch) -> None:
    monkeypatch.setattr(pdf_ocr, "available", lambda: False)
    with pytest.raises(InputError) as caught:
        pdf.raw_record(scanned)
    assert "OCR is not installed (Debian: apt install tesseract-ocr)" in str(caught.value)


def _word(text: str, x0: float, top: float, bottom: float) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + 20, "top": top, "bottom": bottom, "fontname": ""}


def test_ocr_lines_at_one_height_become_one_printed_line() -> None:
    # two columns OCR returns as separate lines, boxes hugging the letters; and a line below
    label, value = _word("Onset", 50, 100.0, 110.0), _word("gradual", 170, 102.5, 110.0)
    same_box = _word("x", 300, 100.0, 110.0)  # an equal box must not make words compare
    below = _word("Frequency", 50, 114.0, 124.0)
    words = pdf_ocr._level([[label], [value], [same_box], [below]])
    tops = {w["text"]: (w["top"], w["bottom"]) for w in words}
    assert tops["Onset"] == tops["gradual"] == tops["x"] == (100.0, 110.0)
    assert tops["Frequency"] == (114.0, 124.0)
