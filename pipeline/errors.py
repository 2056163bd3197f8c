"""The exception hierarchy: every error names its place (file, sheet, row, column, field)."""

from __future__ import annotations


class TxplanError(Exception):
    """Base of every error txplan raises on purpose."""

    def __init__(self, message: str, where: str = "") -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


class InputError(TxplanError):
    """A whole input file cannot be used (missing, corrupt, encrypted, wrong format)."""


class ValueProblem(TxplanError):
    """One value cannot be understood (a date that is not a date, an unknown code)."""


class ConfigError(TxplanError):
    """A profile, goal bank or template is wrong."""


class TemplateError(ConfigError):
    """A template cannot be compiled or rendered (syntax, unknown variable, sandbox)."""
