"""CT-1003's clinical plan read "Challenges: Unstructured schedule; caffeine after 6 p.m": a
list item loses its final full stop when items are joined, and the stop of "p.m." went with
it. An abbreviation keeps its stop (found reading the demo's PDFs, session 10)."""

from __future__ import annotations

import io

import docx
import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.profiles import load_agency, load_payer
from pipeline.readers import read
from pipeline.writers.docx.render import render_docx
from pipeline.writers.wording import clause, joined
from tests.support import ROOT


def test_joined_keeps_an_abbreviations_stop() -> None:
    assert joined(["Unstructured schedule", "caffeine after 6 p.m."]) == (
        "Unstructured schedule; caffeine after 6 p.m."
    )
    assert joined(["Walks, music etc.", "wakes at 5 a.m."]) == "Walks, music etc.; wakes at 5 a.m."
    assert joined(["Lives near Main St."]) == "Lives near Main St."
    # a sentence's own stop still goes
    assert joined(["Curious.", "plan B.", "strong peer group"]) == (
        "Curious; plan B; strong peer group"
    )
    assert joined(["Wait..."]) == "Wait..."
    assert clause("Sleeps after 1 a.m.") == "Sleeps after 1 a.m."
    assert clause("Sleeps late.") == "Sleeps late"


@pytest.mark.parametrize("renderer", ["fast", "docxtpl"])
def test_ct1003_challenges_keep_p_m(renderer: str) -> None:
    plan = next(
        r.plan
        for r in read(ROOT / "inputs" / "counseltrack_wide.xlsx")
        if r.plan is not None and r.plan.client.id == "CT-1003"
    )
    merged = merge(plan, load_bank())[0]
    data = render_docx(merged, load_payer("clinical"), load_agency("riverside"), renderer=renderer)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Challenges: Unstructured schedule; caffeine after 6 p.m.\n" in text + "\n"
