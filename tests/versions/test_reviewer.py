"""Who reviews and who signs a revision (session 6, fix-revise #6): the demo's review was
recorded by Dana Whitfield, LCSW, while the plan's treating clinician, whose signature line
the Clinician Signed column dates, is Maya Okafor, LCSW. The treating clinician reviews the
plan and signs it; a review recorded by anyone else is flagged (REV034) and its redline asks
both the reviewer and the treating clinician to sign."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from pipeline.findings import has_errors
from pipeline.model import ObjectiveStatus, Plan, Signatures, Signer
from pipeline.versions.diff import diff_plans
from pipeline.versions.reviews import ReviewRow, read_review
from pipeline.versions.revise import apply_review
from pipeline.writers.docx.redline import render_redline
from tests.support import ROOT
from tests.versions.versions_helpers import sample_plan


def _treated_by(name: str | None) -> Plan:
    clinician = Signer(name=name, credentials="LCSW", signed_date=dt.date(2024, 1, 5))
    return sample_plan(signatures=Signatures(clinician=clinician))


def _review(plan: Plan, reviewer: str | None):
    rows = [ReviewRow(where="r.csv, row 2", client_id="C-1001", date=dt.date(2024, 4, 1),
                      reviewer=reviewer, objective_id=o.id, status=ObjectiveStatus.IN_PROGRESS,
                      rationale="continue", columns=(("reviewer", "Reviewer"),))
            for g in plan.goals for o in g.objectives]  # fmt: skip
    revised, findings = apply_review(plan, rows)
    assert revised is not None and not has_errors(findings), findings
    return revised, [f for f in findings if f.code == "REV034"]


def _signers(old: Plan, new: Plan) -> list[tuple[str, str]]:
    document = Document(io.BytesIO(render_redline(old, new, diff_plans(old, new))))
    return [(r.cells[0].text, r.cells[1].text) for r in document.tables[-1].rows[1:]]


def test_a_review_by_the_treating_clinician_is_not_flagged() -> None:
    plan = _treated_by("Maya Okafor")
    for spelled in ("Maya Okafor, LCSW", "maya  okafor", "Maya Okafor"):
        revised, flagged = _review(plan, spelled)
        assert flagged == [], spelled
    assert _signers(plan, revised)[0] == ("Clinician (reviewer)", "Maya Okafor")


def test_another_reviewer_is_flagged_and_the_treating_clinician_signs() -> None:
    plan = _treated_by("Maya Okafor")
    revised, [flagged] = _review(plan, "Dana Whitfield, LCSW")
    assert flagged.where == 'r.csv, row 2, column "Reviewer"'
    assert "not by the plan's treating clinician, Maya Okafor, LCSW" in flagged.message
    assert "the Clinician Signed date is Maya Okafor's signature" in flagged.message
    assert revised.signatures.clinician.name == "Maya Okafor"  # who signs does not change
    assert _signers(plan, revised) == [
        ("Reviewer", "Dana Whitfield, LCSW"), ("Treating clinician", "Maya Okafor, LCSW"),
        ("Client", "Alex Rivera")]  # fmt: skip


def test_no_clinician_or_no_reviewer_named_nothing_to_compare() -> None:
    assert _review(_treated_by(None), "Dana Whitfield, LCSW")[1] == []
    assert _review(_treated_by("Maya Okafor"), None)[1] == []


def test_the_demo_review_is_recorded_by_the_treating_clinician() -> None:
    """The sample names CT-1001's treating clinician (the intake's Maya Okafor, LCSW), the
    one whose signature the second file's Clinician Signed column dates."""
    for name in ("review-90day-CT-1001.csv", "review-90day-CT-1001-signed.csv"):
        rows, found = read_review(ROOT / "inputs" / "reviews" / name)
        assert not found
        assert {r.reviewer for r in rows} <= {"Maya Okafor, LCSW", None}, name
