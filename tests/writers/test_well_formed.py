"""Well-formed always: every character 0x00-0x1F, DEL, bidi controls and lone surrogates in
every text field of a plan, rendered for every payer and the client copy, give sound files."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from pipeline.model import Plan
from pipeline.profiles import list_payers, load_agency
from pipeline.rules import load_payer
from pipeline.writers.clean import clean_plan, clean_text, needs_cleaning
from pipeline.writers.client_copy import render_client_copy
from pipeline.writers.docx.render import render_docx
from pipeline.writers.pdf_form import fill_form
from pipeline.writers.verify import BrokenDocument, verify_docx, verify_pdf
from tests.support import DATA

HOSTILE = "".join(chr(c) for c in range(0x20)) + "\x7f\u202e\u2066\ufffe\ud800\udfff"


def _poison(value: Any, path: str, plan_data: dict) -> Any:
    if isinstance(value, dict):
        return {k: _poison(v, f"{path}.{k}", plan_data) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, f"{path}[{i}]", plan_data) for i, v in enumerate(value)]
    if isinstance(value, str) and value:
        return f"A{HOSTILE}{value}{HOSTILE}Z"
    return value


def hostile_plan() -> tuple[Plan, int]:
    """The full sample plan with the hostile characters in every text field that still
    validates with them (codes, dates and enums reject them, as they should)."""
    data = json.loads((DATA / "render" / "full.json").read_text(encoding="utf-8"))
    poisoned = 0

    def walk(node: Any) -> None:
        nonlocal poisoned
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            if isinstance(value, dict | list):
                walk(value)
            elif isinstance(value, str) and value:
                node[key] = f"A{HOSTILE}{value}{HOSTILE}Z"
                try:
                    Plan.model_validate(data)
                    poisoned += 1
                except ValidationError:
                    node[key] = value

    walk(data)
    return Plan.model_validate(data), poisoned


def test_clean_text_keeps_tab_and_lines_and_drops_the_rest() -> None:
    assert clean_text("a\tb\nc\r\x0bd\x0ce\x00\x1b\u202e\ud800f") == "a\tb\nc\r\nd\nef"
    assert clean_text("José Ñ 北京") == "José Ñ 北京"


def test_a_clean_plan_is_returned_as_is() -> None:
    plan = Plan.model_validate_json((DATA / "render" / "full.json").read_text(encoding="utf-8"))
    assert clean_plan(plan) is plan
    assert not needs_cleaning(plan.model_dump_json())


def test_every_field_cleaned() -> None:
    plan, poisoned = hostile_plan()
    assert poisoned > 40  # names, contacts, goals, objectives, interventions, notes...
    clean = clean_plan(plan)
    text = clean.model_dump_json()
    assert not needs_cleaning(text)
    assert clean.client.first_name == "A\t\n\n\n\rMaya\t\n\n\n\rZ"


@pytest.mark.parametrize("payer_id", list_payers())
def test_every_payer_renders_a_well_formed_document(payer_id: str) -> None:
    plan, _ = hostile_plan()
    payer, agency = load_payer(payer_id), load_agency("riverside")
    if payer.kind == "pdf_form":
        data = fill_form(plan, payer, agency, flatten=False)
        verify_pdf(data)
        fields = PdfReader(io.BytesIO(data)).get_fields() or {}
        values = [str(f.get("/V", "")) for f in fields.values()]
        assert not any(needs_cleaning(json.dumps(v, ensure_ascii=False)) for v in values)
        return
    for renderer in ("auto", "docxtpl"):
        data = render_docx(plan, payer, agency, draft=True, renderer=renderer)
        verify_docx(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            body = archive.read("word/document.xml").decode("utf-8")
        assert "\x1b" not in body and "\u202e" not in body


def test_the_client_copy_is_well_formed() -> None:
    plan, _ = hostile_plan()
    verify_docx(render_client_copy(plan, load_agency("northstar")))


def test_verify_rejects_broken_documents() -> None:
    good = render_client_copy(hostile_plan()[0], load_agency("northstar"))
    with pytest.raises(BrokenDocument, match="zip"):
        verify_docx(good[: len(good) // 2])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b"\x0b</w:body>")
            dst.writestr(item, data)
    with pytest.raises(BrokenDocument, match="word/document.xml is not well-formed"):
        verify_docx(out.getvalue())
    with pytest.raises(BrokenDocument):
        verify_pdf(b"%PDF-1.7\n garbage")
