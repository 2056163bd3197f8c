"""Values fit for a document: control, bidi and surrogate characters removed before a writer.

A value copied out of Word carries ``\\x0b`` (a manual line break) or ``\\x0c``; an export may
carry ``\\x00``, ``\\x1b``, a bidi override (U+202E, which shows a name backwards) or a lone
surrogate. None of them may reach a document: XML 1.0 forbids most, and the rest mislead a
reader. :func:`clean_plan` returns the plan unchanged (the same object) when it holds none,
which is what almost every plan does, at the cost of one JSON encoding and one search.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic_core import PydanticSerializationError

from pipeline.model import Plan

#: Characters no document value keeps (tab, line feed and carriage return stay).
BAD = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)
#: The same characters as a plan's JSON spells them (escaped controls, raw others).
_BAD_JSON = re.compile(
    r"\\u00(?:0[0-8bBeEfF]|1[0-9a-fA-F]|7[fF])|\\[bf]|\\u(?:[dD][89a-fA-F]|202[a-eA-E]|206[6-9]"
    "|[fF]{3}[eEfF])|[\x7f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
#: Breaks become line feeds; the rest go.
_BREAKS = {"\x0b": "\n", "\x0c": "\n"}


def clean_text(value: str) -> str:
    """The text without the characters of :data:`BAD` (vertical tab and form feed: a line)."""
    if not BAD.search(value):
        return value
    return BAD.sub(lambda m: _BREAKS.get(m.group(0), ""), value)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def needs_cleaning(plan_json: str) -> bool:
    """Whether a plan's JSON holds a character :func:`clean_text` removes. JSON spells each
    such character with a backslash or raw (DEL, bidi controls, U+FFFE/F), so JSON without
    a backslash (almost every plan) needs only the scan for the raw ones, or none if ASCII."""
    if "\\" in plan_json:
        return _BAD_JSON.search(plan_json) is not None
    if plan_json.isascii():
        return "\x7f" in plan_json
    return _BAD_RAW.search(plan_json) is not None


#: The characters :data:`_BAD_JSON` finds raw (as JSON writes them, unescaped).
_BAD_RAW = re.compile("[\x7f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


#: Plans :func:`clean_plan` found clean, by identity, each held so that its id cannot be
#: reused (a plan is immutable, so the answer stays true); bounded.
_CLEAN: dict[int, Plan] = {}
_CLEAN_SIZE = 64


def clean_plan(plan: Plan, plan_json: str | None = None) -> Plan:
    """The plan with every text value cleaned (the same plan when there was nothing to do).

    A plan found clean is remembered (by identity; it is immutable), so the writers each
    plan passes through (the registry's render, the DOCX and form writers) check it once."""
    if _CLEAN.get(id(plan)) is plan:
        return plan
    remember = plan_json is None  # the caller's JSON is the caller's word, not remembered
    if plan_json is None:
        try:
            plan_json = plan.model_dump_json()
        except PydanticSerializationError:  # a lone surrogate cannot even be encoded
            plan_json = None
    if plan_json is not None and not needs_cleaning(plan_json):
        if remember:
            _remember(plan)
        return plan
    return Plan.model_validate(_clean(plan.model_dump(mode="python")))


def known_clean(plan: Plan, plan_json: str) -> bool:
    """Whether ``plan_json``, a JSON encoding of this very plan (pydantic's, or the canonical
    JSON a build worker makes of it for its version), holds nothing :func:`clean_text`
    removes; a plan found clean is remembered, so :func:`clean_plan` does not encode it."""
    if needs_cleaning(plan_json):
        return False
    _remember(plan)
    return True


def _remember(plan: Plan) -> None:
    if len(_CLEAN) >= _CLEAN_SIZE:
        _CLEAN.clear()
    _CLEAN[id(plan)] = plan
