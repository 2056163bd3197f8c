"""The compile-once fast path gives the same XML in every part as stock docxtpl."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm
from docxtpl import DocxTemplate
from lxml import etree

from pipeline.errors import ConfigError, TemplateError
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Plan
from pipeline.profiles import TEMPLATES, list_agencies, list_payers, load_agency, load_payer
from pipeline.readers import read
from pipeline.writers import sandbox
from pipeline.writers.client_copy import CLIENT_COPY as AUDIENCE
from pipeline.writers.client_copy import TEMPLATE as CLIENT_COPY
from pipeline.writers.context import build_context
from pipeline.writers.docx import fast as fastdocx
from pipeline.writers.docx.render import plan_context, render_document, render_docx
from pipeline.writers.docx.tables import fixed_structure, tables_need_fix
from pipeline.writers.marking import plan_properties
from tests.support import DATA, ROOT

RENDER = DATA / "render"


def _plans() -> dict[str, Plan]:
    plans = {
        name: Plan.model_validate(json.loads((RENDER / f"{name}.json").read_text("utf-8")))
        for name in ("full", "minimal")
    }
    sample = TEMPLATES / "sample-plan.json"
    plans["sample-plan"] = Plan.model_validate(json.loads(sample.read_text("utf-8")))
    odd = json.loads((RENDER / "full.json").read_text("utf-8"))
    odd["presenting_problem"]["client_words"] = "Line one\nline two\tafter a tab <&> {{ x }}"
    odd["goals"][0]["client_words"] = "Page one\fpage two\aparagraph two\n"
    odd["formulation"]["presenting"] = "{_{ escaped }_} and {%p not a tag %}"
    plans["newlines-tabs-braces"] = Plan.model_validate(odd)
    first = next(r.plan for r in read(ROOT / "inputs" / "mindledger_long.csv") if r.plan)
    plans["merged-mindledger"] = merge(first, load_bank())[0]
    return plans


PLANS = _plans()


def parts(data: bytes) -> dict[str, bytes]:
    """Every part of a package; XML parts canonicalized (C14N), others as bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        out = {}
        for name in package.namelist():
            raw = package.read(name)
            if name.endswith((".xml", ".rels")):
                raw = etree.tostring(etree.fromstring(raw), method="c14n")
            out[name] = raw
        return out


def assert_same(stock: bytes, fast: bytes) -> None:
    a, b = parts(stock), parts(fast)
    assert list(a) == list(b)
    different = [name for name in a if a[name] != b[name]]
    assert not different, f"parts differ: {different}"


def both(template: Path, plan: Plan, payer, agency, *, draft: bool) -> tuple[bytes, bytes]:
    context = build_context(plan, payer, agency, draft=draft)
    props = plan_properties(plan, payer, agency, payer.name)
    return tuple(  # type: ignore[return-value]
        render_document(template, context, agency, draft=draft, properties=props, renderer=r)
        for r in ("docxtpl", "fast")
    )


def _templates() -> list[tuple[str, Path, object]]:
    out = []
    for payer_id in list_payers():
        payer = load_payer(payer_id)
        if payer.kind != "pdf_form":
            out.append((payer_id, Path(payer.template), payer))
    out.append(("client-copy", CLIENT_COPY, AUDIENCE))
    return out


TEMPLATE_CASES = _templates()


def test_every_template_in_the_repository_is_covered() -> None:
    found = sorted(p.relative_to(TEMPLATES) for p in TEMPLATES.rglob("*.docx"))
    assert found == sorted(t.relative_to(TEMPLATES) for _, t, _ in TEMPLATE_CASES)
    assert len(TEMPLATE_CASES) >= 5


@pytest.mark.parametrize("agency_id", list_agencies())
@pytest.mark.parametrize("case", TEMPLATE_CASES, ids=lambda c: c[0])
def test_fast_path_matches_stock_docxtpl_part_by_part(case, agency_id: str) -> None:
    _, template, payer = case
    agency = load_agency(agency_id)
    for plan in PLANS.values():
        for draft in (False, True):
            stock, fast = both(template, plan, payer, agency, draft=draft)
            assert_same(stock, fast)


def test_output_is_deterministic_and_cached_per_letterhead() -> None:
    payer = load_payer("clinical")
    plan = PLANS["full"]
    riverside, northstar = load_agency("riverside"), load_agency("northstar")
    first = render_docx(plan, payer, riverside, renderer="fast")
    fastdocx.clear_cache()
    assert render_docx(plan, payer, riverside, renderer="fast") == first
    other = render_docx(plan, payer, northstar, renderer="fast")
    assert b"Northstar" in parts(other)["word/header1.xml"]
    assert b"Northstar" not in parts(first)["word/header1.xml"]
    assert render_docx(plan, payer, riverside, draft=True, renderer="fast") != first


@pytest.mark.no_text_lint  # renders template syntax given as plan data
def test_parts_the_same_as_the_last_plan_are_reused_only_when_identical() -> None:
    payer, agency = load_payer("clinical"), load_agency("riverside")

    def alone(plan: Plan) -> bytes:
        fastdocx.clear_cache()
        return render_docx(plan, payer, agency, renderer="fast")

    expected = {name: alone(plan) for name, plan in PLANS.items()}
    fastdocx.clear_cache()
    for name, plan in [*PLANS.items(), *reversed(PLANS.items())]:
        assert render_docx(plan, payer, agency, renderer="fast") == expected[name], name


def test_template_names_are_the_variables_its_parts_use() -> None:
    agency = load_agency("riverside")
    names = {
        case[0]: fastdocx.compiled_for(case[1], agency, draft=False).names
        for case in TEMPLATE_CASES
    }
    assert {"client", "goals", "generated_from"} <= names["clinical"]
    assert "review" in names["medicaid-isp"] and "plain" in names["client-copy"]
    assert "grid" not in names["medicaid-isp"]  # each goal's tables, not one repeated grid
    assert not {"grid", "plain"} & names["clinical"]


@pytest.mark.parametrize("case", TEMPLATE_CASES, ids=lambda c: c[0])
def test_a_context_made_for_the_template_renders_as_the_whole_context(case) -> None:
    _, template, payer = case
    agency = load_agency("riverside")
    for plan in PLANS.values():
        props = plan_properties(plan, payer, agency, payer.name)
        whole = build_context(plan, payer, agency, draft=True)
        made = plan_context(plan, payer, agency, draft=True)
        expected = render_document(template, whole, agency, draft=True, properties=props)
        assert render_document(template, made, agency, draft=True, properties=props) == expected


def _template(tmp_path: Path, edit) -> Path:
    """A copy of the clinical template changed by ``edit(document)``."""
    document = Document(str(load_payer("clinical").template))
    edit(document)
    path = tmp_path / "template.docx"
    document.save(str(path))
    return path


def _payer(template: Path):
    return load_payer("clinical").model_copy(update={"template": template})


def test_templated_core_property_falls_back_to_stock(tmp_path: Path) -> None:
    def edit(document) -> None:
        document.core_properties.identifier = "{{ client.id }}"

    payer = _payer(_template(tmp_path, edit))
    agency = load_agency("riverside")
    auto = render_docx(PLANS["full"], payer, agency)
    assert_same(render_docx(PLANS["full"], payer, agency, renderer="docxtpl"), auto)
    assert PLANS["full"].client.id.encode() in parts(auto)["docProps/core.xml"]
    with pytest.raises(ConfigError, match="fast renderer cannot"):
        render_docx(PLANS["full"], payer, agency, renderer="fast")


def test_tables_fixed_and_drawing_ids_renumbered_as_docxtpl_does(tmp_path: Path) -> None:
    """A column loop (fix_tables adds grid columns), an empty row loop (it removes them),
    a picture in the body (docPr ids) and a template without a header (python-docx adds
    one for the letterhead, so the body's section properties change too)."""
    logo = load_agency("northstar").logo

    def edit(document) -> None:
        columns = document.add_table(rows=1, cols=3)
        columns.cell(0, 0).text = "{%tc for g in range(5) %}"
        columns.cell(0, 1).text = "{{ g }}"
        columns.cell(0, 2).text = "{%tc endfor %}"
        empty = document.add_table(rows=3, cols=2)
        empty.cell(0, 0).text = "{%tr for x in [] %}"
        empty.cell(1, 0).text = "{{ x }}"
        empty.cell(2, 0).text = "{%tr endfor %}"
        document.add_paragraph().add_run().add_picture(str(logo), height=Cm(1))
        document.add_paragraph().add_run().add_picture(str(logo), height=Cm(1))
        for section in document.sections:
            section.header.is_linked_to_previous = True

    template = _template(tmp_path, edit)
    agency = load_agency("riverside")
    stock, fast = both(template, PLANS["full"], _payer(template), agency, draft=True)
    assert_same(stock, fast)
    body = parts(fast)["word/document.xml"].decode()
    assert 'id="1001"' in body and 'id="1002"' in body


TABLE = (
    '<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:tbl><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl></w:body>"
)


TC = "<w:tc><w:p/></w:tc>"
SPAN2 = '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc>'


@pytest.mark.parametrize(
    "grid, rows",
    [
        (2, [TC * 2, TC]),  # consistent: no change
        (2, [TC * 3]),  # a row wider than the grid: columns added
        (3, [TC * 2]),  # no row as wide as the grid: columns removed
        (2, []),  # every row looped away: docxtpl removes the whole grid
        (3, [SPAN2 + TC]),  # spans count
        (3, [SPAN2]),
    ],
)
def test_tables_need_fix_agrees_with_docxtpl(grid: int, rows: list[str]) -> None:
    cells = "".join(f'<w:gridCol w:w="{1000 + i}"/>' for i in range(grid))
    xml = TABLE.format(grid=cells, rows="".join(f"<w:tr>{r}</w:tr>" for r in rows))
    before = etree.tostring(etree.fromstring(xml), method="c14n")
    after = etree.tostring(DocxTemplate.fix_tables(None, xml), method="c14n")  # type: ignore[arg-type]
    assert tables_need_fix(xml) == (before != after)
    assert tables_need_fix(xml.replace("<w:tc>", "<w:tc/><w:tc>", 1))  # unusual: unsure, so True


def test_a_template_error_is_located_as_on_the_stock_path(tmp_path: Path) -> None:
    def edit(document) -> None:
        document.add_paragraph("Goal {{ goals[0].numbr }}")

    payer = _payer(_template(tmp_path, edit))
    agency = load_agency("riverside")
    messages = []
    for renderer in ("docxtpl", "auto"):
        with pytest.raises(TemplateError) as caught:
            render_docx(PLANS["full"], payer, agency, renderer=renderer)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "word/document.xml" in messages[0]


def test_unknown_renderer_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="--renderer"):
        render_docx(PLANS["full"], load_payer("clinical"), load_agency("riverside"), renderer="x")


def test_every_repository_template_is_proven_free_of_table_fixes() -> None:
    agency = load_agency("riverside")
    for name, template, _ in TEMPLATE_CASES:
        compiled = fastdocx.compiled_for(template, agency, draft=False)
        body = [i for i in compiled.items if isinstance(i, fastdocx.Part) and i.body]
        assert body and not body[0].tables, name


ROW = "<w:tr><w:tc><w:p><w:r><w:t>{cell}</w:t></w:r></w:p></w:tc>{more}</w:tr>"
GRID = '<w:tblGrid><w:gridCol w:w="100"/><w:gridCol w:w="100"/></w:tblGrid>'


def _row(cell: str = "x", cells: int = 2) -> str:
    more = "<w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc>" * (cells - 1)
    return ROW.format(cell=cell, more=more)


@pytest.mark.parametrize(
    "rows, fixed",
    [
        (_row() + "{% for g in goals %}" + _row("{{ g.id }}") + "{% endfor %}", True),
        ("{% for g in goals %}" + _row("{{ g.id }}") + "{% endfor %}", False),  # no fixed row
        (_row() + "{% for g in goals %}" + _row(cells=3) + "{% endfor %}", False),  # too wide
        (_row(cells=1), False),  # the grid is wider than any row
        (_row("{% if draft %}a{% endif %}"), False),  # a block inside a row
        (_row() + "{% for g in goals %}" + _row(), False),  # closed after the table
    ],
)
def test_fixed_structure_proves_only_row_level_loops(rows: str, fixed: bool) -> None:
    close = "" if rows.count("{% for") == rows.count("{% endfor") else "{% endfor %}"
    source = f"<w:body><w:tbl>{GRID}{rows}</w:tbl>{close}</w:body>"
    assert fixed_structure(source, sandbox.make_env()) is fixed


def test_fast_path_parses_no_template_per_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """What makes the fast path fast, counted instead of timed (tests never time; the speed
    ratio is measured by ``make bench``): the stock path builds a DocxTemplate, parsing the
    whole package, for every plan; the fast path builds none once compiled."""
    from pipeline.writers.docx import stock

    built = []
    real = stock.DocxTemplate

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(stock, "DocxTemplate", counting)
    payer, agency, plan = load_payer("medicare-poc"), load_agency("riverside"), PLANS["full"]
    render_docx(plan, payer, agency, renderer="fast")  # compiled once
    built.clear()
    for _ in range(5):
        render_docx(plan, payer, agency, renderer="fast")
    assert built == []
    for _ in range(3):
        render_docx(plan, payer, agency, renderer="docxtpl")
    assert len(built) == 3
