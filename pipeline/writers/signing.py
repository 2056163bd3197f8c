"""The signature block of every document: one line per signer the payer requires.

Who must sign comes from :mod:`pipeline.rules.signers`, the answer the signature rules
(TXR009, TXR010, TXR018) enforce, so a document never leaves out a signer a rule requires.
"""

from __future__ import annotations

import functools
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


#: The keys of a line in the client copy's words (made only when a template reads one).
PLAIN_KEYS = ("plain_title", "plain_who", "plain_signed")


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


def signature_lines(plan: Plan, payer: Any, agency: Any, date: Callable[[Any], str], *,
                    plain: bool = True) -> list[dict]:  # fmt: skip
    """One line per signer the document must show (pipeline/rules/signers.py): role, name
    with credentials, the signature ("Signed (on file)" when dated, else a line to sign on) and the
    date; a client who did not sign shows the documented reason. ``plain``: with the client
    copy's words (``plain_title``, ``plain_who``, ``plain_signed``), which a template that
    reads none of them need not have made."""
    known = agency if hasattr(agency, "clinician") else None
    lines = []
    for required in signers(plan, payer, known):
        s, key = required.signer, required.key
        name = s.name or None
        if name is None and key == "client":
            c = plan.client
            name = " ".join(p for p in (c.first_name, c.middle_name, c.last_name) if p) or c.id
        reason = plan.signatures.client_unsigned_reason if key == "client" else None
        lines.append(_line(key, required.title, name, s.credentials, s.npi, s.relationship,
                           s.signed_date, reason, date).copy())  # fmt: skip
    if not plain:
        return lines
    guardian = next((line for line in lines if line["key"] == "guardian"), None)
    for line in lines:
        line.update(_plain(line, guardian))
    return lines


@functools.lru_cache(maxsize=4096)  # a pure function of its arguments, which recur
def _line(key: str, title: str, name: str | None, credentials: str | None, npi: str | None,
          relationship: str | None, signed_date: Any, reason: str | None,
          date: Callable[[Any], str]) -> dict[str, Any]:  # fmt: skip
    """One signer's line (the caller copies the dict it is given; this one is never handed
    out); ``reason``: why the client did not sign (the client's line only)."""
    who = joined([name, credentials, f"NPI {npi}" if npi else ""], ", ")
    signed = date(signed_date)
    if signed:
        signature = "Signed (on file)"
    elif reason:
        signature = f"Not signed: {reason}"
    else:
        signature = "________________"
    date_text = signed or "____________"
    return {
        "key": key, "title": title, "name": name, "who": who or "",
        "credentials": credentials, "relationship": relationship,
        "signature": signature, "date": date_text, "signed": signed_date is not None,
        "text": f"{title}: {who or 'not named'} · {signature} · {date_text}",
        "short": joined([
            f"{_SHORT[key]}: {joined([name, credentials], ', ') or 'not named'}",
            f"signed {signed}" if signed else signature.replace("Not", "not", 1)
            if signature.startswith("Not signed") else "not signed"], " · "),
    }  # fmt: skip
