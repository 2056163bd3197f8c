"""A risk cell written the way clinicians write it keeps the client in the batch."""

from __future__ import annotations

from pipeline.findings import has_errors
from pipeline.readers import ReadOptions, read
from pipeline.readers.mapping.values import RiskCell, parse_risk_flag


def test_yes_with_words_is_yes_and_keeps_the_words_and_the_means() -> None:
    cell = parse_risk_flag("Yes - passive, no plan; handgun at home")
    assert cell == RiskCell(True, "passive, no plan; handgun at home", True)
    assert parse_risk_flag("No - no access to firearms") == RiskCell(
        False, "no access to firearms", False
    )
    assert parse_risk_flag("Positive (C-SSRS 2/6)") == RiskCell(True, "C-SSRS 2/6", False)
    assert parse_risk_flag("denies") == RiskCell(False)


def test_held_out_intake_with_a_worded_si_cell_is_planned_with_means(tmp_path) -> None:
    path = tmp_path / "held_out.csv"
    path.write_text(
        "Client ID,First Name,Last Name,DOB,Diagnosis,Intake Date,Suicidal Ideation,Risk Level\n"
        "H-01,Dana,Reyes,1990-02-03,F32.1,2026-01-05,"
        '"Yes - passive, no plan; handgun at home",moderate\n'
        "H-02,Lee,Park,1985-06-07,F41.1,2026-01-05,No - no access to firearms,low\n",
        encoding="utf-8",
    )
    results = list(read(path, ReadOptions()))
    assert not any(has_errors(r.findings) for r in results)
    plans = {r.plan.client.id: r.plan for r in results if r.plan}
    dana = plans["H-01"].risk
    assert dana.suicidal_ideation and dana.means_access and dana.safety_plan_required
    assert "handgun at home" in (dana.notes or "")
    lee = plans["H-02"].risk
    assert not lee.suicidal_ideation and not lee.means_access
    assert lee.notes == "Suicidal ideation: no (no access to firearms)"


def test_a_no_cell_naming_the_means_it_denies_sets_no_means(tmp_path) -> None:
    """Found by the safety property (tests/properties): "No access to firearms" in an access
    column set means access, its words read without their no."""
    assert parse_risk_flag("No access to firearms") == RiskCell(False, "access to firearms", False)
    path = tmp_path / "means.csv"
    path.write_text(
        "Client ID,First Name,Last Name,DOB,Diagnosis,Intake Date,Access to firearms\n"
        "M-01,Ana,Ortiz,1990-02-03,F32.1,2026-01-05,No access to firearms\n"
        "M-02,Sam,Lee,1985-06-07,F41.1,2026-01-05,No SI; handgun at home\n",
        encoding="utf-8",
    )
    plans = {r.plan.client.id: r.plan for r in read(path, ReadOptions()) if r.plan}
    assert not plans["M-01"].risk.means_access and not plans["M-01"].risk.safety_plan_required
    assert plans["M-01"].risk.notes == "Means: no (access to firearms)"
    assert plans["M-02"].risk.means_access  # the handgun is named outside the no
