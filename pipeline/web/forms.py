"""A build's choices as posted (payers, agency, formats, draft), checked field by field."""

from __future__ import annotations

from typing import Any

from pipeline.batch.build import FORMATS
from pipeline.errors import InputError
from pipeline.profiles import list_agencies, list_payers, load_agency
from pipeline.rules import load_payer

YES = ("1", "true", "yes", "on")


def _values(form: Any, field: str) -> list[str]:
    """Every value of ``field``, whether posted as a comma list or as repeated fields."""
    out: list[str] = []
    for value in form.getlist(field):
        if isinstance(value, str):
            out += [v.strip() for v in value.split(",") if v.strip()]
    return list(dict.fromkeys(out))


def build_choices(form: Any) -> dict[str, Any]:
    """``{"payers", "agency", "formats", "draft", "client_copy"}`` from a form or multipart
    body; an InputError names the field at fault. Ids are checked against the profiles that
    exist before any is loaded, so a name is never a path."""
    payers = _values(form, "payer")
    known = list_payers()
    if payers == ["all"]:
        payers = known
    if not payers:
        raise InputError("choose at least one payer (or all)", "payer")
    unknown = [p for p in payers if p not in known]
    if unknown:
        raise InputError(f"unknown payer {unknown[0]!r} (known: {', '.join(known)})", "payer")
    agency = str(form.get("agency") or "").strip()
    agencies = list_agencies()
    if agency not in agencies:
        shown = f"unknown agency {agency!r}" if agency else "choose an agency"
        raise InputError(f"{shown} (known: {', '.join(agencies)})", "agency")
    formats = _values(form, "format") or ["docx"]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError(f"{bad[0]!r} is not a format; use docx, pdf or docx,pdf", "format")
    for payer in payers:  # a broken profile is named now, not halfway through the batch
        load_payer(payer)
    load_agency(agency)
    return {
        "payers": payers,
        "agency": agency,
        "formats": formats,
        "draft": str(form.get("draft") or "").lower() in YES,
        "client_copy": str(form.get("client_copy") or "").lower() in YES,
    }
