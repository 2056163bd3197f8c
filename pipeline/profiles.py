"""Payer and agency profiles: the small YAML files under templates/ that people edit.

``templates/payers/<id>/profile.yaml`` says what a payer needs (template, review interval,
signatures, output naming and a declarative list of rules); ``templates/agencies/<id>/
agency.yaml`` says who the agency is (name, address, NPI, logo, clinicians). Loading
validates everything and raises :class:`~pipeline.errors.ConfigError` naming the file and the
item at fault.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from pipeline.bounded import load_yaml
from pipeline.clinical.npi import npi_valid
from pipeline.errors import ConfigError, InputError
from pipeline.findings import Severity
from pipeline.resources import templates_dir

TEMPLATES = templates_dir()
PAYERS = TEMPLATES / "payers"
AGENCIES = TEMPLATES / "agencies"

PROFILE_FILE = "profile.yaml"
AGENCY_FILE = "agency.yaml"

#: Who may be asked to sign a plan (the parts of ``Plan.signatures``).
SIGNER_ROLES = ("client", "clinician", "supervisor", "guardian")
#: Placeholders ``output_name`` may use.
OUTPUT_FIELDS = ("client_id", "payer", "plan_date")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_npi(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    if not npi_valid(value):
        raise ValueError(f"NPI {value!r} is not 10 digits with a valid check digit")
    return value


class RuleSpec(_Frozen):
    """One item of a payer's ``rules:`` list: a rule kind, its parameters, a severity."""

    rule: str
    severity: Severity | None = None  #: None = the rule kind's default severity
    params: dict[str, Any] = Field(default_factory=dict)
    index: int = 0  #: position in the profile's list, counted from 1 (for messages)


def normal_name(name: str) -> str:
    """A payer name compared loosely: case, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.casefold()).split())


class MemberIdFormat(_Frozen):
    """How one payer writes its member ids: a pattern over the id with separators removed."""

    label: str  #: what the payer calls it, e.g. "Medicare Beneficiary Identifier (MBI)"
    pattern: str  #: a regular expression the whole id (upper-cased, separators out) matches
    describe: str  #: the format in words, said in messages
    example: str  #: a valid id (checked against the pattern when the profile loads)
    separators: str = " -"  #: characters dropped before matching (MBI cards print dashes)
    source: str | None = None  #: where the format is published

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return value

    def normal(self, member_id: str) -> str:
        """The id as compared: upper-case, separators removed."""
        return "".join(ch for ch in member_id.strip().upper() if ch not in self.separators)

    def matches(self, member_id: str) -> bool:
        return re.fullmatch(self.pattern, self.normal(member_id)) is not None

    @model_validator(mode="after")
    def _example_matches(self) -> MemberIdFormat:
        if not self.matches(self.example):
            raise ValueError(f"example {self.example!r} does not match pattern {self.pattern!r}")
        return self


class PayerIdentity(_Frozen):
    """One payer (plan) a profile's document is for: the names it goes by and its id format."""

    name: str  #: how messages name it, e.g. "Medicare (Part B)"
    payer_names: tuple[str, ...] = Field(min_length=1)  #: names a plan's payer_name may give
    member_id: MemberIdFormat

    def named(self, payer_name: str) -> bool:
        """Whether a plan's payer name is one of this payer's names (loosely compared)."""
        return normal_name(payer_name) in {normal_name(n) for n in self.payer_names}


class PayerProfile(_Frozen):
    """What one payer needs: its document template, review cadence, signatures and rules."""

    id: str
    name: str
    description: str | None = None
    kind: Literal["docx", "pdf_form"]
    template: Path  #: absolute: the profile's folder / the file name given
    review_interval_days: int = Field(gt=0)
    plan_due_days: int | None = Field(None, gt=0)
    required_signatures: tuple[str, ...] = ()
    cosigner_role: str | None = None
    #: a co-signer is required when the clinician's credential practises under supervision
    cosign_supervised: bool = True
    #: for a minor or a client with a guardian, the guardian's signature stands for the
    #: client's (false: the client must sign themselves)
    guardian_signs: bool = True
    age_of_majority: int = Field(18, ge=1, le=25)  #: a client younger than this is a minor
    #: the payers this document is for (empty: any, e.g. the clinical plan); see payer_identity
    identity: tuple[PayerIdentity, ...] = ()
    output_name: str = "{client_id}_{payer}_{plan_date}"
    rules: tuple[RuleSpec, ...] = ()
    render: dict[str, Any] = Field(
        default_factory=dict, description="Free-form options for the writers (e.g. flatten)."
    )
    directory: Path

    @field_validator("required_signatures")
    @classmethod
    def _known_signers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for role in value:
            if role not in SIGNER_ROLES:
                raise ValueError(f"unknown signer {role!r}; use {', '.join(SIGNER_ROLES)}")
        return value

    @field_validator("output_name")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        try:
            names = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
        except ValueError as exc:
            raise ValueError(f"bad format string {value!r}: {exc}") from exc
        for name in names:
            if name not in OUTPUT_FIELDS:
                raise ValueError(f"unknown placeholder {{{name}}}; use {', '.join(OUTPUT_FIELDS)}")
        if "/" in value or "\\" in value:
            raise ValueError("must be a file name without folders")
        return value


class Clinician(_Frozen):
    """One clinician of an agency."""

    name: str
    credentials: str  #: e.g. "LCSW", "PsyD", "LPC-Associate"
    npi: str | None = None
    role: str = "therapist"  #: e.g. "therapist", "clinical supervisor"
    supervisor: str | None = None  #: name of the co-signing supervisor, for associates

    _npi = field_validator("npi")(classmethod(lambda cls, v: _check_npi(v)))


class AgencyProfile(_Frozen):
    """Who the agency is: its letterhead identity and its clinicians."""

    id: str
    name: str
    address: str
    phone: str
    fax: str | None = None
    email: str | None = None
    website: str | None = None
    npi: str
    tax_id: str | None = None
    logo: Path | None = None  #: absolute: the agency folder / the file name given
    footer: str | None = None
    clinicians: tuple[Clinician, ...] = ()
    directory: Path

    _npi = field_validator("npi")(classmethod(lambda cls, v: _check_npi(v)))

    def clinician(self, name: str | None) -> Clinician | None:
        """The clinician of that name (case and spacing ignored), or None."""
        if not name:
            return None
        wanted = " ".join(name.split()).casefold()
        for person in self.clinicians:
            if " ".join(person.name.split()).casefold() == wanted:
                return person
        return None


# --- loading -----------------------------------------------------------------------------


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError("not found; expected a profile file here", str(path))
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read ({exc})", str(path)) from exc
    except InputError as exc:
        raise ConfigError(exc.message, str(path)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark else str(path)
        raise ConfigError(f"not valid YAML: {getattr(exc, 'problem', exc)}", where) from exc
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping of keys to values at the top level", str(path))
    return data


def _validation_error(exc: ValidationError, path: Path) -> ConfigError:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return ConfigError(f"{loc}: {first['msg']}{more}", str(path))


def _rule_specs(items: Any, path: Path) -> tuple[RuleSpec, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise ConfigError("rules: expected a list of {rule: KIND, ...} items", str(path))
    specs = []
    for index, item in enumerate(items, start=1):
        where = f"{path}, rules item {index}"
        if not isinstance(item, dict) or not isinstance(item.get("rule"), str):
            raise ConfigError(
                "expected a mapping with a 'rule' kind, e.g. {rule: min_goals}", where
            )
        params = {k: v for k, v in item.items() if k not in ("rule", "severity")}
        severity = item.get("severity")
        if severity is not None and severity not in {s.value for s in Severity}:
            raise ConfigError(f"severity {severity!r}: use error, warning or info", where)
        specs.append(RuleSpec(rule=item["rule"], severity=severity, params=params, index=index))
    return tuple(specs)


def load_payer(id: str, root: Path = PAYERS) -> PayerProfile:
    """Load ``<root>/<id>/profile.yaml`` (its fields; :func:`pipeline.rules.load_payer` also
    checks each rule item against the rule registry)."""
    directory = Path(root) / id
    path = directory / PROFILE_FILE
    if not path.is_file():
        known = ", ".join(list_payers(root)) or "none"
        raise ConfigError(f"unknown payer {id!r} (known: {known})", str(path))
    data = _read_yaml(path)
    rules = _rule_specs(data.pop("rules", None), path)
    template = data.get("template")
    if not isinstance(template, str) or not template or Path(template).name != template:
        raise ConfigError("template: give the file name of the template in this folder", str(path))
    data["template"] = directory / template
    try:
        return PayerProfile(id=id, rules=rules, directory=directory, **data)
    except (ValidationError, TypeError) as exc:
        if isinstance(exc, ValidationError):
            raise _validation_error(exc, path) from exc
        raise ConfigError(str(exc), str(path)) from exc


def load_agency(id: str, root: Path = AGENCIES) -> AgencyProfile:
    """Load and validate ``<root>/<id>/agency.yaml``."""
    directory = Path(root) / id
    path = directory / AGENCY_FILE
    if not path.is_file():
        known = ", ".join(list_agencies(root)) or "none"
        raise ConfigError(f"unknown agency {id!r} (known: {known})", str(path))
    data = _read_yaml(path)
    logo = data.get("logo")
    if logo is not None:
        if not isinstance(logo, str) or Path(logo).name != logo:
            raise ConfigError("logo: give the file name of the logo in this folder", str(path))
        data["logo"] = directory / logo
    try:
        return AgencyProfile(id=id, directory=directory, **data)
    except ValidationError as exc:
        raise _validation_error(exc, path) from exc


def _list(root: Path, filename: str) -> list[str]:
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / filename).is_file())


def list_payers(root: Path = PAYERS) -> list[str]:
    """The ids of every payer folder that holds a profile.yaml."""
    return _list(root, PROFILE_FILE)


def list_agencies(root: Path = AGENCIES) -> list[str]:
    """The ids of every agency folder that holds an agency.yaml."""
    return _list(root, AGENCY_FILE)
