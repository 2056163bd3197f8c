"""A main document's printed values have budgets: a sound rendering with every value within its
budget has no row the tall-row pass would free, so it is not scanned; any other is."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.profiles import load_agency, load_payer
from pipeline.writers import sandbox
from pipeline.writers.docx import budget, fast, proof, rows
from pipeline.writers.docx.estimate import cell_height
from pipeline.writers.docx.parts import Part, part_bytes
from tests.writers.docx.clinical import full_clinical

PAYERS = ["clinical", "managed-care-otr", "medicaid-isp", "medicare-poc"]
LIMIT = 2000.0


def _body(compiled: fast.Compiled) -> Part:
    return next(i for i in compiled.items if isinstance(i, Part) and i.body)


@pytest.mark.parametrize("payer_id", PAYERS)
def test_every_shipped_body_is_measured(payer_id: str) -> None:
    payer = load_payer(payer_id)
    compiled = fast.compiled_for(Path(payer.template), load_agency("riverside"), draft=True)
    body = _body(compiled)
    assert body.proven and body.measured


_TEXT = st.text(st.sampled_from("ab &<>\"'“é·x"), max_size=40)
_LONG = st.one_of(_TEXT, st.builds(lambda t, n: t * n, _TEXT, st.integers(0, 60)))


@given(objective=_LONG, name=_LONG, description=_LONG, who=_LONG, score=_LONG)
@settings(max_examples=60, deadline=None)
def test_a_rendering_within_its_budgets_has_no_row_to_free(objective: str, name: str,
                                                          description: str, who: str,
                                                          score: str) -> None:  # fmt: skip
    compiled, context, _ = full_clinical()
    context = copy.deepcopy(context)
    context["goals"][0]["objectives"][0]["text_with_target"] = objective
    context["client"]["name"] = name
    context["diagnoses"][0]["description"] = description
    context["signatures"]["lines"][0]["who"] = who
    context["measures"][0]["score"] = score
    body = _body(compiled)
    data, sound = part_bytes(body, context)
    if sound and not proof.long():
        assert rows.split_tall_rows_part(data, compiled.body_rows.area) is data
    if len(objective) > 2000:  # (objective 1.1 is then over the limit: measured as long)
        assert proof.long()


def test_a_value_over_its_budget_is_scanned_and_its_row_freed() -> None:
    compiled, context, properties = full_clinical()
    context = copy.deepcopy(context)
    objective = context["goals"][0]["objectives"][0]
    body = _body(compiled)
    part_bytes(body, context)
    assert not proof.long()
    objective["text_with_target"] = "Practise the steps agreed in session. " * 40
    data, sound = part_bytes(body, context)
    assert sound and proof.long()
    freed = rows.split_tall_rows_part(data, compiled.body_rows.area)
    assert freed.count(b"<w:cantSplit/>") < data.count(b"<w:cantSplit/>")
    written = compiled.render(context, properties)
    assert zipfile.ZipFile(io.BytesIO(written)).read("word/document.xml") == freed


def _budgets(source: str, limit: float = LIMIT) -> list[int | None] | None:
    return budget.budgets(sandbox.make_env().parse(source), limit)


def _cell(value: str, width: int = 2000) -> str:
    return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
            f"<w:p><w:r><w:t>{value}</w:t></w:r></w:p></w:tc>")  # fmt: skip


def _table(*rows_: str) -> str:
    return "<w:body><w:tbl>" + "".join(rows_) + "</w:tbl></w:body>"


def _row(*cells: str) -> str:
    return "<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(cells) + "</w:tr>"


def test_a_budget_is_the_longest_value_its_cell_holds_within_the_limit() -> None:
    source = _table(_row(_cell("Label"), _cell("{{ a }}", 1500), _cell("x {{ b }} y {{ c }}")))
    found = _budgets("<w:p>{{ outside }}</w:p>" + source)
    assert found is not None and found[0] is None  # outside every row: not measured
    a, b, c = found[1:]
    narrow = _cell("\x00", 1500)
    assert cell_height(narrow.replace("\x00", "x" * a)) <= LIMIT
    assert cell_height(narrow.replace("\x00", "x" * (a + 1))) > LIMIT
    assert b == c  # two values in one cell share its budget
    both = _cell("x \x00 y \x00")
    assert cell_height(both.replace("\x00", "x" * b)) <= LIMIT
    assert cell_height(both.replace("\x00", "x" * (b + 1))) > LIMIT


@pytest.mark.parametrize("source", [
    _table(_row(_cell("{% if a %}a{% endif %}"))),  # a block inside a row
    _table(_row('<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{{ w }}"/></w:tcPr></w:tc>')),  # a tag
    _table("<w:tr>{% for a in b %}" + _cell("{{ a }}") + "{% endfor %}</w:tr>"),
    _table("{% if a %}<w:tr>" + _cell("{{ a }}") + "{% endif %}</w:tr>"),  # row's end elsewhere
    _table(_row(_cell("word " * 2000))),  # a cell over the limit whatever the values
    _table(_row(_cell("{{ a }}" + "word " * 2000))),  # ... and with its values empty
    "{% set a = 1 %}" + _table(_row(_cell("{{ a }}"))),  # a statement the proof refuses
    _table(_row(_cell("{{ a }}" * (budget.MOST_IN_CELL + 1)))),  # bounded work a template
    "{{ a }}" * (budget.MOST_SITES + 1) + _table(_row(_cell("{{ a }}"))),
])  # fmt: skip
def test_no_budgets_where_a_row_is_not_bounded_by_its_values(source: str) -> None:
    assert _budgets(source) is None


def test_rows_in_loops_and_branches_are_measured_in_them() -> None:
    loop = "{% for o in objectives %}" + _row(_cell("{{ o }}")) + "{% endfor %}"
    branch = "{% if x %}" + _row(_cell("{{ x }}")) + "{% else %}{{ y }}{% endif %}"
    source = _table(loop + branch)
    found = _budgets(source)
    assert found is not None and found[0] == found[1] and found[2] is None


def test_a_measured_value_prints_as_escaped_and_records_a_long_one() -> None:
    env = sandbox.make_env()
    env.escaped = proof.checking(env.escaped, sandbox._escape_inner)
    env.measured = proof.measuring(env.escaped, sandbox._escape_inner)
    tree = env.parse("<a>{{ v }}</a>")
    assert budget.annotate(tree, [3]) == 1
    assert "environment.measured(" in env.compile(tree, raw=True)
    template = env.from_string(tree)
    for value, long in (("a&b", True), ("ab", False), ("<", True), (12, False), (1234, True),
                        ("abc", False), (None, False)):  # fmt: skip
        proof.reset()
        assert template.render(v=value) == env.from_string("<a>{{ v }}</a>").render(v=value)
        assert proof.long() is long
    proof.reset()
    template.render(v="\x01")
    assert proof.suspect()  # checked as the unmeasured value is
    with pytest.raises(jinja2.UndefinedError):
        template.render()
    with pytest.raises(ValueError, match="another template"):
        budget.annotate(env.parse("{{ a }}{{ b }}"), [1])
