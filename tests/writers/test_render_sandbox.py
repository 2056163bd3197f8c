"""Templates cannot reach Python; misspelled variables are errors naming them and their place."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jinja2
import pytest
from docx import Document

from pipeline.errors import TemplateError
from pipeline.model import Plan, Signatures, Signer
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.context import build_context
from pipeline.writers.docx.render import render_docx
from pipeline.writers.sandbox import guarded, make_env
from tests.support import TEST_DATA

DATA = TEST_DATA / "render"
PLAN = Plan.model_validate(json.loads((DATA / "full.json").read_text(encoding="utf-8")))


def payer_with(tmp_path: Path, *paragraphs: str):
    """The clinical payer, with a template holding these paragraphs."""
    doc = Document()
    doc.add_paragraph("Plan for {{ client.name }}")
    for text in paragraphs:
        doc.add_paragraph(text)
    path = tmp_path / "template.docx"
    doc.save(path)
    return load_payer("clinical").model_copy(update={"template": path})


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ client.__class__ }}",
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{{ goals.append(1) }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_reaching_python_internals_fails_safely(tmp_path, attack) -> None:
    payer = payer_with(tmp_path, attack)
    with pytest.raises(TemplateError) as caught:
        render_docx(PLAN, payer, load_agency("riverside"))
    assert str(payer.template) in caught.value.where


def test_sandbox_refuses_underscore_attributes_directly() -> None:
    template = make_env().from_string("{{ x.__class__.__name__ }}")
    with pytest.raises(TemplateError, match="unsafe|not allowed|undefined"):
        guarded("test", lambda: template.render(x="text"))


def test_misspelled_variable_is_an_error_naming_it_and_its_paragraph(tmp_path) -> None:
    payer = payer_with(tmp_path, "Intro", "Born {{ client.date_of_brith }}")
    with pytest.raises(TemplateError) as caught:
        render_docx(PLAN, payer, load_agency("riverside"))
    assert "date_of_brith" in caught.value.message
    assert "word/document.xml, paragraph 3" in caught.value.where
    assert "Born {{ client.date_of_brith }}" in caught.value.where


def test_unknown_top_level_name_is_an_error(tmp_path) -> None:
    payer = payer_with(tmp_path, "{{ cilent.id }}")
    with pytest.raises(TemplateError, match="cilent"):
        render_docx(PLAN, payer, load_agency("riverside"))


def test_syntax_error_is_located(tmp_path) -> None:
    payer = payer_with(tmp_path, "{% if client.id %}never closed")
    with pytest.raises(TemplateError, match="syntax"):
        render_docx(PLAN, payer, load_agency("riverside"))


def test_values_are_xml_escaped(tmp_path) -> None:
    words = '<w:p>oops</w:p> & "quotes"'
    plan = PLAN.model_copy(
        update={
            "presenting_problem": PLAN.presenting_problem.model_copy(update={"client_words": words})
        }  # fmt: skip
    )
    payer = payer_with(tmp_path, "Said: {{ presenting.client_words }}")
    doc = Document(io.BytesIO(render_docx(plan, payer, load_agency("riverside"))))
    assert doc.paragraphs[1].text == f"Said: {words}"


def test_context_holds_only_plain_values() -> None:
    def walk(value) -> None:
        if isinstance(value, dict):
            assert all(isinstance(k, str) for k in value)
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        else:
            assert value is None or isinstance(value, str | int | float | bool), type(value)

    walk(build_context(PLAN, load_payer("clinical"), load_agency("riverside")))


def test_signer_credentials_come_from_the_agency_when_missing() -> None:
    signatures = Signatures(clinician=Signer(name="Samuel Reyes"))
    plan = PLAN.model_copy(update={"signatures": signatures})
    context = build_context(plan, load_payer("clinical"), load_agency("riverside"))
    clinician = context["signatures"]["clinician"]
    assert clinician["line"] == "Samuel Reyes, LPC, LPC-S"
    assert clinician["npi"] == "1374184046"


class _Html:
    def __html__(self) -> str:
        return "<b>trusted</b>"


@pytest.mark.parametrize(
    "source",
    [
        "{{ x }}|{{ d.key }}|{{ d.items }}|{{ d.missing is defined }}",
        "{% for v in l %}{{ v }};{% endfor %}{{ l|join(x) }}",
        "{% autoescape false %}{{ x }}{% endautoescape %}",
        "{% autoescape flag %}{{ x }}{% endautoescape %}",
        "{% set s %}{{ x }}{% endset %}{{ s }}{% filter upper %}{{ x }}{% endfilter %}",
        "{% macro m(v) %}<{{ v }}>{% endmacro %}{{ m(x) }}{{ 'a<b' }}{{ 5 }}{{ none }}",
    ],
)
def test_quick_paths_print_what_the_stock_sandbox_prints(source) -> None:
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from markupsafe import Markup

    from pipeline.writers.sandbox import SAFE_GLOBALS, finalize

    stock = ImmutableSandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=True, finalize=finalize,
        keep_trailing_newline=True,
    )  # fmt: skip
    stock.globals.clear()
    stock.globals.update(SAFE_GLOBALS)
    for x in ["a<b & 'c' \"d\"", Markup("<i>ok</i>"), None, 7, 2.5, True, _Html()]:
        values = {"x": x, "d": {"key": x}, "l": [x, "<&>", None], "flag": False}
        ours = make_env().from_string(source).render(values)
        assert ours == stock.from_string(source).render(values), x


def test_undefined_values_still_raise() -> None:
    for source in ("{{ d.missing }}", "{{ nothing }}", "{{ d.key.deeper }}"):
        with pytest.raises(jinja2.UndefinedError):
            make_env().from_string(source).render(d={"key": "text"})
