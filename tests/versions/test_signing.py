"""A revised plan is signed anew (session 5, fix-revise #3): the reviewed version no longer
prints the signatures of the version before it ("Signed (on file) January 13, 2026" under a
recertification from April 7); the review records the new dates or the plan stays blocked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.findings import has_errors
from pipeline.model import ObjectiveStatus, Plan, Signatures, Signer
from pipeline.profiles import load_payer
from pipeline.rules import check
from pipeline.versions.diff import diff_plans
from pipeline.versions.reviews import read_review
from pipeline.versions.revise import apply_review
from tests.support import write_csv
from tests.versions.versions_helpers import sample_plan

SIGNED = dt.date(2024, 1, 5)
HEADER = ["Client ID", "Review Date", "Objective", "Status", "Rationale", "Clinician Signed",
          "Client Signed"]  # fmt: skip


def _signed_plan() -> Plan:
    return sample_plan(signatures=Signatures(
        clinician=Signer(name="Dana Whitfield", credentials="LCSW", npi="1234567893",
                         signed_date=SIGNED),
        client=Signer(name="Alex Rivera", signed_date=SIGNED),
    ))  # fmt: skip


def _review(tmp_path: Path, plan: Plan, *signed: str, day: str = "2024-04-01", name: str = "r"):
    rows = [[plan.client.id, day, o.id, "in progress", "continue", *signed]
            for g in plan.goals for o in g.objectives]  # fmt: skip
    header = HEADER[: 5 + len(signed)]
    found, problems = read_review(write_csv(tmp_path / f"{name}.csv", header, *rows))
    assert not has_errors(problems), problems
    return apply_review(plan, found)


def test_a_review_does_not_carry_the_earlier_signatures(tmp_path: Path) -> None:
    plan = _signed_plan()
    revised, findings = _review(tmp_path, plan)
    assert revised is not None
    assert revised.signatures.clinician.signed_date is None
    assert revised.signatures.client.signed_date is None
    assert revised.signatures.clinician.name == "Dana Whitfield"  # who signs stays
    [unsigned] = [f for f in findings if f.code == "REV029"]
    assert "the clinician's of 2024-01-05 signed the plan before it" in unsigned.message
    assert "TXR018" in {f.code for f in check(revised, load_payer("clinical"))}
    changes = diff_plans(plan, revised).changes
    signed = [c for c in changes if c.target == "signatures"]
    assert signed and all("signatures dated before it do not sign it" in c.rationale
                          for c in signed)  # fmt: skip


def test_the_review_records_the_dates_the_revision_was_signed(tmp_path: Path) -> None:
    revised, findings = _review(tmp_path, _signed_plan(), "2024-04-01", "2024-04-02")
    assert revised is not None and "REV029" not in {f.code for f in findings}
    assert revised.signatures.clinician.signed_date == dt.date(2024, 4, 1)
    assert revised.signatures.client.signed_date == dt.date(2024, 4, 2)
    assert "TXR018" not in {f.code for f in check(revised, load_payer("clinical"))}


def test_a_date_before_the_review_cannot_sign_it(tmp_path: Path) -> None:
    revised, findings = _review(tmp_path, _signed_plan(), "2024-03-30")
    assert revised is None
    [early] = [f for f in findings if f.code == "REV008"]
    assert early.where.endswith('column "Clinician Signed"') and "2024-03-30" in early.message


def test_a_second_file_for_the_same_review_adds_the_signatures(tmp_path: Path) -> None:
    first, _ = _review(tmp_path, _signed_plan())
    header = ["Client ID", "Review Date", "Clinician Signed", "Client Signed"]
    dates = ["C-1001", "2024-04-01", "2024-04-03", "2024-04-03"]
    rows, _ = read_review(write_csv(tmp_path / "signed.csv", header, dates))
    signed, findings = apply_review(first, rows)
    assert signed is not None and not has_errors(findings), findings
    assert signed.signatures.clinician.signed_date == dt.date(2024, 4, 3)
    assert [r.date for r in signed.reviews] == [dt.date(2024, 4, 1)]  # the same review
    statuses = {o.status for g in signed.goals for o in g.objectives}
    assert statuses == {ObjectiveStatus.IN_PROGRESS}  # what the first file did stands
