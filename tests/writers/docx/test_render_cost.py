"""What the DOCX fast path skips per plan gives what it gave before: a context handed out
shared (not copied), the compiled template found again without reading or hashing, printed
text escaped in place, the core properties written from their pieces."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from jinja2 import nodes
from markupsafe import Markup

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers import cut, sandbox
from pipeline.writers.context import build_context
from pipeline.writers.docx import compile_part, fast, proof
from pipeline.writers.docx.core import CoreProperties
from pipeline.writers.docx.parts import Part
from pipeline.writers.fixed_zip import joined_member, write_zip
from tests.support import DATA
from tests.writers.docx.clinical import full_clinical

# --- the context, shared ------------------------------------------------------------------------


def test_a_shared_context_is_the_copied_one_and_hands_out_the_kept_goals() -> None:
    compiled, context, _ = full_clinical()
    payer, agency = load_payer("clinical"), load_agency("riverside")
    plan = Plan.model_validate_json((DATA / "render" / "full.json").read_text("utf-8"))

    def made(shared: bool) -> dict:
        return build_context(plan, payer, agency, names=compiled.names, fields=compiled.fields,
                             shared=shared)  # fmt: skip

    copied, first, second = made(False), made(True), made(True)
    assert copied == first == second == context
    assert second["goals"][0] is first["goals"][0]  # the kept tree itself, twice
    assert made(False)["goals"][0] is not first["goals"][0]  # a copy for the others
    assert copied["services"] and second["services"][0] is first["services"][0]


def test_a_tree_made_for_a_shared_context_is_kept_and_copied_for_the_others() -> None:
    out = cut.cut_tree(("test-shared",), lambda: {"n": 1, "items": [{"x": "a"}]}, shared=True)
    assert cut.cut_tree(("test-shared",), lambda: {}, shared=True) is out
    copy = cut.cut_tree(("test-shared",), lambda: {})
    assert copy == out and copy is not out and copy["items"][0] is not out["items"][0]


# --- the compiled template, found again ---------------------------------------------------------


def test_the_compiled_template_is_found_again_until_its_file_or_logo_changes(tmp_path) -> None:
    payer, agency = load_payer("clinical"), load_agency("northstar")
    template = tmp_path / "template.docx"
    shutil.copyfile(payer.template, template)
    logo = tmp_path / "logo.png"
    shutil.copyfile(agency.logo, logo)
    agency = agency.model_copy(update={"logo": logo})
    first = fast.compiled_for(template, agency, draft=False)
    assert fast.compiled_for(template, agency, draft=False) is first
    assert fast.compiled_for(template, agency, draft=True) is not first
    stat = template.stat()
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # the same bytes
    again = fast.compiled_for(template, agency, draft=False)
    assert again is first  # (read again, and found by its digest)
    logo.write_bytes(logo.read_bytes() + b"\0")  # another logo: another letterhead
    assert fast.compiled_for(template, agency, draft=False) is not first
    other = agency.model_copy(update={"name": "Other Agency"})
    assert fast.compiled_for(template, other, draft=False) is not first
    template.unlink()
    with pytest.raises(Exception, match="template not readable"):
        fast.compiled_for(template, agency, draft=False)


# --- printed text escaped in place --------------------------------------------------------------

_VALUES = ["", "plain", "“quoted” & <tagged> ]]>", "a\x0bb", "\ufffe", 7, -3, 2.5, None,
           True, Markup("<b>"), "tab\tline\nbreak", "x" * 400, "<" * 100]  # fmt: skip


def _rendered(env, source: str, value: object) -> tuple[str, bool, bool]:
    proof.reset()
    out = env.from_string(source).render(v=value)
    return out, proof.suspect(), proof.long()


@pytest.mark.parametrize("value", _VALUES)
def test_text_escaped_in_place_is_what_the_calls_give(value: object) -> None:
    inline = compile_part.shared_env()
    assert getattr(inline, sandbox.QUICK_TEXT) is not None
    called = sandbox.make_env()
    called.escaped = inline.escaped  # type: ignore[attr-defined]
    called.measured = inline.measured  # type: ignore[attr-defined]
    source = "<r>{{ v }}</r>"
    code = inline.compile(source, raw=True)
    assert "isprintable()" in code and "isprintable()" not in called.compile(source, raw=True)
    assert _rendered(inline, source, value) == _rendered(called, source, value)


def _budgeted(env, budget: int):
    tree = env.parse("<r>{{ v }}</r>")
    for node in tree.find_all(nodes.Output):
        setattr(node.nodes[1], sandbox.BUDGET, budget)
    return env.from_string(tree)


@pytest.mark.parametrize("value", _VALUES)
def test_a_measured_value_escaped_in_place_is_measured_as_before(value: object) -> None:
    inline = compile_part.shared_env()
    called = sandbox.make_env()
    called.escaped = inline.escaped  # type: ignore[attr-defined]
    called.measured = inline.measured  # type: ignore[attr-defined]
    for budget in (0, 5, 300):
        got = []
        for env in (inline, called):
            template = _budgeted(env, budget)
            proof.reset()
            got.append((template.render(v=value), proof.suspect(), proof.long()))
        assert got[0] == got[1]
    compiled, _, _ = full_clinical()
    body = next(item for item in compiled.items if isinstance(item, Part) and item.body)
    assert body.measured and "isprintable" in body.template.root_render_func.__code__.co_names


def test_the_body_prints_the_same_document_escaped_in_place(monkeypatch) -> None:
    compiled, context, properties = full_clinical()
    inline = compiled.render(context, properties)
    fast.clear_cache()
    monkeypatch.setattr(compile_part, "_ENVS", {})
    original = compile_part.shared_env

    def without() -> object:
        env = original()
        env.__dict__.pop(sandbox.QUICK_TEXT, None)
        return env

    monkeypatch.setattr(compile_part, "shared_env", without)
    monkeypatch.setattr(fast, "shared_env", without)
    try:
        called = fast.compiled_for(Path(load_payer("clinical").template),
                                   load_agency("riverside"), draft=False)  # fmt: skip
        assert called is not compiled
        assert called.render(context, properties) == inline
    finally:
        fast.clear_cache()


# --- the core properties from their pieces ------------------------------------------------------


@pytest.mark.parametrize("title", ["Plan: SYN-1", "{0} {{x}} }{", "A & <B> “q” 𝄞", "x" * 255])
def test_the_core_properties_written_from_pieces_are_the_part_filled(title: str) -> None:
    compiled, _, properties = full_clinical()
    filled = {**properties, "title": title}
    entry, data, sound = compiled.core_member(filled)
    assert (data, sound) == compiled.core_xml(filled)
    with zipfile.ZipFile(io.BytesIO(write_zip([entry]))) as package:
        assert package.testzip() is None and package.read("docProps/core.xml") == data
    core: CoreProperties = compiled.core
    pieces, _ = core.stitched(filled)
    assert joined_member("docProps/core.xml", pieces) == (entry, data)


# --- the writer of a kind, kept once imported ---------------------------------------------------


def test_the_writer_of_a_kind_is_imported_once_and_kept(monkeypatch) -> None:
    import importlib

    from pipeline import writers

    payer = load_payer("clinical")
    module = writers.writer_for(payer)
    calls = []
    monkeypatch.setattr(importlib, "import_module", lambda name: calls.append(name))
    assert writers.writer_for(payer) is module and not calls


# --- a package vouched for whole ----------------------------------------------------------------


def _reads(monkeypatch) -> list:
    from pipeline.writers import verify

    read, original = [], verify._directory
    monkeypatch.setattr(verify, "_directory", lambda data: read.append(1) or original(data))
    return read


def test_a_package_vouched_for_whole_is_read_first_then_one_in_sample(monkeypatch) -> None:
    from pipeline.writers.verify import SAMPLE, forget_sound, verify_docx

    compiled, context, properties = full_clinical()
    forget_sound()
    read = _reads(monkeypatch)
    for _ in range(2 * SAMPLE + 2):  # the 1st (and first of its template), 65th, 129th
        verify_docx(compiled.render(context, properties))
    assert len(read) == 3
    other = fast.compiled_for(Path(load_payer("clinical").template), load_agency("riverside"),
                              draft=True)  # fmt: skip
    verify_docx(other.render(context, properties))  # another template: read in full once
    verify_docx(other.render(context, properties))
    assert len(read) == 4


def test_a_vouched_package_changed_or_given_again_is_read(monkeypatch) -> None:
    from pipeline.writers.verify import BrokenDocument, forget_sound, verify_docx

    compiled, context, properties = full_clinical()
    forget_sound()
    verify_docx(compiled.render(context, properties))
    data = compiled.render(context, properties)
    damaged = bytearray(data)
    start = data.index(b"word/document.xml") + len(b"word/document.xml") + 40
    damaged[start] ^= 0xFF  # inside the body's deflated bytes
    read = _reads(monkeypatch)
    with pytest.raises(BrokenDocument):
        verify_docx(bytes(damaged))
    verify_docx(data)  # vouched for, and no other package since: not read
    verify_docx(data)  # the same bytes again: read (a package is trusted once)
    assert len(read) == 2


def test_the_client_facing_agency_is_made_once_for_the_same_agency() -> None:
    from pipeline import writers
    from pipeline.writers.client_copy import ClientFacing

    agency, other = load_agency("riverside"), load_agency("northstar")
    view = writers._for_client(agency)
    assert isinstance(view, ClientFacing) and view.agency is agency
    assert writers._for_client(agency) is view
    assert writers._for_client(other).agency is other
    assert writers._for_client(agency) == view and writers._for_client(view) is view
