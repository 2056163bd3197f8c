"""CT-1001's clinical plan (a draft: its safety plan is still the goal bank's skeleton) listed
five of the six Stanley-Brown sections a complete plan needs: "People and places that
distract" was never printed, so a reader saw a plan without that step, and a section left
empty vanished without a word. Every required section is printed now, "Not recorded" when
empty (found reading the demo's PDFs, session 10)."""

from __future__ import annotations

import io

import docx
import pytest

from pipeline.clinical.risk import REQUIRED_SECTIONS
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.readers import read
from pipeline.writers.docx.render import render_docx
from tests.support import ROOT

LABELS = {
    "warning_signs": "Warning signs",
    "coping_strategies": "Coping strategies",
    "people_and_places": "People and places that distract",
    "people_to_ask": "People to ask for help",
    "professionals": "Professionals and crisis lines",
    "means_safety": "Making the environment safe",
}


@pytest.fixture(scope="module")
def ct1001() -> Plan:
    for result in read(ROOT / "inputs" / "counseltrack_wide.xlsx"):
        if result.plan is not None and result.plan.client.id == "CT-1001":
            return merge(result.plan, load_bank())[0]
    raise AssertionError("CT-1001")


def _safety_lines(plan: Plan, renderer: str) -> dict[str, str]:
    data = render_docx(plan, load_payer("clinical"), load_agency("riverside"), renderer=renderer)
    lines = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    start = lines.index("Safety plan")
    found = {}
    for line in lines[start + 1 :]:
        label, _, value = line.partition(": ")
        if label in LABELS.values():
            found[label] = value
        if line == "Review":
            break
    return found


def test_the_labels_are_the_required_sections() -> None:
    assert set(LABELS) == set(REQUIRED_SECTIONS)


@pytest.mark.parametrize("renderer", ["fast", "docxtpl"])
def test_every_section_of_the_skeleton_is_printed(ct1001: Plan, renderer: str) -> None:
    found = _safety_lines(ct1001, renderer)
    assert list(found) == list(LABELS.values())
    assert found["People and places that distract"].startswith("[Complete with the client]")


@pytest.mark.parametrize("renderer", ["fast", "docxtpl"])
def test_an_empty_section_says_not_recorded(ct1001: Plan, renderer: str) -> None:
    assert ct1001.safety_plan is not None
    safety = ct1001.safety_plan.model_copy(update={"people_and_places": (), "means_safety": None})
    found = _safety_lines(ct1001.model_copy(update={"safety_plan": safety}), renderer)
    assert found["People and places that distract"] == "Not recorded"
    assert found["Making the environment safe"] == "Not recorded"
