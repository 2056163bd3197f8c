"""The fillable form never loses text: long values and items beyond its slots go to an addendum."""

from __future__ import annotations

import copy
import io
import json
import re

import pdfplumber
from pypdf import PdfReader

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.context import build_context
from pipeline.writers.pdf_form import FIELDS_FILE, field_values, fill_form, load_fields
from tests.support import TEST_DATA

FULL = json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))
AGENCY = load_agency("riverside")
PAYER = load_payer("bluepeak-pdf")
LONG = (
    "a sentence long enough to run well past the end of any single-line field on the form, "
    "naming {what} so that each copy can be found again whole in the output"
)


def overfull_plan() -> Plan:
    """Every text long, five goals where the form has three slots, three objectives and two
    interventions each where it shows one objective and no intervention."""
    data = copy.deepcopy(FULL)
    data["client"]["first_name"] = "Maximiliana-Alexandrina Theodora"
    data["client"]["last_name"] = "Featherstonehaugh-Cholmondeley of Riverside Falls"
    data["diagnoses"][0]["description"] = LONG.format(what="the primary diagnosis")
    goals = []
    for g in range(1, 6):
        goal = copy.deepcopy(data["goals"][0])
        goal["id"] = f"G{g}"
        goal["client_words"] = LONG.format(what=f"goal {g} in the client's words")
        goal["objectives"] = [
            dict(goal["objectives"][0], id=f"G{g}.O{o}",
                 text=LONG.format(what=f"objective {g}.{o}"))
            for o in range(1, 4)
        ]  # fmt: skip
        goal["interventions"] = [
            dict(goal["interventions"][0], id=f"G{g}.I{i}",
                 description=LONG.format(what=f"intervention {g}.{i}"))
            for i in range(1, 3)
        ]  # fmt: skip
        goals.append(goal)
    data["goals"] = goals
    return Plan.model_validate(data)


def words(text: str) -> str:
    return " ".join(re.sub(r"[“”]", '"', text).split())


FOOT = re.compile(r"· Page (\d+) of (\d+)$")


def pdf_text(data: bytes) -> tuple[str, list[str]]:
    """The text without page footers (a paragraph may run over a page), and the footers."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    body = [line for line in lines if not FOOT.search(line)]
    return words(" ".join(body)), [line for line in lines if FOOT.search(line)]


def test_long_text_and_items_beyond_the_slots_are_all_in_the_output() -> None:
    plan = overfull_plan()
    data = fill_form(plan, PAYER, AGENCY)
    text, footers = pdf_text(data)
    context = build_context(plan, PAYER, AGENCY)
    values = field_values(load_fields(PAYER.directory / FIELDS_FILE), context, "test")
    long_values = [v for v in values.values() if isinstance(v, str) and len(v) > 80]
    assert len(long_values) >= 4
    for value in long_values:  # each whole, on the addendum
        assert words(value) in text
    for g in range(1, 6):
        assert f"goal {g} in the client's words" in text
        for o in range(1, 4):
            assert f"objective {g}.{o} so that" in text
        for i in range(1, 3):
            assert f"intervention {g}.{i} so that" in text
    assert "(continued: addendum A1)" in text
    pointer = re.search(r"\(continued: addendum (A\d+)\)", text)
    assert pointer is not None
    assert re.search(r"A\d+\. Goal 1 \(field goal1\)", text)  # the addendum names the field
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert pages >= 2
    who = "Maximiliana-Alexandrina Theodora Featherstonehaugh-Cholmondeley of Riverside Falls"
    assert footers == [f"{who} · Client ID RC-1001 · Page {n} of {pages}"
                       for n in range(1, pages + 1)]  # fmt: skip


def test_forms_are_flattened_unless_the_profile_says_otherwise() -> None:
    plan = Plan.model_validate(FULL)
    flat = PdfReader(io.BytesIO(fill_form(plan, PAYER, AGENCY)))
    assert "/AcroForm" not in flat.trailer["/Root"] and not flat.get_fields()
    fillable = PAYER.model_copy(update={"render": {**PAYER.render, "flatten": False}})
    kept = PdfReader(io.BytesIO(fill_form(plan, fillable, AGENCY)))
    assert kept.get_fields()["member_id"]["/V"] == "1EG4-TE5-MK73"
