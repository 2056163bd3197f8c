"""What a build found, told once: a line per plan, and for a large batch a table by finding code.

An admin building hundreds of plans needs to see which problems block how many plans, not
thousands of near-identical lines: past :data:`PLAN_LINES` plans, the per-plan lines stop (the
manifest lists every plan's findings; ``-v`` prints them all) and a table counts the plans each
finding code touches, with one example of its message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich import box
from rich.table import Table

from pipeline.batch.manifest import finding_from_json

#: Plans listed one line each before the build summarises by finding code instead.
PLAN_LINES = 20
#: Reading findings about a whole input file (IN045: a goal field its system cannot record):
#: one line for all the files, not one a plan ("-v" lists each).
FILE_CODES = frozenset({"IN045"})


class PlanReport:
    """Each plan's findings once (not once per payer): reading findings and every payer's
    rows gathered per client, printed after the build as one line per plan, or in full."""

    def __init__(self) -> None:
        self.clients: dict[str, dict[str, Any]] = {}
        self.files: dict[str, list[Any]] = {}  #: input file -> findings about the whole file

    def _client(self, client_id: str) -> dict[str, Any]:
        return self.clients.setdefault(client_id, {"status": {}, "findings": {}})

    def add_read(self, findings: Any, plan: Any) -> None:
        """Findings of reading a plan's intake (shown with the plan's build findings);
        ``plan`` may be the plan, its client id (a skipped input replayed) or None."""
        shown = [f for f in findings if f.severity != "info"]  # (a str enum)
        if not shown:
            return
        if plan is None and all(f.code in FILE_CODES for f in shown):
            for f in shown:
                if f not in self.files.setdefault(f.where, []):
                    self.files[f.where].append(f)
            return
        if plan is not None and not isinstance(plan, str):
            plan = plan.client.id
        client = self._client(plan or "(not read)")
        for f in shown:
            client["findings"].setdefault((f.where, f.code, f.message), [f, set()])

    def add_row(self, row: Any) -> None:
        client = self._client(row.client_id)
        client["status"][row.payer] = row.status
        self._add_findings(client, row.payer, row.findings)

    def add_row_json(self, row: dict[str, Any]) -> None:
        """:meth:`add_row` of a row's JSON form (the build's ``on_row_json``): its findings
        as ``Row.from_json`` makes them, without the Row."""
        client = self._client(row["client_id"])
        client["status"][row["payer"]] = row["status"]
        self._add_findings(client, row["payer"], map(finding_from_json, row["findings"]))

    @staticmethod
    def _add_findings(client: dict[str, Any], payer: str, findings: Iterable[Any]) -> None:
        noted = client["findings"]
        for f in findings:
            if f.severity != "info":  # a Severity (a str enum), as "info" compares
                key = (f.where, f.code, f.message)
                entry = noted.get(key)
                if entry is None:
                    entry = noted[key] = [f, set()]
                entry[1].add(payer)

    def noted(self) -> list[str]:
        """Client ids of the plans with something to say (a finding, or not ok somewhere)."""
        return [
            client_id
            for client_id, client in self.clients.items()
            if client["findings"] or any(s != "ok" for s in client["status"].values())
        ]

    def lines(
        self, *, verbose: bool = False, line: Any = str, limit: int | None = None
    ) -> list[str]:
        """One line a plan (statuses and finding codes), or with ``verbose`` every distinct
        finding in full (``line`` formats one), naming the payers it was found for. With
        ``limit`` (and not verbose), at most that many plans with findings, then a line saying
        how many more there are and where they are."""
        out = self._file_lines(verbose, line)
        listed = 0
        noted = set(self.noted())
        quiet = len(self.clients) - len(noted)  # ok everywhere, nothing found
        brief = limit is not None and not verbose
        # plans with nothing to say are listed only in a small batch that is not summarised
        hide_quiet = brief and (quiet > limit or len(noted) > limit)
        for client_id, client in self.clients.items():
            if brief and client_id in noted:
                listed += 1
                if listed > limit:
                    continue
            elif hide_quiet:
                continue
            by_status: dict[str, list[str]] = {}
            for payer, status in client["status"].items():
                by_status.setdefault(status, []).append(payer)
            parts = [
                f"{status} for {_names(payers)}"
                for status, payers in sorted(by_status.items(), key=lambda i: i[0] == "ok")
            ]
            found = list(client["findings"].values())
            head = f"{client_id}: {'; '.join(parts) or 'not built'}"
            if not verbose:
                summary = [_codes(found, s) for s in ("error", "warning")]
                out.append(" · ".join([head, *(s for s in summary if s)]))
                continue
            out.append(head)
            every = set(client["status"])
            for finding, payers in found:
                only = f" [{', '.join(sorted(payers))}]" if payers and payers != every else ""
                out.append(f"  {line(finding)}{only}")
        if hide_quiet and quiet:
            out.append(f"{quiet} plan{'s' if quiet > 1 else ''} ok for every payer, nothing found")
        if brief and listed > limit:
            more = listed - limit
            out.append(
                f"… and {more} more plan{'s' if more > 1 else ''} with findings: the manifest "
                "lists each plan's findings (-v prints them all here)"
            )
        return out

    def _file_lines(self, verbose: bool, line: Any) -> list[str]:
        """The findings about whole input files: each in full, or one line for them all."""
        if verbose:
            return [f"{name}:\n  {line(f)}" for name, found in self.files.items() for f in found]
        if not self.files:
            return []
        names = list(self.files)
        shown = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
        counted = [(f, set()) for found in self.files.values() for f in found]
        return [f"{shown}: {_codes(counted, 'warning')} about the input files (-v: each)"]

    def by_code(self, *, message: Any = str) -> Table | None:
        """Errors then warnings by code: how many plans each was found in, with one example
        message (``message`` formats a finding, hiding values); None when nothing was found."""
        counts: dict[str, list[Any]] = {}
        for client in self.clients.values():
            for code in {f.code: f for f, _ in client["findings"].values()}.items():
                entry = counts.setdefault(code[0], [code[1], 0])
                entry[1] += 1
        if not counts:
            return None
        table = Table(title="Findings across the batch", box=box.SIMPLE_HEAD, title_justify="left")
        table.add_column("code")
        table.add_column("severity")
        table.add_column("plans", justify="right")
        table.add_column("for example", overflow="fold")
        order = sorted(
            counts.items(), key=lambda i: (i[1][0].severity.value != "error", -i[1][1], i[0])
        )
        for code, (finding, plans) in order:
            table.add_row(code, finding.severity.value, str(plans), message(finding))
        return table


def _names(payers: list[str]) -> str:
    """Payers by name, or how many when more than three (the table has them by name)."""
    return ", ".join(payers) if len(payers) <= 3 else f"{len(payers)} payers"


def _codes(found: list, severity: str) -> str:
    counts: dict[str, int] = {}
    for finding, _ in found:
        if finding.severity.value == severity:
            counts[finding.code] = counts.get(finding.code, 0) + 1
    if not counts:
        return ""
    total = sum(counts.values())
    listed = ", ".join(f"{c} ×{n}" if n > 1 else c for c, n in sorted(counts.items()))
    return f"{total} {severity}{'s' if total > 1 else ''} ({listed})"
