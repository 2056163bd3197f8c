"""What documents say about safety: the form ticks "safety plan in place" only for a complete
plan; the client copy carries the client's own safety plan and is never made with a
placeholder."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document
from pypdf import PdfReader

from pipeline.batch.build import BuildOptions, build
from pipeline.errors import TxplanError
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.client_copy import render_client_copy
from pipeline.writers.pdf_form import fill_form
from tests.support import TEST_DATA

PLAN = Plan.model_validate(
    json.loads((TEST_DATA / "render" / "full.json").read_text(encoding="utf-8"))
)
AGENCY = load_agency("riverside")
SKELETON = PLAN.model_copy(
    update={
        "safety_plan": PLAN.safety_plan.model_copy(
            update={"warning_signs": ("[Complete with the client] Thoughts, moods, situations.",)}
        )
    }
)


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


def _ticked(data: bytes, name: str) -> bool:
    fields = PdfReader(io.BytesIO(data)).get_fields() or {}
    return fields[name].get("/V") == "/Yes"


def test_form_ticks_safety_plan_in_place_only_when_complete() -> None:
    payer = load_payer("bluepeak-pdf")
    assert _ticked(fill_form(PLAN, payer, AGENCY, flatten=False), "safety_plan")
    assert not _ticked(fill_form(SKELETON, payer, AGENCY, draft=True, flatten=False), "safety_plan")


def test_client_copy_carries_the_clients_own_safety_plan() -> None:
    text = _text(render_client_copy(PLAN, AGENCY))
    assert "Your safety plan" in text
    for entry in ("Lying awake past 2am", "Walk the dog", "Tom (brother)", "No firearms at home"):
        assert entry in text
    assert "[" not in text and "Complete with the client" not in text


def test_client_copy_is_not_made_while_the_safety_plan_is_incomplete(tmp_path) -> None:
    with pytest.raises(TxplanError, match="client copy not produced"):
        render_client_copy(SKELETON, AGENCY)
    options = BuildOptions(out_dir=tmp_path, merge=False, client_copy=True, draft=True)
    result = build([SKELETON], [load_payer("clinical")], AGENCY, options)
    rows = {r.payer: r for r in result.rows}
    copy = rows["client-copy"]
    assert copy.status == "blocked" and not copy.outputs
    # withheld for its safety plan (never a draft), and the plan is not in force either
    assert [f.code for f in copy.findings] == ["TXR030", "TXR031"]
    assert "warning signs (placeholder text)" in copy.findings[0].message
    assert rows["clinical"].status == "blocked"
    assert not list(tmp_path.glob("*client-copy*"))


def test_registry_render_withholds_the_client_copy_too() -> None:
    """Every path to a client copy goes through writers.render, which applies TXR030."""
    from pipeline.writers import WriterOptions, render
    from pipeline.writers.client_copy import CLIENT_COPY

    for options in (WriterOptions(), WriterOptions(draft=True), WriterOptions(renderer="docxtpl")):
        with pytest.raises(TxplanError, match="client copy not produced"):
            render(SKELETON, CLIENT_COPY, AGENCY, options)
    (document,) = render(PLAN, CLIENT_COPY, AGENCY)
    assert "Your safety plan" in _text(document.data)
