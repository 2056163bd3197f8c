"""What every verb shares: exit codes, error translation, reporting findings on stderr."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from ..errors import TxplanError
from ..findings import Finding, Severity

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_UNUSABLE = 2

F = TypeVar("F", bound=Callable[..., Any])


class UnusableInput(click.ClickException):
    """An input or configuration that cannot be used at all: exit 2."""

    exit_code = EXIT_UNUSABLE


def translate_errors(func: F) -> F:
    """Turn library errors into a clean message and exit 2 (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TxplanError as exc:
            raise UnusableInput(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def report(findings: Iterable[Finding], *, show_info: bool = False) -> None:
    """Print findings on stderr, one a line, errors first in each group as given."""
    for finding in findings:
        if finding.severity is Severity.INFO and not show_info:
            continue
        click.echo(str(finding), err=True)


def finish(rejected: int, unusable: int) -> None:
    """Exit with the code the counts call for."""
    if unusable:
        sys.exit(EXIT_UNUSABLE)
    if rejected:
        sys.exit(EXIT_REJECTED)
