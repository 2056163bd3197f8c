"""One style a Frequency column: CT-1007's plans printed the intake's "Weekly" above the goal
bank's "weekly" and "once, then as needed" in one column (and the services' "Weekly" beside
interventions' "weekly"). Every frequency cell now reads as the bank writes it, lower case
first ("weekly", "every other week"), an acronym or a number first kept."""

from __future__ import annotations

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.profiles import load_agency, load_payer
from pipeline.readers import read
from pipeline.writers.docx.render import render_docx
from pipeline.writers.sections import mid_sentence
from tests.support import ROOT
from tests.writers.test_render import doc_of


def _merged(client: str):
    for result in read(ROOT / "inputs" / "counseltrack_wide.xlsx"):
        if result.plan is not None and result.plan.client.id == client:
            return merge(result.plan, load_bank())[0]
    raise AssertionError(client)


def _frequency_cells(document) -> list[str]:
    cells = []
    for table in document.tables:
        header = [c.text.strip() for c in table.rows[0].cells]
        if "Frequency" in header:
            column = header.index("Frequency")
            cells += [row.cells[column].text.strip() for row in table.rows[1:]]
    return cells


@pytest.mark.parametrize(
    ("client", "payer"),
    [("CT-1007", "clinical"), ("CT-1007", "managed-care-otr"), ("CT-1006", "medicaid-isp"),
     ("CT-1004", "medicare-poc")],
)  # fmt: skip
def test_a_frequency_column_has_one_style(client: str, payer: str) -> None:
    plan = _merged(client)
    raw = {i.frequency for g in plan.goals for i in g.interventions if i.frequency}
    raw |= {s.frequency for s in plan.services if s.frequency}
    assert any(f[:1].isupper() for f in raw) and any(f[:1].islower() for f in raw), raw
    for renderer in ("fast", "docxtpl"):
        doc = doc_of(render_docx(plan, load_payer(payer), load_agency("riverside"),
                                 renderer=renderer))  # fmt: skip
        cells = [c for c in _frequency_cells(doc) if c and c != "Not recorded"]
        assert cells, (payer, renderer)
        sentence_case = [c for c in cells if c[:1].isupper() and c[1:2].islower()]
        assert not sentence_case, (payer, renderer, cells)


def test_acronyms_and_numbers_stay() -> None:
    assert mid_sentence("Weekly") == "weekly"
    assert mid_sentence("Every other week") == "every other week"
    assert mid_sentence("PRN") == "PRN"
    assert mid_sentence("2x per month") == "2x per month"
    assert mid_sentence("weekly, 12 sessions") == "weekly, 12 sessions"
