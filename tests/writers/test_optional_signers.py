"""A signature the payer does not require is printed only once given, never as a blank to fill.

The Medicare plan of care (required signers: the clinician) printed "Client · Not signed:
Client attended by telehealth; e-signature pending · ____________" for northstar 2046, a row
that read as an obligation Medicare does not have (CMS and its contractors ask for the
provider's signature on a psychotherapy treatment plan, not the beneficiary's).
"""

from __future__ import annotations

import datetime as dt

from pipeline.model import Plan, Signer
from pipeline.profiles import load_agency
from pipeline.rules import load_payer
from pipeline.writers import WriterOptions, render
from pipeline.writers.textlint import docx_lines
from tests.support import TEST_DATA

AGENCY = load_agency("riverside")
MEDICARE = load_payer("medicare-poc")
SIGNED = dt.date(2026, 1, 21)


def _plan(**signatures: object) -> Plan:
    plan = Plan.model_validate_json((TEST_DATA / "rules" / "good.json").read_text())
    identity = MEDICARE.identity[0]
    client = plan.client.model_copy(
        update={"payer_name": identity.payer_names[0], "member_id": identity.member_id.example}
    )
    sig = plan.signatures.model_copy(update=signatures)
    return plan.model_copy(update={"client": client, "signatures": sig})


def _signature_rows(plan: Plan) -> list[str]:
    (doc,) = render(plan, MEDICARE, AGENCY, WriterOptions())
    lines = docx_lines(doc.data)
    start = lines.index("Provider certification")
    return lines[start:]


def test_unsigned_client_has_no_row_on_the_medicare_plan_of_care() -> None:
    plan = _plan(
        client=Signer(name="Alex Rivera"),
        client_unsigned_reason="Client attended by telehealth; e-signature pending",
    )
    rows = _signature_rows(plan)
    assert "Client" not in rows, rows
    assert not any("e-signature pending" in row or "Not signed" in row for row in rows), rows
    assert "Treating clinician" in rows


def test_a_client_who_signed_is_shown_as_signed() -> None:
    plan = _plan(client=Signer(name="Alex Rivera", signed_date=SIGNED))
    rows = _signature_rows(plan)
    at = rows.index("Client")
    assert rows[at + 1 : at + 4] == ["Alex Rivera", "Signed (on file)", "January 21, 2026"], rows


def test_a_named_guardian_or_cosigner_who_did_not_sign_has_no_blank_line() -> None:
    plan = _plan(
        client=Signer(name="Alex Rivera", signed_date=SIGNED),
        guardian=Signer(name="Rosa Rivera", relationship="Mother"),
        supervisor=Signer(name="Samuel Reyes", credentials="LPC-S"),
    )
    rows = _signature_rows(plan)
    assert not any("Rosa Rivera" in row or "Samuel Reyes" in row for row in rows), rows
    assert "________________" not in rows, rows
