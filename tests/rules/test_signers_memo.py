"""A signer filled from the agency's clinician list is worked out once a signer and agency."""

from __future__ import annotations

from pipeline.model import Signer
from pipeline.profiles import load_agency
from pipeline.rules.signers import with_agency


def test_filled_signer_is_remembered_for_the_same_signer_and_agency_only() -> None:
    agency = load_agency("riverside")
    known = agency.clinicians[0]
    signer = Signer(name=known.name)
    filled = with_agency(signer, agency)
    assert filled.credentials == known.credentials and filled.npi == known.npi
    assert with_agency(signer, agency) is filled  # the same plan's signer, asked again
    other = agency.model_copy(update={"clinicians": (known.model_copy(update={"npi": None}),)})
    again = with_agency(signer, other)
    assert again is not filled and again.npi is None
    stranger = Signer(name="Nobody Listed", credentials="LPC")
    assert with_agency(stranger, agency) is stranger


def test_required_signers_are_remembered_for_the_same_plan_payer_agency_and_day() -> None:
    """A plan's signers are asked for by its payer's rules and then by each document: the
    answer is the one worked out afresh, whatever was asked before, and a day stands in for
    the age only on a plan without a date."""
    import datetime as dt

    from pipeline.profiles import list_payers, load_payer
    from pipeline.rules import signers
    from tests.rules.test_rules import DATA, _guardian_signed, plan

    cases = [plan(p.stem) for p in sorted(DATA.glob("TXR0*.json"))]
    cases += [_guardian_signed("2008-09-01"), _guardian_signed("1990-04-12", name="Tom")]
    undated = _guardian_signed("2008-09-01").model_copy(
        update={"plan_date": None, "intake_date": None}
    )
    cases.append(undated)
    payers = [load_payer(p) for p in list_payers()]
    agencies = [None, load_agency("riverside")]
    days = [None, dt.date(2026, 6, 1), dt.date(2027, 6, 1)]
    for _ in range(2):
        for case in cases:
            for payer in payers:
                for agency in agencies:
                    for day in days:
                        found = signers.required_signers(case, payer, agency, day)
                        assert found == signers._required_signers(case, payer, agency, day)
                        assert signers.required_signers(case, payer, agency, day) is found
    medicaid = load_payer("medicaid-isp")
    minor = signers.required_signers(undated, medicaid, None, dt.date(2026, 6, 1))
    adult = signers.required_signers(undated, medicaid, None, dt.date(2027, 6, 1))
    assert [r.key for r in minor] != [r.key for r in adult]


def test_required_signers_keep_only_the_plan_asked_about_last() -> None:
    """A plan's answers are dropped when another plan is asked about (it is then freed with
    the task that used it, not with fifteen other plans later); a plan asked about again is
    answered afresh, as before."""
    import datetime as dt
    import gc
    import weakref

    from pipeline.profiles import load_payer
    from pipeline.rules import signers
    from tests.rules.test_rules import _guardian_signed

    payers = [load_payer("clinical"), load_payer("medicaid-isp")]
    first = _guardian_signed("2008-09-01")
    second = _guardian_signed("1990-04-12", name="Tom")
    answers = [signers.required_signers(first, payer) for payer in payers]
    assert [signers.required_signers(first, payer) for payer in payers] == answers
    assert all(a is b for a, b in zip(
        answers, [signers.required_signers(first, payer) for payer in payers], strict=True
    ))  # fmt: skip
    gone = weakref.ref(first)
    signers.required_signers(second, payers[0], None, dt.date(2026, 6, 1))
    assert all(entry[0] is second for entry in signers._REQUIRED.values())
    del first
    gc.collect()
    assert gone() is None  # the memo held it no longer
    again = _guardian_signed("2008-09-01")
    assert [signers.required_signers(again, payer) for payer in payers] == answers
