"""What the DOCX fast path skips per plan gives what it gave before: a context handed out
shared (not copied), the compiled template found again without reading or hashing, printed
text escaped in place, the core properties written from their pieces."""

from __future__ import annotations

import os
import shutil

import pytest

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers import cut
from pipeline.writers.context import build_context
from pipeline.writers.docx import fast
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
