"""What every verb shares: counting what a batch rejected, reporting findings on stderr."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click

from pipeline.cli.guard import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_UNUSABLE,
    finding_line,
    printable,
    redact,
)
from pipeline.errors import TxplanError
from pipeline.findings import Finding, Severity

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def report(findings: Iterable[Finding], *, show_info: bool = False) -> None:
    """Print findings on stderr, one a line, errors first in each group as given."""
    for finding in findings:
        if finding.severity is Severity.INFO and not show_info:
            continue
        click.echo(finding_line(finding), err=True)


class Tally:
    """Counts what a batch rejected or could not use; its :meth:`code` is the verb's exit code."""

    def __init__(self) -> None:
        self.read = 0
        self.rejected = 0
        self.unusable = 0

    def code(self) -> int:
        """2 if some input was unusable, else 1 if some item was rejected, else 0."""
        if self.unusable:
            return EXIT_UNUSABLE
        return EXIT_REJECTED if self.rejected else EXIT_OK


def debug_enabled() -> bool:
    """Whether ``txplan --debug`` was given (tracebacks of txplan's own bugs are shown)."""
    from pipeline.cli.guard import Settings

    ctx = click.get_current_context(silent=True)
    return Settings.debug or bool(ctx and ctx.find_root().params.get("debug"))


def iter_plans(paths: Iterable[str], options: Any = None, *, tally: Tally, explain: bool = False,
               on_findings: Any = None, merging: bool = False):  # fmt: skip
    """Read every input file with the reader registry, yielding good plans.

    Findings go to stderr as they come (or to ``on_findings(findings, plan)``); a file that
    cannot be used is reported and counted, and the batch goes on with the next file. A verb
    that merges (``merging``) is told once a file which goal fields its system has no place
    for (IN045), instead of a warning on every plan.
    """
    from pathlib import Path

    from pipeline.findings import has_errors
    from pipeline.readers import ReadOptions
    from pipeline.readers.export import read_paths, said_once

    options = options or ReadOptions(explain=explain)
    for name, results in read_paths([Path(p) for p in paths], options):
        if merging:
            results = said_once(name, results, options)
        try:
            for result in results:
                if on_findings is not None:
                    on_findings(result.findings, result.plan)
                else:
                    report(result.findings, show_info=options.explain)
                if result.plan is None:
                    if has_errors(result.findings):
                        tally.rejected += 1
                    continue
                tally.read += 1
                yield result.plan
        except TxplanError as exc:
            _report_error(exc, tally)


def _report_error(exc: TxplanError, tally: Tally) -> None:
    click.echo(printable(f"error: {exc.where}: " if exc.where else "error: ")
               + printable(redact(exc.message)), err=True)  # fmt: skip
    if debug_enabled() and getattr(exc, "details", ""):
        click.echo(exc.details.rstrip(), err=True)  # type: ignore[attr-defined]
    tally.unusable += 1


def read_groups(paths: Iterable[str], *, tally: Tally, on_findings: Any):
    """The input files as the build's input groups (:class:`pipeline.batch.inputs.InputGroup`):
    each is read when the build asks, reporting and counting as :func:`iter_plans` does, and
    what it reported is replayed when the build skips it unchanged."""
    from pathlib import Path

    from pipeline.batch.inputs import InputGroup
    from pipeline.findings import Finding, Severity
    from pipeline.readers import ReadOptions
    from pipeline.readers.export import read_groups as reader_groups
    from pipeline.readers.export import said_once

    options = ReadOptions()
    for name, files, found in reader_groups([Path(p) for p in paths], options):
        results = said_once(name, found, options)  # the build merges: IN045 once a file
        said: dict[str, Any] = {"read": 0, "rejected": 0, "findings": []}

        def plans(results=results, said=said):
            try:
                for result in results:
                    on_findings(result.findings, result.plan)
                    shown = [f for f in result.findings if f.severity is not Severity.INFO]
                    if shown:
                        client = result.plan.client.id if result.plan is not None else None
                        said["findings"].append([client, [f.model_dump(mode="json")
                                                          for f in shown]])  # fmt: skip
                    if result.plan is None:
                        if any(f.severity is Severity.ERROR for f in result.findings):
                            tally.rejected += 1
                            said["rejected"] += 1
                        continue
                    tally.read += 1
                    said["read"] += 1
                    yield result.plan
            except TxplanError as exc:
                _report_error(exc, tally)
                said["unusable"] = True

        def replay(summary: dict[str, Any]) -> None:
            tally.read += summary.get("read", 0)
            tally.rejected += summary.get("rejected", 0)
            for client, findings in summary.get("findings", ()):
                on_findings([Finding.model_validate(f) for f in findings], client)

        yield InputGroup(
            name,
            files,
            plans,
            summary=lambda said=said: None if said.get("unusable") else said,
            replay=replay,
        )
