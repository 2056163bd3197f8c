"""Safety invariants as properties (hypothesis), over generated plans (issue 13, item 9).

- Every at-risk plan (PHQ-9 item 9 > 0, a positive C-SSRS, clinician-rated moderate/high
  risk, means access) that is ok for any payer has a complete safety plan and a safety goal,
  whether it is decided after the goal-bank merge (build, check) or as given (check
  --no-merge).
- No ok document, rendered through pipeline.writers.render for every payer and the client
  copy, shows placeholder or skeleton text; an at-risk client's copy is never rendered while
  the safety plan is unfinished (TXR030), whatever path asks for it.

The predicates (at risk, complete, safety goal, markers) are written here from the issue's
words, not imported from pipeline.clinical.risk, so that a broken rule there is caught. Each
property was checked to fail with a deliberately broken rule (README, "Safety").
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings

from pipeline.batch.decision import decide_all, decide_client_copy
from pipeline.errors import TxplanError
from pipeline.goalbank.bank import load_bank
from pipeline.profiles import list_payers, load_agency
from pipeline.readers import ReadOptions, read
from pipeline.rules import load_payer
from pipeline.writers import WriterOptions, render
from pipeline.writers.client_copy import CLIENT_COPY
from tests.properties.strategies_safety import (
    BASE,
    INTAKE,
    MARKERS,
    SAFETY_CELLS,
    at_risk,
    has_safety_goal,
    intake_rows,
    plans,
    safety_plan_complete,
)

BANK = load_bank()
AGENCY = load_agency("riverside")
PAYERS = [load_payer(payer_id) for payer_id in list_payers()]
DECIDE = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RENDER = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def document_text(data: bytes, suffix: str) -> str:
    """Every word a reader of the document sees: a DOCX's parts, a PDF's pages and fields."""
    if suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = [z.read(n).decode("utf-8") for n in z.namelist()
                     if n.startswith("word/") and n.endswith(".xml")]  # fmt: skip
        return unescape(re.sub(r"<[^>]+>", " ", " ".join(parts)))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    fields = [str(f.get("/V", "")) for f in (reader.get_fields() or {}).values()]
    return " ".join([*(page.extract_text() or "" for page in reader.pages), *fields])


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "as-given"])
@DECIDE
@given(plan=plans())
def test_an_ok_at_risk_plan_has_a_complete_safety_plan_and_a_safety_goal(merged, plan) -> None:
    decided, decisions = decide_all(plan, PAYERS, AGENCY, bank=BANK if merged else None)
    if not at_risk(decided):
        return
    for decision in decisions:
        if not decision.blocked:
            assert safety_plan_complete(decided), (decision.payer, decided.safety_plan)
            assert has_safety_goal(decided), (decision.payer, [g.problem for g in decided.goals])


def decide_intake(row: dict[str, str], folder) -> tuple:
    """An intake row written as CSV, read, merged and decided for every payer."""
    path = folder / "intake.csv"
    out = io.StringIO()
    csv.writer(out).writerows([list(row), list(row.values())])
    path.write_text(out.getvalue(), encoding="utf-8")
    (plan,) = [r.plan for r in read(path, ReadOptions()) if r.plan is not None]
    return decide_all(plan, PAYERS, AGENCY, bank=BANK)


@DECIDE
@given(intake=intake_rows())
def test_an_ok_at_risk_intake_has_a_complete_safety_plan_and_a_safety_goal(
    tmp_path_factory, intake
) -> None:
    """From a generated intake row through the reader, the merge and every payer's rules."""
    row, risky = intake
    decided, decisions = decide_intake(row, tmp_path_factory.mktemp("intake"))
    assert at_risk(decided) is risky  # every risk fact the intake records is kept
    for decision in decisions:
        if not decision.blocked and risky:
            assert safety_plan_complete(decided), (decision.payer, decided.safety_plan)
            assert has_safety_goal(decided), decision.payer


@RENDER
@given(plan=plans())
def test_no_ok_document_shows_placeholder_text(plan) -> None:
    decided, decisions = decide_all(plan, PAYERS, AGENCY, bank=BANK)
    for payer, decision in zip(PAYERS, decisions, strict=True):
        if decision.blocked:
            continue
        for document in render(decided, payer, AGENCY, WriterOptions()):
            if document.suffix in (".docx", ".pdf"):
                found = MARKERS.search(document_text(document.data, document.suffix))
                assert found is None, (payer.id, found and found.group(0))
    copy = decide_client_copy(decided, payers=decisions)
    if copy.blocked and all(d.blocked for d in decisions):  # not in force (TXR031)
        assert "TXR031" in {f.code for f in copy.findings}
    if copy.blocked and "TXR030" in {f.code for f in copy.findings}:
        # the copy is withheld for its safety plan, and no path renders it anyway
        assert at_risk(decided) and not safety_plan_complete(decided)
        with pytest.raises(TxplanError, match="client copy not produced"):
            render(decided, CLIENT_COPY, AGENCY, WriterOptions(draft=True))
        return
    (document,) = render(decided, CLIENT_COPY, AGENCY, WriterOptions())
    text = document_text(document.data, ".docx")
    assert MARKERS.search(text) is None, MARKERS.search(text).group(0)
    if at_risk(decided):  # the copy carries the client's own plan
        assert "Your safety plan" in text and BASE.safety_plan.warning_signs[0] in text


def test_the_properties_are_not_vacuous(tmp_path) -> None:
    """Generated plans reach both sides: an at-risk plan ok for every payer (its safety plan
    complete), and the same plan blocked for every payer once a section is a placeholder."""
    from pipeline.model import RiskLevel

    risky = BASE.model_copy(update={"risk": BASE.risk.model_copy(update={
        "level": RiskLevel.HIGH, "means_access": True})})  # fmt: skip
    # ok for every payer whose member the client is (payer identity, TXR017): BASE is a
    # Medicare member, so the clinical plan and the Medicare plan of care
    own = [
        p
        for p in PAYERS
        if not p.identity or any(i.named(risky.client.payer_name or "") for i in p.identity)
    ]
    assert len(own) >= 2
    decided, decisions = decide_all(risky, own, AGENCY, bank=BANK)
    assert at_risk(decided) and all(not d.blocked for d in decisions)
    skeleton = risky.model_copy(update={"safety_plan": risky.safety_plan.model_copy(
        update={"coping_strategies": ("[Complete with the client]",)})})  # fmt: skip
    _, decisions = decide_all(skeleton, PAYERS, AGENCY, bank=BANK)
    assert all(d.blocked for d in decisions)
    row = {**INTAKE, **SAFETY_CELLS, **{f"PHQ-9 Item {n}": "1" for n in range(1, 10)}}
    row["Risk Level"] = "Moderate"  # an at-risk plan records the clinician's level (TXR021)
    decided, decisions = decide_intake(row, tmp_path)
    ok = [payer.id for payer, d in zip(PAYERS, decisions, strict=True) if not d.blocked]
    assert at_risk(decided) and "medicaid-isp" in ok  # its payer's (Oregon Health Plan) ISP
    row["Coping Strategies"] = "TBD"
    _, decisions = decide_intake(row, tmp_path)
    assert all(d.blocked for d in decisions)
