"""Payer documents that print an objective as a sentence show where it starts from: the
baseline its text does not state is added after it ("... per week (baseline: 0 per week;
target date May 3, 2026)"). Seen on 30018's Medicare plan of care ("Attend 3 sober social
activities per week", baseline 0 per week on file) and 30022's ISP ("No suspensions and 4 or
fewer office referrals per month", baseline 2 suspensions since November)."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.docx.render import render_docx
from tests.support import TEST_DATA

PLAN = Plan.model_validate(json.loads((TEST_DATA / "render" / "full.json").read_text("utf-8")))


def _text(payer: str) -> str:
    doc = Document(io.BytesIO(render_docx(PLAN, load_payer(payer), load_agency("riverside"))))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("payer", "expected"),
    [
        ("medicare-poc", "on 5 of 7 days (baseline: 0 days; target date May 15, 2025)"),
        ("managed-care-otr", "on 5 of 7 days (baseline: 0 days; target date May 15, 2025)"),
        ("medicaid-isp", "on 5 of 7 days (baseline: 0 days)"),
    ],
)
def test_an_objective_sentence_shows_the_baseline_its_text_does_not(payer, expected) -> None:
    text = _text(payer)
    assert expected in text, text
    # a text that states its baseline gets no note ("from 15 to 9 or below")
    assert "Reduce GAD-7 score from 15 to 9 or below (baseline" not in text


@pytest.mark.parametrize(
    ("text", "baseline", "noted"),
    [
        # the baseline's numbers appear in the text only by chance (2 days, April 20, 2025)
        (
            "Complete a worksheet on 2 or more days per week by April 20, 2025.",
            "the average of the first 2 weeks' log (January 20 to February 2, 2025)",
            True,
        ),
        ("Attend 3 sober social activities per week", "0 per week", True),
        ("Increase nights with 6+ hours of sleep from 1 to 5 a week", "1 night", False),
        ("Reduce GAD-7 score from 15 to 9 or below", "15", False),
        (
            "Complete a written safety plan (baseline: no written safety plan).",
            "no written safety plan",
            False,
        ),
    ],
)
def test_a_baseline_is_noted_unless_the_text_states_it(text, baseline, noted) -> None:
    from pipeline.writers.views import baseline_note

    assert bool(baseline_note(text, baseline)) is noted, baseline_note(text, baseline)
