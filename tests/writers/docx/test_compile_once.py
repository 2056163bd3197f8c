"""Each part's source is parsed once a process and shared by the templates compiled from it
(DRAFT or not), its forms compiled from that one tree, which stays as parsed; the documents
are those of a fresh compile."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from pipeline.profiles import list_payers, load_agency, load_payer
from pipeline.writers.docx import budget, compile_part, fast
from pipeline.writers.docx.parts import Part
from tests.writers.docx.clinical import full_clinical


def _payers() -> list[str]:
    return [p for p in list_payers() if str(load_payer(p).template).endswith(".docx")]


@pytest.mark.parametrize("payer_id", _payers())
def test_each_source_is_parsed_once_for_draft_and_not(monkeypatch, payer_id: str) -> None:
    payer, agency = load_payer(payer_id), load_agency("riverside")
    fast.clear_cache()
    parsed: list[str] = []
    real = jinja2.Environment.parse

    def counted(self, source, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        parsed.append(source)
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "parse", counted)
    plain = fast.compiled_for(Path(payer.template), agency, draft=False)
    draft = fast.compiled_for(Path(payer.template), agency, draft=True)
    assert len(parsed) == len(set(parsed)), "a source parsed twice"
    body = [i for i in plain.items if isinstance(i, Part) and i.body]
    assert body and body == [i for i in draft.items if isinstance(i, Part) and i.body]
    assert body[0] is next(i for i in draft.items if isinstance(i, Part) and i.body)
    assert "lined" not in vars(body[0])  # docxtpl's newline form: compiled on first need


@pytest.mark.parametrize("payer_id", _payers())
def test_the_shared_tree_stays_as_parsed_and_renders_as_a_fresh_compile(payer_id: str) -> None:
    payer, agency = load_payer(payer_id), load_agency("riverside")
    fast.clear_cache()
    compiled = fast.compiled_for(Path(payer.template), agency, draft=True)
    env = compile_part.shared_env()
    for key, done in list(compile_part._PARTS.items()):
        if done.tree is None:
            continue
        source = key[2]
        assert done.tree == env.parse(source)  # the marked form's text was put back
        measured = [n for n in budget.sites(done.tree) if hasattr(n, budget.KEY)]
        assert bool(measured) == done.item.measured  # type: ignore[union-attr]
    assert compiled.items


def test_a_fresh_compile_gives_the_same_bytes() -> None:
    compiled, context, properties = full_clinical()
    first = compiled.render(context, properties)
    fast.clear_cache()
    again, _, _ = full_clinical()
    assert again is not compiled and again.render(context, properties) == first
    lined = next(i for i in again.items if isinstance(i, Part) and i.body).lined
    assert lined.render(context).replace("\n<w:p", "<w:p") == next(
        i for i in again.items if isinstance(i, Part) and i.body
    ).template.render(context)


def test_compiled_parts_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(compile_part, "PARTS_SIZE", 2)
    compile_part.clear()
    for n in range(5):
        compile_part.compiled_part("word/x.xml", f"<w:p>{{{{ v{n} }}}}</w:p>", b"", b"", body=False)
    assert len(compile_part._PARTS) == 2
    done = compile_part.compiled_part("word/x.xml", "<w:p>{{ v4 }}</w:p>", b"", b"", body=False)
    assert done is compile_part.compiled_part("word/x.xml", "<w:p>{{ v4 }}</w:p>", b"", b"",
                                              body=False)  # fmt: skip
    compile_part.clear()
