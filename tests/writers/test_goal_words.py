"""Only the client's own words are printed as the client's words: a goal the bank added ("I
want to stop being so hard on myself.") was labelled "Goal in the client's words" on the ISP
and quoted on the clinical plan, as if the client had said it (2042, session 3's demo; 2042
now has one goal, its own, so 2041's bank goal is the case here)."""

from __future__ import annotations

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.profiles import load_agency, load_payer
from pipeline.readers import read
from pipeline.writers.docx.render import render_docx
from tests.support import ROOT
from tests.writers.test_render import body_text, doc_of


def _merged(client: str):
    for result in read(ROOT / "inputs" / "mindledger_long.csv"):
        if result.plan is not None and result.plan.client.id == client:
            return merge(result.plan, load_bank())[0]
    raise AssertionError(client)


def test_bank_goals_are_not_the_clients_words() -> None:
    plan = _merged("2041")
    agency = load_agency("northstar")
    for renderer in ("fast", "docxtpl"):
        isp = body_text(doc_of(render_docx(plan, load_payer("medicaid-isp"), agency,
                                           renderer=renderer)))  # fmt: skip
        assert "Goal in the client's words: “I want to turn my brain off at night.”" in isp
        assert "Goal: I want to stop worrying all the time and be able to relax." in isp
        assert "“I want to stop worrying all the time and be able to relax.”" not in isp
        clinical = body_text(doc_of(render_docx(plan, load_payer("clinical"), agency,
                                                renderer=renderer)))  # fmt: skip
        # the primary diagnosis's (F41.1) bank goal first, the intake's insomnia goal second
        assert "Goal 2: “I want to turn my brain off at night.”" in clinical
        assert "Goal 1: I want to stop worrying all the time and be able to relax." in clinical
