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


def error(code: str, where: str, message: str) -> Finding:
    return Finding(code=code, severity=Severity.ERROR, where=where, message=message)


def warning(code: str, where: str, message: str) -> Finding:
    return Finding(code=code, severity=Severity.WARNING, where=where, message=message)


def info(code: str, where: str, message: str) -> Finding:
    return Finding(code=code, severity=Severity.INFO, where=where, message=message)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
