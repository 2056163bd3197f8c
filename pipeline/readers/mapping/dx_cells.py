"""Diagnosis cells as exports write them: codes with descriptions, R/O marks, code-system
prefixes (``ICD10:``, the FHIR ICD-10-CM URL), and what is not ICD-10-CM (deferred, ICD-9-CM,
SNOMED CT), reported by its code system."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.errors import ValueProblem
from pipeline.readers.mapping.values import quoted, text

_CODE = re.compile(r"\b([A-TV-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?)\b", re.I)
_PROVISIONAL = re.compile(r"\b(r/o|rule[- ]out|provisional|prov\.?|\?)(?=\W|$)|\(\?\)|\?$", re.I)


class NotIcd10(ValueProblem):
    """A diagnosis cell in another code system (``system``: ICD-9-CM, SNOMED CT) or deferred."""

    def __init__(self, message: str, system: str) -> None:
        super().__init__(message)
        self.system = system


_DEFERRED = re.compile(
    r"^(?:dx\s+|diagnosis\s+)?(?:deferred|defer|none|no diagnosis|n/?a|pending|tbd|unknown"
    r"|diagnosis deferred(?: on axis i+)?|no diagnosis on axis i+)\.?$"
    r"|^(?:799\.9|v71\.09|r69)\b",
    re.I,
)
_ICD9 = re.compile(
    r"^(?:icd[- ]?9(?:[- ]?cm)?\s*[:#]?\s*)?(?:\d{3}(?:\.\d{1,2})?|E\d{3}(?:\.\d)?)\b", re.I
)
_SNOMED = re.compile(r"^(?:(?:snomed(?:[- ]?ct)?|sct)\s*[:#|]?\s*)?\d{6,18}\b", re.I)
_FHIR_SYSTEM = re.compile(r"https?://hl7\.org/fhir/sid/icd-10(?:-cm)?\s*[|#]\s*", re.I)
_SYSTEM_PREFIX = re.compile(
    r"^\s*(?:https?://hl7\.org/fhir/sid/icd-10(?:-cm)?\s*[|#]\s*"
    r"|icd[- ]?10(?:[- ]?cm)?\s*[:#|]\s*|icd10cm\s*[:#|]?\s*)",
    re.I,
)


def _not_icd10(chunk: str) -> NotIcd10 | None:
    """Why a chunk with no ICD-10-CM code is not one: deferred, ICD-9-CM or SNOMED CT."""
    if _DEFERRED.match(chunk):
        msg = (
            f"{quoted(chunk)}: the diagnosis is deferred (no code); it is left out. Add the "
            "ICD-10-CM code once it is made"
        )
        return NotIcd10(msg, "deferred")
    if _ICD9.match(chunk):
        msg = (
            f"{quoted(chunk)} is an ICD-9-CM code, not ICD-10-CM; give the ICD-10-CM code "
            "(txplan does not convert ICD-9-CM codes)"
        )
        return NotIcd10(msg, "ICD-9-CM")
    if _SNOMED.match(chunk):
        msg = (
            f"{quoted(chunk)} looks like a SNOMED CT concept id, not ICD-10-CM; give the "
            "ICD-10-CM code (or map it in the export)"
        )
        return NotIcd10(msg, "SNOMED CT")
    return None


@dataclass(frozen=True)
class DxItem:
    """One diagnosis written in a cell: the code as written, its text, and R/O marks."""

    code: str
    description: str | None
    provisional: bool


def parse_diagnoses(value: Any) -> tuple[DxItem, ...]:
    """``"F41.1 Generalized anxiety disorder; F43.10"`` -> two items.

    Items are separated by ``;``, newlines or commas before a code; each item is a code with
    or without a description (before or after it, "-" or ":" between), and "R/O" or
    "provisional" marks it provisional.
    """
    return _diagnoses_in(text(value))


_DX_SEPARATOR = re.compile(r"\s*(?:;|\r?\n|\|)\s*|,\s*(?=(?:r/o\s+)?[A-TV-Z]\d\d)", re.I)
_DIGIT = re.compile(r"\d")
_DX_EDGES = re.compile(r"^[\s\-:–—()\[\]]+|[\s\-:–—()\[\]]+$")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_DASH_EDGES = re.compile(r"^[\s\-:–—]+|[\s\-:–—]+$")
_SPACES = re.compile(r"\s{2,}")


@lru_cache(maxsize=4096)
def _diagnoses_in(raw: str) -> tuple[DxItem, ...]:
    """The diagnoses of one cell's text. Cached: exports repeat the same few cells (the
    result depends on the text alone and is immutable), and splitting one costs ~10 µs."""
    items: list[DxItem] = []
    deferred: NotIcd10 | None = None
    raw = _FHIR_SYSTEM.sub("", raw)
    for chunk in (_SYSTEM_PREFIX.sub("", c.strip()) for c in _DX_SEPARATOR.split(raw)):
        if not chunk:
            continue
        found = list(_CODE.finditer(chunk))
        codes = [m for m in found if _DIGIT.search(m[1][1:])]
        other = _not_icd10(chunk)
        if other is not None and other.system == "deferred":
            deferred = other
            continue
        if not codes and other is not None:
            raise other
        if not codes:
            raise ValueProblem(
                f"{quoted(chunk)} has no ICD-10-CM code; write the code first, e.g. F41.1 "
                "Generalized anxiety disorder"
            )
        match = codes[0]
        provisional = bool(_PROVISIONAL.search(chunk))
        rest = (chunk[: match.start()] + " " + chunk[match.end() :]).strip()
        rest = _PROVISIONAL.sub(" ", rest)
        rest = _DX_EDGES.sub("", rest)
        for opening, closing in ("[]", "()"):  # "... [episodic paroxysmal anxiety]" keeps its ]
            rest += closing * max(0, rest.count(opening) - rest.count(closing))
        rest = _EMPTY_BRACKETS.sub(" ", rest)
        rest = _DASH_EDGES.sub("", rest)
        rest = _SPACES.sub(" ", rest)
        items.append(DxItem(code=match[1], description=rest or None, provisional=provisional))
    if not items and deferred is not None:
        raise deferred
    return tuple(items)
