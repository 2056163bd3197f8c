"""The rule-kind registry: kind name -> stable code, default severity, parameters, function.

A payer profile names rule kinds with parameters (``- {rule: min_goals, count: 1}``); each
kind is one small function in a module of this package, registered with :func:`rule`.
:func:`validate_spec` checks a profile's item against the registry when the profile loads.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import ConfigError
from pipeline.findings import Severity
from pipeline.model import Plan
from pipeline.profiles import AgencyProfile, PayerProfile, RuleSpec

#: The modules that hold rule functions; importing them fills the registry.
_MODULES = (
    "diagnoses",
    "goals",
    "services",
    "modalities",
    "dates",
    "signatures",
    "safety",
    "fields",
    "identity",
    "pace",
)


class Params(BaseModel):
    """Base of every rule kind's parameters: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the plan."""

    payer: PayerProfile
    agency: AgencyProfile | None = None
    today: dt.date | None = None


#: A rule function yields (field path, message) for every problem it finds.
RuleFunc = Callable[[Plan, Any, Context], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class RuleKind:
    name: str
    code: str
    severity: Severity
    params: type[Params]
    func: RuleFunc
    summary: str


_KINDS: dict[str, RuleKind] = {}


def rule(
    name: str, code: str, params: type[Params] = Params, severity: Severity = Severity.ERROR
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under a kind name and a stable code."""

    def decorate(func: RuleFunc) -> RuleFunc:
        if name in _KINDS or any(k.code == code for k in _KINDS.values()):
            raise RuntimeError(f"rule kind {name} / code {code} registered twice")
        summary = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else name
        _KINDS[name] = RuleKind(name, code, severity, params, func, summary)
        return func

    return decorate


@cache
def _load() -> None:
    for module in _MODULES:
        importlib.import_module(f"{__package__}.{module}")


def kinds() -> dict[str, RuleKind]:
    """Every registered rule kind, by name."""
    _load()
    return dict(_KINDS)


def kind(name: str, where: str = "") -> RuleKind:
    """The rule kind of that name (ConfigError naming ``where`` if there is none)."""
    _load()
    found = _KINDS.get(name)
    if found is None:
        known = ", ".join(sorted(kinds()))
        raise ConfigError(f"unknown rule kind {name!r} (known: {known})", where)
    return found


def parse_params(spec: RuleSpec, where: str) -> Any:
    """The spec's parameters as the kind's validated Params model (ConfigError if wrong)."""
    found = kind(spec.rule, where)
    try:
        return found.params.model_validate(spec.params)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'parameters'}: {e['msg']}"
            for e in exc.errors()
        )
        raise ConfigError(f"rule {spec.rule}: {problems}", where) from exc


def validate_spec(spec: RuleSpec, where: str) -> RuleSpec:
    """Check a profile's rule item: the kind exists and its parameters are right."""
    parse_params(spec, where)
    return spec
