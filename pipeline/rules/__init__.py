"""Payer rules: run a payer profile's declarative rules over a plan and return findings.

An error finding blocks that plan's document for that payer. Each rule kind is one small
function in this package with a stable code (TXR001...); see :mod:`.registry`. Field paths in
findings count list positions from 1 (``goals[1]`` is the first goal).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline import profiles
from pipeline.findings import Finding
from pipeline.model import Plan
from pipeline.profiles import AgencyProfile, PayerProfile, RuleSpec
from pipeline.rules.registry import Context, kind, kinds, parse_params, validate_spec

__all__ = ["check", "kinds", "load_payer", "validate_payer"]

#: Rule kinds run for every payer, whether its profile lists them or not.
ALWAYS = ("safety_plan", "payer_identity", "signatures_dated")


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
    context = Context(payer=payer, agency=agency, today=today)
    findings: list[Finding] = []
    profile = payer.directory / "profile.yaml"
    specs = list(payer.rules)
    for always in ALWAYS:  # rules no profile can leave out (safety)
        if not any(spec.rule == always for spec in specs):
            specs.append(RuleSpec(rule=always, index=len(specs) + 1))
    for spec in specs:
        where = f"{profile}, rules item {spec.index}"
        rule_kind = kind(spec.rule, where)
        params = parse_params(spec, where)
        severity = spec.severity or rule_kind.severity
        for path, message in rule_kind.func(plan, params, context):
            findings.append(
                Finding(code=rule_kind.code, severity=severity, where=path, message=message)
            )
    return findings
