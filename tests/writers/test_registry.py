"""The writer registry: one render(plan, payer, agency, options) for every output kind."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from pipeline.batch.build import BuildOptions, build
from pipeline.errors import ConfigError
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers import RENDERERS, WriterOptions, kinds, render
from pipeline.writers.client_copy import CLIENT_COPY
from pipeline.writers.docx import fast
from tests.support import DATA

PLAN = Plan.model_validate(json.loads((DATA / "render" / "full.json").read_text("utf-8")))


def test_every_payer_kind_has_a_writer_and_each_gives_its_own_suffix() -> None:
    agency = load_agency("riverside")
    assert set(kinds()) == {"docx", "pdf_form"}
    (docx,) = render(PLAN, load_payer("clinical"), agency)
    (form,) = render(PLAN, load_payer("bluepeak-pdf"), agency, WriterOptions(flatten=True))
    (copy,) = render(PLAN, CLIENT_COPY, agency)
    assert (docx.suffix, form.suffix, copy.suffix) == (".docx", ".pdf", ".docx")
    assert docx.data[:2] == copy.data[:2] == b"PK" and form.data[:5] == b"%PDF-"


def test_unknown_kind_and_renderer_are_config_errors_naming_their_place() -> None:
    agency = load_agency("riverside")
    odd = SimpleNamespace(id="odd-payer", kind="fax")
    with pytest.raises(ConfigError, match="no writer for output kind 'fax'") as caught:
        render(PLAN, odd, agency)
    assert caught.value.where == "odd-payer"
    with pytest.raises(ConfigError, match="unknown renderer") as caught:
        render(PLAN, load_payer("clinical"), agency, WriterOptions(renderer="quick"))
    assert caught.value.where == "--renderer"
    assert RENDERERS == ("auto", "fast", "docxtpl")


def _no_fast_path(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
    raise AssertionError("the fast path was used although --renderer docxtpl was given")


def test_docxtpl_renderer_reaches_the_client_copy(monkeypatch) -> None:
    agency = load_agency("riverside")
    monkeypatch.setattr(fast, "compiled_for", _no_fast_path)
    docxtpl = WriterOptions(renderer="docxtpl")
    (copy,) = render(PLAN, CLIENT_COPY, agency, docxtpl)
    (payer,) = render(PLAN, load_payer("clinical"), agency, docxtpl)
    assert copy.data[:2] == payer.data[:2] == b"PK"


def test_build_with_renderer_docxtpl_renders_the_client_copy_with_docxtpl(tmp_path, monkeypatch):
    """Before the registry the batch job rendered the client copy with the default renderer."""
    monkeypatch.setattr(fast, "compiled_for", _no_fast_path)
    options = BuildOptions(out_dir=tmp_path, merge=False, renderer="docxtpl", client_copy=True,
                           workers=1)  # fmt: skip
    result = build([PLAN], [load_payer("clinical")], load_agency("riverside"), options)
    rows = [(r.payer, r.status, [f.message for f in r.findings]) for r in result.rows]
    assert rows == [("clinical", "ok", []), ("client-copy", "ok", [])]
