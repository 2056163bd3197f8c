"""Property: every document that is ok for its payer prints a line for each required signer.

Plans are generated over signers (credentials that do and do not need a co-signer, dated or
not), the client's age, a guardian and the client's own signature, for every payer; each plan
the payer's rules pass is rendered through ``pipeline.writers.render`` and its text read back.
A signer "has a line" when one line of the document holds their role, name, credentials and
the date they signed (or the documented reason a client did not).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from functools import cache
from pathlib import Path

from docx import Document
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from pipeline.findings import Severity
from pipeline.model import Plan, Signer
from pipeline.profiles import PayerProfile, list_payers, load_agency
from pipeline.rules import check, load_payer
from pipeline.rules.signers import Required, required_signers, signature_lines
from pipeline.writers import WriterOptions, render
from pipeline.writers.client_copy import CLIENT_COPY
from pipeline.writers.context import date_format
from tests.support import TEST_DATA

AGENCY = load_agency("riverside")
GOOD = (TEST_DATA / "rules" / "good.json").read_text(encoding="utf-8")
PLAN_DATE = dt.date(2026, 1, 20)

#: name, credentials, NPI: fully licensed and associate-level clinicians of the agency
CLINICIANS = [
    ("Maya Okafor", "LCSW", "1143044323"),
    ("Priya Natarajan", "LMFT", "1569583515"),
    ("Jordan Ellis", "LPC-Associate", "1344010743"),
    ("Priya Desai", "LPC-Associate", "1143045304"),
]
SUPERVISORS = [None, ("Samuel Reyes", "LPC, LPC-S", "1374184046")]
#: words that say which role a line is for (DOCX titles and the form's short roles)
ROLE_WORDS = {"clinician": "clinician", "supervisor": "co-signer", "client": "client",
              "guardian": "guardian"}  # fmt: skip
#: The client copy says who signed in plain words (no "co-signer", no clinical reason).
PLAIN_ROLE_WORDS = {"clinician": "your counselor", "supervisor": "supervisor", "client": "you",
                    "guardian": "your"}  # fmt: skip


@cache
def payer(payer_id: str) -> PayerProfile:
    return load_payer(payer_id)


def make_plan(payer_id: str, clinician: int, supervisor: int, clinician_signed: bool,
              cosigned: bool, born: dt.date, guardian: str | None, guardian_signed: bool,
              client: str) -> tuple[str, Plan]:  # fmt: skip
    """The payer and the rules' good plan, as its member, with these signers."""
    plan = Plan.model_validate_json(GOOD)
    name, creds, npi = CLINICIANS[clinician]
    sup = SUPERVISORS[supervisor]
    signatures = plan.signatures.model_copy(
        update={
            "clinician": Signer(name=name, credentials=creds, npi=npi,
                                signed_date=PLAN_DATE if clinician_signed else None),
            "supervisor": None if sup is None else Signer(
                name=sup[0], credentials=sup[1], npi=sup[2],
                signed_date=PLAN_DATE + dt.timedelta(days=1) if cosigned else None),
            "guardian": None if guardian is None else Signer(
                name="Rosa Rivera", relationship=guardian,
                signed_date=PLAN_DATE if guardian_signed else None),
            "client": Signer(name="Alex Rivera",
                             signed_date=PLAN_DATE if client == "signed" else None),
            "client_unsigned_reason": "Declined to sign; plan reviewed verbally."
            if client == "reason" else None,
        }
    )  # fmt: skip
    update: dict = {"date_of_birth": born}
    profile = payer(payer_id)
    if profile.identity:
        first = profile.identity[0]
        update |= {"payer_name": first.payer_names[0], "member_id": first.member_id.example}
    client_part = plan.client.model_copy(update=update)
    return payer_id, plan.model_copy(update={"signatures": signatures, "client": client_part})


def document_lines(data: bytes, suffix: str) -> list[str]:
    """The text of a rendered document, one entry per paragraph and per table row."""
    if suffix == ".pdf":
        reader = PdfReader(io.BytesIO(data))
        return [line for page in reader.pages for line in (page.extract_text() or "").splitlines()]
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return []
    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return lines


def missing_lines(plan: Plan, profile: object, lines: list[str]) -> list[Required]:
    """The signers the document must carry (``profile``'s, or the client copy's) that no
    line of it carries."""
    date = date_format(profile)
    missing = []
    for required in signature_lines(plan, profile, AGENCY):
        if isinstance(profile, PayerProfile) and required not in required_signers(
            plan, profile, AGENCY
        ):
            continue  # a signer the payer does not require (printed, not checked here)
        signer = required.signer
        name = signer.name or ""
        plain = not isinstance(profile, PayerProfile)  # the client copy
        parts = [(PLAIN_ROLE_WORDS if plain else ROLE_WORDS)[required.key], name.casefold()]
        parts += [c.casefold() for c in re.split(r"[,/;]\s*", signer.credentials or "") if c]
        if signer.signed_date is not None:
            parts.append(date(signer.signed_date).casefold())
        elif plain:
            guardian = plan.signatures.guardian
            by_guardian = required.key == "client" and guardian and guardian.signed_date
            parts.append("signed for you" if by_guardian else "not signed yet")
        elif required.key == "client" and plan.signatures.client_unsigned_reason:
            parts.append(plan.signatures.client_unsigned_reason.casefold().rstrip(".;, "))
        if not any(all(p in line.casefold() for p in parts) for line in lines):
            missing.append(required)
    return missing


def rendered_lines(plan: Plan, profile: object) -> list[str]:
    documents = render(plan, profile, AGENCY, WriterOptions())
    return [line for d in documents for line in document_lines(d.data, d.suffix)]


def is_ok(plan: Plan, profile: PayerProfile) -> bool:
    findings = check(plan, profile, agency=AGENCY)
    return not any(f.severity is Severity.ERROR for f in findings)


cases = st.builds(
    make_plan,
    payer_id=st.sampled_from(list_payers()),
    clinician=st.integers(0, len(CLINICIANS) - 1),
    supervisor=st.integers(0, len(SUPERVISORS) - 1),
    clinician_signed=st.sampled_from([True, True, True, False]),  # mostly signed: more ok plans
    cosigned=st.sampled_from([True, True, True, False]),
    born=st.sampled_from([dt.date(1990, 4, 12), dt.date(2008, 9, 1), dt.date(2012, 2, 29)]),
    guardian=st.sampled_from([None, "mother", "legal guardian", "conservator"]),
    guardian_signed=st.sampled_from([True, True, False]),
    client=st.sampled_from(["signed", "reason", "unsigned"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases)
@example(case=make_plan("medicaid-isp", 3, 1, True, True, dt.date(2008, 9, 1), "mother", True,
                        "unsigned"))  # fmt: skip
@example(case=make_plan("medicare-poc", 2, 1, True, True, dt.date(1958, 1, 30), None, False,
                        "signed"))  # fmt: skip
@example(case=make_plan("bluepeak-pdf", 0, 0, True, False, dt.date(1990, 4, 12), None, False,
                        "reason"))  # fmt: skip
@example(case=make_plan("clinical", 2, 1, True, True, dt.date(2012, 2, 29), "mother", True,
                        "signed"))  # fmt: skip
def test_every_ok_document_has_a_line_for_each_required_signer(case: tuple[str, Plan]) -> None:
    payer_id, plan = case
    profile = payer(payer_id)
    if not is_ok(plan, profile):
        event("blocked")
        return  # blocked: no document goes out
    event(f"ok: {len(required_signers(plan, profile, AGENCY))} required signers")
    lines = rendered_lines(plan, profile)
    assert not missing_lines(plan, profile, lines), (profile.id, lines[-12:])
    if payer_id == "clinical":  # the client copy goes out with the clinical plan
        copy = rendered_lines(plan, CLIENT_COPY)
        assert not missing_lines(plan, CLIENT_COPY, copy), ("client-copy", copy[-12:])


def without_signature_block(tmp_path: Path) -> PayerProfile:
    """The clinical payer with a template whose signature table was deleted (a broken
    template: everything else renders as before)."""
    doc = Document(str(payer("clinical").template))
    table = doc.tables[-1]._tbl
    table.getparent().remove(table)
    broken = tmp_path / "template.docx"
    doc.save(str(broken))
    return payer("clinical").model_copy(update={"template": broken})


def test_the_property_fails_on_a_template_without_signer_lines(tmp_path: Path) -> None:
    _, plan = make_plan("clinical", 2, 1, True, True, dt.date(2008, 9, 1), "mother", True, "signed")
    assert is_ok(plan, payer("clinical"))
    assert not missing_lines(plan, payer("clinical"), rendered_lines(plan, payer("clinical")))
    broken = without_signature_block(tmp_path)
    missing = missing_lines(plan, broken, rendered_lines(plan, broken))
    assert [r.key for r in missing] == ["clinician", "supervisor", "guardian"]
