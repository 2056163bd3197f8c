"""A provisional (rule-out) diagnosis is never printed as an established one: CT-1005's
managed-care report listed "R/O F40.00 agoraphobia" as "F40.00 agoraphobia, Primary: No", and
the Medicare plan of care prints no status at all. Both now have a Status column (primary,
provisional). And a description's closing bracket is kept: "Panic disorder [episodic
paroxysmal anxiety" lost its "]" when the reader trimmed the cell's edges."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.readers.mapping.dx_cells import parse_diagnoses
from pipeline.writers.docx.render import render_docx
from tests.support import TEST_DATA

DATA = json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("payer", ["managed-care-otr", "medicare-poc"])
def test_a_provisional_diagnosis_says_so(payer: str) -> None:
    data = json.loads(json.dumps(DATA))
    data["diagnoses"][1]["provisional"] = True
    plan = Plan.model_validate(data)
    doc = Document(io.BytesIO(render_docx(plan, load_payer(payer), load_agency("riverside"))))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "ICD-10-CM")
    rows = {r.cells[0].text: r.cells[-1].text for r in table.rows[1:]}
    header = [c.text for c in table.rows[0].cells]
    assert header[-1] == "Status", header
    code = data["diagnoses"][1]["code"]
    assert "provisional" in rows[code], rows
    primary = next(d["code"] for d in data["diagnoses"] if d.get("primary"))
    assert rows[primary].startswith("primary"), rows


@pytest.mark.parametrize(
    ("cell", "description"),
    [
        (
            "F41.0 Panic disorder [episodic paroxysmal anxiety]",
            "Panic disorder [episodic paroxysmal anxiety]",
        ),
        ("F43.10 - PTSD (chronic)", "PTSD (chronic)"),
        ("F41.0 (Panic disorder)", "Panic disorder"),
        ("[F32.1] Major depressive disorder", "Major depressive disorder"),
    ],
)
def test_a_description_keeps_its_closing_bracket(cell: str, description: str) -> None:
    [item] = parse_diagnoses(cell)
    assert item.description == description
