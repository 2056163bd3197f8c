"""A review leaves no objective to lapse and records no "met" its plan contradicts (REV024/025),
with the demo's own samples: CT-1001 built from intake, then its 90-day review."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.model import Measure, ObjectiveStatus
from pipeline.versions.review_file import apply_review_file, lazy_bank_merger, payer_interval
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review
from pipeline.versions.revise_checks import lapsing
from pipeline.versions.store import Store
from tests.support import ROOT, TEST_DATA
from tests.versions.versions_helpers import sample_plan

DEMO_REVIEW = ROOT / "inputs" / "reviews" / "review-90day-CT-1001.csv"
#: the demo's review as it was: 1.1 met with the safety plan still the template, five
#: objectives due on the review day not named
INCOMPLETE = TEST_DATA / "reviews" / "review-90day-CT-1001-incomplete.csv"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A store holding CT-1001 (version 1) built from the demo's intake."""
    where = tmp_path_factory.mktemp("built")
    store = where / "store.sqlite3"
    intake = str(ROOT / "inputs" / "counseltrack_wide.xlsx")
    args = ["build", intake, "--payer", "medicaid-isp", "--agency", "riverside", "--draft",
            "--store", str(store), "-o", str(where / "out")]  # fmt: skip
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return store


def _apply(built: Path, tmp_path: Path, review: Path):
    store_path = tmp_path / "store.sqlite3"
    shutil.copy(built, store_path)
    store = Store(store_path)
    return store, apply_review_file(review, store, interval=payer_interval("medicaid-isp"),
                                    merger=lazy_bank_merger())  # fmt: skip


def test_the_old_demo_review_is_refused_naming_each_objective(built, tmp_path) -> None:
    store, result = _apply(built, tmp_path, INCOMPLETE)
    assert not result.ok and not result.saved
    lapsed = [f for f in result.findings if f.code == "REV024"]
    assert [f.message.split(" is due")[0] for f in lapsed] == [
        "objective 1.2", "objective 1.3", "objective 4.1", "objective 4.2", "objective 4.3"
    ]  # fmt: skip
    assert all("ends at the next review on 2026-07-05" in f.message for f in lapsed)
    assert all(f.where == "review-90day-CT-1001-incomplete.csv, client CT-1001" for f in lapsed)
    [met] = [f for f in result.findings if f.code == "REV025"]
    assert met.where == 'review-90day-CT-1001-incomplete.csv, row 2, column "Status"'
    assert "objective 1.1 cannot be recorded met: the plan's safety plan is incomplete" in (
        met.message
    )
    assert "warning signs (placeholder text)" in met.message
    assert store.latest("CT-1001").number == 1  # nothing saved


def test_the_demo_review_carries_every_objective_to_the_next_review(built, tmp_path) -> None:
    store, result = _apply(built, tmp_path, DEMO_REVIEW)
    assert result.ok and result.saved, result.findings
    plan = store.latest("CT-1001").plan
    assert plan.review.next_review_date == dt.date(2026, 7, 5)
    assert lapsing(plan, plan.review.next_review_date) == []
    objectives = {o.id: o for g in plan.goals for o in g.objectives}
    screen = objectives["SAFETY.G1.O4"]  # suicide screening goes on to the next review
    assert screen.target_date == dt.date(2026, 7, 4) and "through July 4, 2026" in screen.text
    assert objectives["SAFETY.G1.O1"].status is ObjectiveStatus.IN_PROGRESS


def _row(objective: str, status: ObjectiveStatus, **more) -> ReviewRow:
    return ReviewRow(where="r.csv, row 2", client_id="C-1001", date=dt.date(2024, 4, 1),
                     objective_id=objective, status=status, rationale="why", **more)  # fmt: skip


CONTINUE = [_row(o, ObjectiveStatus.IN_PROGRESS) for o in ("G1.O1", "G2.O1")]


def test_a_scored_objective_is_not_met_while_its_latest_score_misses_the_target() -> None:
    # G1.O2: PHQ-9 from 14 to "< 10"; the only score on file is the baseline 14
    revised, findings = apply_review(sample_plan(), [_row("G1.O2", ObjectiveStatus.MET), *CONTINUE])
    assert revised is None
    assert [f.code for f in findings] == ["REV025"]
    assert "the latest PHQ-9 (14, 2024-01-02) does not meet its target (< 10)" in (
        findings[0].message
    )
    scored = [_row("G1.O2", ObjectiveStatus.MET, instrument="PHQ-9", score=8), *CONTINUE]
    revised, findings = apply_review(sample_plan(), scored)
    assert revised is not None, findings
    late = sample_plan(measures=(Measure(instrument="PHQ-9", date=dt.date(2024, 3, 1), total=12),))
    revised, findings = apply_review(late, [_row("G1.O2", ObjectiveStatus.MET), *CONTINUE])
    assert revised is None and "(12, 2024-03-01)" in findings[0].message


def test_discontinued_closes_and_a_target_after_the_next_review_needs_nothing() -> None:
    plan = sample_plan()
    rows = [_row("G1.O2", ObjectiveStatus.DISCONTINUED), *CONTINUE]
    revised, findings = apply_review(plan, rows)
    assert revised is not None, findings
    goal = plan.goals[1]
    later = goal.objectives[0].model_copy(update={"target_date": dt.date(2024, 12, 1)})
    plan = plan.model_copy(update={"goals": (plan.goals[0], goal.model_copy(
        update={"objectives": (later,)}))})  # fmt: skip
    revised, findings = apply_review(plan, [_row("G1.O2", ObjectiveStatus.DISCONTINUED),
                                            _row("G1.O1", ObjectiveStatus.NOT_MET)])  # fmt: skip
    assert revised is not None, findings  # 2.1 is due 2024-12-01, after the next review
    rows = [_row("G1.O2", ObjectiveStatus.DISCONTINUED)]
    revised, findings = apply_review(plan, rows)
    assert revised is None and [f.code for f in findings] == ["REV024"]
    assert findings[0].message.startswith("objective 1.1 is due 2024-04-01")


SAFETY_COLUMNS = ("Warning Signs,Coping Strategies,People and Places,People to Ask for Help,"
                  "Professionals and Crisis Lines,Means Safety,Reasons for Living")  # fmt: skip
SAFETY_VALUES = ('"Lying awake past 2 am; thinking I am a burden","Walk by the river; shower",'
                 '"Saturday walks with the hiking group","Sister Ana 555-0134",'
                 '"Dana Whitfield, LCSW 555-0100; 988 Lifeline","Her partner keeps her '
                 'medications locked","My nephew"')  # fmt: skip


def _met_with(tmp_path: Path, values: str) -> Path:
    """The demo's review with 1.1 met and the safety plan made with the client recorded."""
    lines = DEMO_REVIEW.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    blank = "," * 6
    met = (
        'CT-1001,2026-04-06,"Dana Whitfield, LCSW",1.1,met,Safety plan written with her in '
        "session 2; she keeps it on her phone,,,,,Safety plan completed and recorded," + values
    )
    out = [f"{header},{SAFETY_COLUMNS}", met, *(f"{row},{blank}" for row in rows[1:])]
    path = tmp_path / "review-with-safety-plan.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_a_review_recording_the_safety_plan_meets_its_objective(built, tmp_path) -> None:
    from pipeline.clinical.risk import safety_plan_gaps

    store, result = _apply(built, tmp_path, _met_with(tmp_path, SAFETY_VALUES))
    assert result.ok and result.saved, result.findings
    plan = store.latest("CT-1001").plan
    assert safety_plan_gaps(plan.safety_plan) == {}
    assert plan.safety_plan.people_to_ask == ("Sister Ana 555-0134",)
    objectives = {o.id: o for g in plan.goals for o in g.objectives}
    assert objectives["SAFETY.G1.O1"].status is ObjectiveStatus.MET
    changes = {c.target: c for c in plan.revision.changes}
    assert changes["safety_plan"].change.startswith("safety plan recorded (warning signs")


def test_a_safety_plan_with_a_section_left_is_not_met(built, tmp_path) -> None:
    values = SAFETY_VALUES.rsplit(",", 1)[0] + ","  # reasons for living left blank
    _store, result = _apply(built, tmp_path, _met_with(tmp_path, values))
    [met] = [f for f in result.findings if f.code == "REV025"]
    assert "reasons for living (placeholder text)" in met.message
    assert "warning signs" not in met.message.split("incomplete (")[1].split(")")[0]


def test_closing_the_last_risk_screening_of_an_at_risk_client_is_flagged(built, tmp_path) -> None:
    lines = DEMO_REVIEW.read_text(encoding="utf-8").splitlines()
    closed = [line.replace(",1.3,in progress,", ",1.3,met,") for line in lines]
    path = tmp_path / "review-screening-met.csv"
    path.write_text("\n".join(closed) + "\n", encoding="utf-8")
    _store, result = _apply(built, tmp_path, path)
    assert result.ok and result.saved, result.findings  # a warning: the review stands
    [stops] = [f for f in result.findings if f.code == "REV026"]
    assert stops.severity == "warning" and "closes objective 1.3" in stops.message
    assert "risk is still flagged" in stops.message
    _store, continued = _apply(built, tmp_path, DEMO_REVIEW)  # 1.3 continues: no warning
    assert continued.ok and not [f for f in continued.findings if f.code == "REV026"]


def test_the_demo_review_is_signed_by_a_second_file_for_the_same_review(built, tmp_path) -> None:
    """The reviewed version is unsigned (REV029: version 1's signatures of January 13 do not
    sign it); the second demo file records the dates the revision was signed (session 5)."""
    store, result = _apply(built, tmp_path, DEMO_REVIEW)
    assert result.saved and "REV029" in {f.code for f in result.findings}
    unsigned = store.latest("CT-1001").plan
    assert unsigned.signatures.clinician.signed_date is None
    signed_file = DEMO_REVIEW.with_name("review-90day-CT-1001-signed.csv")
    signed = apply_review_file(signed_file, store, interval=payer_interval("medicaid-isp"))
    assert signed.saved and "REV029" not in {f.code for f in signed.findings}, signed.findings
    latest = store.latest("CT-1001")
    plan = latest.plan
    assert (latest.number, len(plan.reviews)) == (3, 1)  # the same review, completed
    assert plan.signatures.clinician.signed_date == dt.date(2026, 4, 8)
    assert plan.signatures.client.signed_date == dt.date(2026, 4, 8)
    assert plan.review.recertified_from == dt.date(2026, 4, 6)  # the review day (plan + 90)
    store.close()
