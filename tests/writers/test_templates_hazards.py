"""txplan templates check flags hostile templates (include, format tricks, huge ranges, folding
bombs) by template, part and paragraph, without ever computing the bomb."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.writers.lint import lint_source, sample_context, shape_of
from pipeline.writers.lint_hazards import constant
from tests.writers.test_templates_check import template

SHAPE = shape_of(sample_context())
PROPERTIES = {"title": "t", "author": "a", "subject": "s", "comments": "c"}

HOSTILE = [
    ('{% include "other.docx" %}', "TPL008", "{% include %}"),
    ('{% import "macros" as m %}', "TPL008", "{% import %}"),
    ('{% from "macros" import box %}', "TPL008", "{% from ... import %}"),
    ('{% extends "base" %}', "TPL008", "{% extends %}"),
    ('{{ "%s"|format(client.name) }}', "TPL009", "the format filter"),
    ('{{ "{0.__class__.__init__.__globals__}".format(client) }}', "TPL009", "read attributes"),
    ('{{ "{:>1000000000}".format(1) }}', "TPL009", ".format()"),
    ("{{ client.name.format_map(client) }}", "TPL009", ".format_map()"),
    ('{{ "x"|attr("format") }}', "TPL009", "attr('format')"),
    ('{{ "%s" % client.name }}', "TPL009", "'...' % value"),
    ('{{ client|attr("__class__") }}', "TPL004", "attr('__class__')"),
    ("{{ client.__class__ }}", "TPL004", "starting with _"),
    ("{{ range(10**9)|list }}", "TPL010", "range() of 1,000,000,000 items"),
    ("{{ range(0, 200000)|list }}", "TPL010", "range() of 200,000 items"),
    ("{{ range(goals|length * 100000)|list }}", "TPL010", "cannot bound"),
    (
        "{% for i in range(1000) %}{% for j in range(1000) %}x{% endfor %}{% endfor %}",
        "TPL010",
        "1,000,000 iterations",
    ),  # fmt: skip
    ("{{ 9**9**9 }}", "TPL011", "78-digit number"),
    ("{{ 10**(10**8) }}", "TPL011", "exponent of 100,000,000"),
    ("{{ 'a' * 10**9 }}", "TPL011", "1,000,000,000 items"),
    ("{{ [1, 2] * 100000 }}", "TPL011", "200,000 items"),
    ("{{ 123456789123 * 987654321987 * 1000000 }}", "TPL011", "folding bomb"),
    ("{{ client.name * 1000000000 }}", "TPL011", "multiplication by 1,000,000,000"),
    ("{{ goals|length ** 1000 }}", "TPL011", "exponent of 1,000"),
    ("{{ client.name|center(10**9) }}", "TPL011", "filter center given 1,000,000,000"),
    ("{{ client.name|indent(width=500000) }}", "TPL011", "filter indent given 500,000"),
]


@pytest.mark.parametrize(("source", "code", "words"), HOSTILE)
def test_each_hostile_construct_is_one_finding_with_its_code(source, code, words) -> None:
    found = [(c, m) for _, c, m in lint_source(source, SHAPE) if c.startswith("TPL")]
    assert [c for c, _ in found] == [code], found
    assert words in found[0][1]


@pytest.mark.parametrize(
    "source",
    [
        "{{ range(goals|length)|list }} {{ range(3) }} {% for i in range(10) %}{{ i }}{% endfor %}",
        "{% for g in goals %}{% for o in g.objectives %}{{ o.text }}{% endfor %}{% endfor %}",
        "{{ 2 ** 10 }} {{ 'ab' * 3 }} {{ goals|length * 2 }} {{ 60 * 60 * 24 * 365 }}",
        "{{ client.name ~ ' (' ~ client.id ~ ')' }} {{ (measures|length / 2)|round }}",
        "{{ client.name|truncate(40) }} {{ client.name|center(20) }}",
    ],
)
def test_ordinary_templates_raise_nothing(source) -> None:
    assert lint_source(source, SHAPE) == []


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "nested too deeply"),
        ("{{ " + "+".join(["1"] * 20000) + " }}", "nested too deeply"),
        ("{{ " + "9" * 5000 + " }}", "a number of more than 4,300 digits"),
    ],
)
def test_templates_too_deep_or_too_long_to_read_are_one_syntax_finding(source, words) -> None:
    assert [(c, words in m) for _, c, m in lint_source(source, SHAPE)] == [("TPL001", True)]


def test_the_lint_never_computes_a_bomb() -> None:
    with pytest.raises(Exception, match="exponent of 1,000,000,000"):
        constant(lint_tree("{{ 2 ** (10 ** 9) }}"))
    with pytest.raises(Exception, match="90-digit number"):  # Jinja: ((10**10)**9)**10
        constant(lint_tree("{{ 10 ** 10 ** 9 ** 10 }}"))  # stops at 10**90, never goes on
    with pytest.raises(Exception, match="items"):
        constant(lint_tree("{{ 'ab' * 10 ** 18 }}"))


def lint_tree(source: str):
    from pipeline.writers.sandbox import make_env

    return make_env().parse(source).body[0].nodes[0]


def test_templates_check_locates_every_hazard_in_a_hostile_docx(tmp_path) -> None:
    path = template(
        tmp_path,
        "Plan for {{ client.name }}",
        '{% include "evil.docx" %}',
        '{{ "{0.__class__}".format(client) }}',
        "{{ range(10**9)|list }}",
        "{{ 'a' * 10**9 }}",
        header="{{ 9**9**9 }}",
    )
    result = CliRunner().invoke(main, ["templates", "check", path])
    assert result.exit_code == 1
    out = result.output
    body = f"{path}, part word/document.xml"
    assert f"{body}, paragraph 2" in out and "TPL008" in out
    assert f"{body}, paragraph 3" in out and "TPL009" in out
    assert f"{body}, paragraph 4" in out and "TPL010" in out
    assert f"{body}, paragraph 5" in out and "TPL011" in out
    assert "part word/header1.xml, paragraph 1" in out and "78-digit number" in out
    assert "5 problems" in out


@pytest.mark.parametrize("renderer", ["auto", "docxtpl"])
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "nested too deeply"),
        ("{{ " + "9" * 5000 + " }}", "more than 4,300 digits"),
        ('{% include "other.docx" %}', "{% include %} is not allowed"),
    ],
)
def test_rendering_such_a_template_fails_with_the_lints_located_reason(
    tmp_path, renderer, text, words
) -> None:
    """Jinja raises no TemplateError for these (RecursionError, ValueError, TypeError): the
    build's row said "the plan could not be built: RecursionError"; now it names the place."""
    from pipeline.errors import TemplateError
    from pipeline.profiles import load_agency
    from pipeline.writers.docx.render import render_document

    path = template(tmp_path, "Plan", text)
    with pytest.raises(TemplateError, match=words) as caught:
        render_document(Path(path), {}, load_agency("riverside"), draft=False,
                        properties=PROPERTIES, renderer=renderer)  # fmt: skip
    assert caught.value.where.startswith(f"{path}, part word/document.xml")
