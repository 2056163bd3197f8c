"""What the BluePeak form's fields say, read back from the filled form.

Two defects seen on the demo's forms: a goal's first objective was printed without its target
date when its text did not name one (30017: "Reduce night-time checking from 5 to 1 or fewer
per night"), and "Other diagnoses" was ``diagnoses[1:]`` as bare codes, so a plan whose
primary diagnosis is not listed first showed the primary twice and lost the first one.
"""

from __future__ import annotations

import io
import json

from pypdf import PdfReader

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers import WriterOptions, render
from tests.support import TEST_DATA

AGENCY = load_agency("riverside")
PAYER = load_payer("bluepeak-pdf")
FULL = json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))


def _fields(data: dict) -> dict[str, str]:
    (doc,) = render(Plan.model_validate(data), PAYER, AGENCY, WriterOptions(flatten=False))
    fields = PdfReader(io.BytesIO(doc.data)).get_fields() or {}
    return {name: str(f.get("/V") or "") for name, f in fields.items()}


def test_first_objective_carries_its_target_date() -> None:
    text = FULL["goals"][0]["objectives"][0]["text"]
    assert "06/16/2025" not in text  # the sample objective names no date of its own
    goal1 = _fields(FULL)["goal1"]
    assert goal1.endswith(f"/ {text} (target date 06/15/2025)"), goal1


def test_other_diagnoses_are_the_non_primary_ones_with_descriptions() -> None:
    data = json.loads(json.dumps(FULL))
    data["diagnoses"].reverse()  # the primary (F41.1) listed second
    fields = _fields(data)
    assert fields["dx1_code"] == "F41.1"
    assert "F41.1" not in fields["dx_other"], fields["dx_other"]
    assert fields["dx_other"].startswith("G47.00 "), fields["dx_other"]
    assert len(fields["dx_other"]) > len("G47.00 ")  # the description, not the bare code


def test_a_couples_service_ticks_the_family_box() -> None:
    """The form has Individual, Group and Family boxes; couples therapy is billed as family
    psychotherapy (CPT 90847), so a couples service ticks Family rather than no box."""
    data = json.loads(json.dumps(FULL))
    data["services"][0].update(type="couples", cpt_code="90847")
    fields = _fields(data)
    assert fields["svc_family"] not in ("", "/Off"), fields["svc_family"]
    assert fields["svc_individual"] in ("", "/Off") and fields["svc_group"] in ("", "/Off")
    assert fields["cpt_code"] == "90847"
