"""Findings: warnings, errors and rule results as data, never as prints."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Finding(BaseModel):
    """One thing worth telling: a stable code, a severity, the place and a message."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{place}{self.severity.value} {self.code}: {self.message}"


#: BaseModel's instance slots, set through their descriptors (see pipeline.model.build).
_SLOTS = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
_put_dict, _put_fields, _put_extra, _put_private = (BaseModel.__dict__[n].__set__ for n in _SLOTS)
_new = object.__new__


def error(code: str, where: str, message: str) -> Finding:
    return _finding(code, Severity.ERROR, where, message)


def warning(code: str, where: str, message: str) -> Finding:
    return _finding(code, Severity.WARNING, where, message)


def info(code: str, where: str, message: str) -> Finding:
    return _finding(code, Severity.INFO, where, message)


def _finding(code: str, severity: Severity, where: str, message: str) -> Finding:
    """``Finding(code=..., severity=..., where=..., message=...)``: made without pydantic's
    validator when every text is a ``str`` (validation would return each unchanged, and the
    severity is one of ours), validated otherwise (a subclass of str, a value of another type)."""
    if type(code) is not str or type(where) is not str or type(message) is not str:
        return Finding(code=code, severity=severity, where=where, message=message)
    finding = _new(Finding)
    _put_dict(finding, {"code": code, "severity": severity, "where": where, "message": message})
    _put_fields(finding, {"code", "severity", "where", "message"})
    _put_extra(finding, None)
    _put_private(finding, None)
    return finding


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
