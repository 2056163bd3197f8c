"""The signature block of every document: one line per signer the payer requires.

Who must sign comes from :mod:`pipeline.rules.signers`, the answer the signature rules
(TXR009, TXR010, TXR018) enforce, so a document never leaves out a signer a rule requires.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.model import Plan
from pipeline.rules.signers import signature_lines as signers
from pipeline.writers.wording import joined

#: A signer's role in a few words, for a form's narrow field.
_SHORT = {"clinician": "Clinician", "supervisor": "Co-signer", "client": "Client",
          "guardian": "Guardian"}  # fmt: skip
#: A signer's role as the client copy says it to the client (no "co-signer", no "assent").
_PLAIN = {"clinician": "Your counselor", "supervisor": "Your counselor's supervisor",
          "client": "You", "guardian": "Your parent or guardian"}  # fmt: skip


def _plain_title(line: dict) -> str:
    if line["key"] == "guardian" and line["relationship"]:
        return f"Your {line['relationship'].strip().lower()}"
    return _PLAIN[line["key"]]


def _plain(line: dict, guardian: dict | None) -> dict:
    """The client copy's words for one signer: who ("Your mother"), the name with
    credentials, whether and when they signed; never an NPI, a clinical reason or "assent"."""
    if line["signed"]:
        done = f"Signed on {line['date']}"
    elif line["key"] == "client" and guardian is not None and guardian["signed"]:
        done = f"{_plain_title(guardian)} signed for you"
    else:
        done = "Not signed yet"
    who = joined([line["name"], line["credentials"]], ", ")
    return {"plain_title": _plain_title(line), "plain_who": who, "plain_signed": done}


def signature_lines(plan: Plan, payer: Any, agency: Any, date: Callable[[Any], str]) -> list[dict]:
    """One line per signer the document must show (pipeline/rules/signers.py): role, name
    with credentials, the signature ("Signed (on file)" when dated, else a line to sign on) and the
    date; a client who did not sign shows the documented reason."""
    known = agency if hasattr(agency, "clinician") else None
    lines = []
    for required in signers(plan, payer, known):
        s = required.signer
        c = plan.client
        full = " ".join(p for p in (c.first_name, c.middle_name, c.last_name) if p) or c.id
        name = s.name or (full if required.key == "client" else None)
        who = joined([name, s.credentials, f"NPI {s.npi}" if s.npi else ""], ", ")
        signed = date(s.signed_date)
        if signed:
            signature = "Signed (on file)"
        elif required.key == "client" and plan.signatures.client_unsigned_reason:
            signature = f"Not signed: {plan.signatures.client_unsigned_reason}"
        else:
            signature = "________________"
        date_text = signed or "____________"
        lines.append({
            "key": required.key, "title": required.title, "name": name, "who": who or "",
            "credentials": s.credentials, "relationship": s.relationship,
            "signature": signature, "date": date_text, "signed": s.signed_date is not None,
            "text": f"{required.title}: {who or 'not named'} · {signature} · {date_text}",
            "short": joined([
                f"{_SHORT[required.key]}: {joined([name, s.credentials], ', ') or 'not named'}",
                f"signed {signed}" if signed else signature.replace("Not", "not", 1)
                if signature.startswith("Not signed") else "not signed"], " · "),
        })  # fmt: skip
    guardian = next((line for line in lines if line["key"] == "guardian"), None)
    for line in lines:
        line.update(_plain(line, guardian))
    return lines
