"""What the DOCX fast path skips per plan gives what it gave before: a context handed out
shared (not copied), the compiled template found again without reading or hashing, printed
text escaped in place, the core properties written from their pieces."""

from __future__ import annotations

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers import cut
from pipeline.writers.context import build_context
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
