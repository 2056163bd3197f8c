"""A part rendered from its marked form (characters past ASCII of the literal text written as
control characters, put back in the bytes) gives the bytes of the part rendered as it is,
whatever the values print: the markers themselves, the very characters, markup, newlines."""

from __future__ import annotations

import dataclasses

import jinja2
import pytest
from markupsafe import Markup

from pipeline.writers.docx import fast
from pipeline.writers.docx import parts as rendering
from pipeline.writers.docx.parts import MARKERS, part_bytes
from tests.writers.docx.clinical import full_clinical

ODD = [
    "&#8220;",  # the reference of a marked character, as text
    "“quoted” · ≤ 5",  # the marked characters themselves, and others
    "Ann &amp; Bo &#183; &#x201C;",
    "two\nlines",  # docxtpl's way (a newline of the value's own)
    Markup("&#8220;"),  # printed as it is: the marked form is not used
    Markup("<w:t>x</w:t>"),
    "\x01",  # a character XML forbids (a suspect value)
    MARKERS[:3],  # the markers themselves
    "<wp:docPr> as text",  # docxtpl parses the body then: the plain form is rendered
]


def _parts() -> tuple[list[fast.Part], dict, dict]:
    compiled, context, properties = full_clinical()
    parts = [i for i in compiled.items if isinstance(i, fast.Part)]
    assert parts and all(p.marked is not None for p in parts)
    return parts, context, properties


@pytest.mark.parametrize("value", ODD)
def test_the_marked_form_gives_the_bytes_of_the_plain_form(value: str) -> None:
    parts, context, _ = _parts()
    context = {**context, "client": {**context["client"], "name": value, "pronouns": value},
               "presenting": {**context["presenting"], "client_words": value}}  # fmt: skip
    for part in parts:
        plain = dataclasses.replace(part, marked=None, marks=())
        assert part_bytes(part, context) == part_bytes(plain, context), (part.name, value)


def test_the_marked_form_is_used_and_holds_no_marked_character(monkeypatch) -> None:
    parts, context, _ = _parts()
    body = next(p for p in parts if p.body)
    marked = body.marked.render(context)
    assert "“" not in marked and MARKERS[0] in marked
    assert b"\xe2\x80\x9c" in part_bytes(body, context)[0]  # “ put back
    calls = []
    run = rendering.run

    def counted(template, *args):  # noqa: ANN001, ANN202
        calls.append(template)
        return run(template, *args)

    monkeypatch.setattr(rendering, "run", counted)
    part_bytes(body, context)
    assert calls == [body.marked]


def test_a_part_renders_as_jinja_renders_it_with_its_globals_read_once() -> None:
    parts, context, _ = _parts()
    for part in parts:
        assert part.scope == dict(part.template.globals)  # read once, as Jinja reads them
        for template in (part.template, part.lined, part.marked):
            if template is not None:
                assert rendering.run(template, part.scope, context) == template.render(context)
    body = next(p for p in parts if p.body)
    broken = {k: v for k, v in context.items() if k != "client"}
    with pytest.raises(jinja2.UndefinedError) as stock:
        body.template.render(broken)
    with pytest.raises(jinja2.UndefinedError) as quick:
        rendering.run(body.template, body.scope, broken)
    assert str(quick.value) == str(stock.value)
    # a name the globals hold is the context's where the context gives it, as in Jinja
    shadowed = rendering.run(body.template, {"client": {"name": "global"}}, context)
    assert shadowed == body.template.render(context)
