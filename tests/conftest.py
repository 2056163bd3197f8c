"""Test-wide settings: no test ever writes to the user's plan version store."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_plan_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point $TXPLAN_STORE at a fresh database for every test (``--store`` still wins)."""
    monkeypatch.setenv("TXPLAN_STORE", str(tmp_path_factory.mktemp("store") / "plans.sqlite3"))


@pytest.fixture(autouse=True)
def _text_lint(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Every document a test renders from the shipped templates (DOCX, the PDF converted from
    it, the filled PDF form) passes the text lint (pipeline/writers/textlint.py): checked
    when the test ends, so a library that catches errors cannot hide a finding."""
    from pathlib import Path

    if request.node.get_closest_marker("no_text_lint"):
        yield
        return
    from pipeline.profiles import TEMPLATES
    from pipeline.writers import libreoffice, pdf_form
    from pipeline.writers.docx import render
    from pipeline.writers.textlint import lint_document

    problems: list[str] = []

    def check(name: str, data: bytes) -> None:
        problems.extend(f"{name}: {p}" for p in lint_document(data))

    def shipped(template: object) -> bool:
        return Path(str(template)).resolve().is_relative_to(TEMPLATES.resolve())

    def wrap_render(original):  # noqa: ANN001, ANN202
        def render_document(template, *args, **kwargs):  # noqa: ANN001, ANN202
            data = original(template, *args, **kwargs)
            if shipped(template):
                check(Path(str(template)).parent.name, data)
            return data

        return render_document

    monkeypatch.setattr(render, "render_document", wrap_render(render.render_document))
    convert = libreoffice.PdfConverter.convert

    def converted(self, docs, *args, **kwargs):  # noqa: ANN001, ANN202
        pdfs = convert(self, docs, *args, **kwargs)
        for name, data in (pdfs or {}).items():
            if isinstance(data, bytes) and data[:5] == b"%PDF-":
                check(f"{name} (PDF)", data)
        return pdfs

    monkeypatch.setattr(libreoffice.PdfConverter, "convert", converted)
    fill = pdf_form.fill_form

    def filled(plan, payer, *args, **kwargs):  # noqa: ANN001, ANN202
        data = fill(plan, payer, *args, **kwargs)
        if shipped(payer.template):
            check(f"{payer.id} form", data)
        return data

    monkeypatch.setattr(pdf_form, "fill_form", filled)
    yield
    assert not problems, "text lint:\n" + "\n".join(problems[:20])
