"""A build's choices as posted (payers, agency, formats, draft), checked field by field."""

from __future__ import annotations

from typing import Any

from pipeline.batch.build import FORMATS
from pipeline.batch.decision import ALL, choose_payers
from pipeline.errors import InputError
from pipeline.profiles import list_agencies, list_payers, load_agency

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
    body; an InputError names the field at fault. ``payers`` ``["all"]`` is each client's own
    payers and the clinical plan, exactly as the command line's ``--payer all``. Ids are
    checked against the profiles that exist before any is loaded, so a name is never a
    path."""
    payers = _values(form, "payer")
    known = list_payers()
    if not payers:
        raise InputError("choose each client's own payers, or at least one payer", "payer")
    if ALL in payers and len(payers) > 1:  # as the command line's --payer
        raise InputError("choose either each client's own payers, or the payers to build "
                         "for every client, not both", "payer")  # fmt: skip
    unknown = [p for p in payers if p not in known and p != ALL]
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
    choose_payers(payers)  # a broken profile is named now, not halfway through the batch
    load_agency(agency)
    return {
        "payers": payers,
        "agency": agency,
        "formats": formats,
        "draft": str(form.get("draft") or "").lower() in YES,
        "client_copy": str(form.get("client_copy") or "").lower() in YES,
    }
