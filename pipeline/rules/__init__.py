"""Payer rules: run a payer profile's declarative rules over a plan and return findings.

An error finding blocks that plan's document for that payer. Each rule kind is one small
function in this package with a stable code (TXR001...); see :mod:`.registry`. Field paths in
findings count list positions from 1 (``goals[1]`` is the first goal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline import profiles
from pipeline.findings import Finding, Severity
from pipeline.model import Plan
from pipeline.model.build import assemble
from pipeline.profiles import AgencyProfile, PayerProfile, RuleSpec
from pipeline.rules.registry import Context, kind, kinds, parse_params, validate_spec

__all__ = ["check", "kinds", "load_payer", "validate_payer"]

#: Rule kinds run for every payer, whether its profile lists them or not.
ALWAYS = ("safety_plan", "risk_assessed", "payer_identity", "signatures_dated",
          "service_modalities", "interventions_within_sessions")  # fmt: skip


def validate_payer(payer: PayerProfile) -> PayerProfile:
    """Check every rule item of a payer: its kind exists, its parameters are right."""
    profile = payer.directory / profiles.PROFILE_FILE
    for spec in payer.rules:
        validate_spec(spec, f"{profile}, rules item {spec.index}")
    return payer


def load_payer(id: str, root: Path | None = None) -> PayerProfile:
    """A payer profile, loaded and checked against the rule registry (ConfigError if wrong)."""
    return validate_payer(profiles.load_payer(id, root or profiles.PAYERS))


def check(
    plan: Plan,
    payer: PayerProfile,
    *,
    today: dt.date | None = None,
    agency: AgencyProfile | None = None,
) -> list[Finding]:
    """Every finding of the payer's rules on one plan, in the profile's rule order.

    ``today`` stands in for a missing ``plan_date``; ``agency`` lets its clinician list
    supply credentials the plan's signatures leave out.
    """
    context = _context(payer, agency, today)
    findings: list[Finding] = []
    for func, params, code, severity in _rules(payer):
        for path, message in func(plan, params, context):
            values = {"code": code, "severity": severity, "where": path, "message": message}
            if type(path) is str and type(message) is str and type(severity) is Severity:
                findings.append(assemble(Finding, values))
            else:
                findings.append(Finding(**values))
    return findings


def _context(payer: PayerProfile, agency: AgencyProfile | None, today: dt.date | None) -> Context:
    """``Context(payer, agency, today)``, the one made last when asked for the same (a batch
    checks every plan for a few payers, one agency and one day): all three are immutable and
    kept with it, compared by identity (the day by value)."""
    last = _LAST_CONTEXT[0]
    if last is not None and last.payer is payer and last.agency is agency and last.today == today:
        return last
    context = _LAST_CONTEXT[0] = Context(payer=payer, agency=agency, today=today)
    return context


_LAST_CONTEXT: list[Context | None] = [None]


Compiled = tuple[Callable[..., Any], Any, str, Severity]
#: id(payer profile) -> (the profile, its rules compiled): a profile's rules are looked up and
#: their parameters validated once, not once a plan. The profile itself is kept with them, so
#: its id() cannot be reused while the entry lives.
_COMPILED: dict[int, tuple[PayerProfile, list[Compiled]]] = {}


def _rules(payer: PayerProfile) -> list[Compiled]:
    """The payer's rules in the profile's order, then those every payer runs: each as its
    function, validated parameters, code and severity."""
    entry = _COMPILED.get(id(payer))
    if entry is not None and entry[0] is payer:  # a profile is immutable
        return entry[1]
    profile = payer.directory / "profile.yaml"
    specs = list(payer.rules)
    for always in ALWAYS:  # rules no profile can leave out (safety)
        if not any(spec.rule == always for spec in specs):
            specs.append(RuleSpec(rule=always, index=len(specs) + 1))
    compiled = []
    for spec in specs:
        where = f"{profile}, rules item {spec.index}"
        rule_kind = kind(spec.rule, where)
        params = parse_params(spec, where)
        compiled.append(
            (rule_kind.func, params, rule_kind.code, spec.severity or rule_kind.severity)
        )
    if len(_COMPILED) >= 64:  # a handful of payers a batch; bounded all the same
        _COMPILED.clear()
    _COMPILED[id(payer)] = (payer, compiled)
    return compiled
