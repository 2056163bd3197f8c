"""txplan templates check: every shipped template is clean; problems are named and located."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from docx import Document

from pipeline.cli import main
from pipeline.writers.lint import lint_form, sample_context, shape_of
from tests.support import ROOT


def check(*paths: str):
    return CliRunner().invoke(main, ["templates", "check", *paths])


def template(tmp_path: Path, *paragraphs: str, header: str = "") -> str:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    path = tmp_path / "t.docx"
    doc.save(path)
    return str(path)


def test_every_shipped_template_is_clean() -> None:
    result = check()
    assert result.exit_code == 0, result.output
    assert "0 problems" in result.output


def test_unknown_variables_and_attribute_chains_are_named_by_part_and_paragraph(tmp_path) -> None:
    path = template(
        tmp_path,
        "Title",
        "{{ clinet.id }} {{ client.nmae }}",
        "{%p for g in goals %}",
        "{{ g.objectives[0].txt }} {{ g.client_words }} {{ loop.index }}",
        "{%p endfor %}",
        header="{{ agency.nam }}",
    )
    result = check(path)
    assert result.exit_code == 1
    out = result.output
    assert f"{path}, part word/document.xml, paragraph 2" in out
    assert "unknown variable 'clinet'" in out and "'client.nmae'" in out
    assert "paragraph 4" in out and "'g.objectives[0].txt'" in out
    assert "part word/header1.xml, paragraph 1" in out and "'agency.nam'" in out
    assert "4 problems" in out


def test_syntax_and_sandbox_errors_are_reported(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    syntax = template(tmp_path / "a", "ok", "{% if client.id %}never closed")
    unsafe = template(tmp_path / "b", "{{ ''.__class__.__mro__ }}")
    result = check(syntax, unsafe)
    assert result.exit_code == 1
    assert "TPL001" in result.output and "paragraph 2" in result.output
    assert "TPL004" in result.output and "''.__class__" in result.output


def test_form_field_map_expressions_are_checked(tmp_path) -> None:
    fields = tmp_path / "fields.yaml"
    fields.write_text(
        "sections:\n  - title: T\n    rows:\n"
        "      - - {name: member_name, label: Name, value: client.nmae}\n"
        "        - {name: not_on_form, label: X, value: client.id}\n",
        encoding="utf-8",
    )
    form = ROOT / "templates" / "payers" / "bluepeak-pdf" / "form.pdf"
    found = lint_form(fields, form, shape_of(sample_context()))
    messages = [f"{f.where}: {f.message}" for f in found]
    assert any("'member_name'" in m and "client.nmae" in m for m in messages)
    assert any("'not_on_form'" in m and "no such field" in m for m in messages)
