"""A filled review sheet, previewed then applied: what it would change, then the new versions.

The preview applies the review to each client's latest version without saving and keeps the
version numbers it started from; confirming applies it again and saves only if none of those
clients got a newer version meanwhile (else it asks to preview again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.findings import Finding, has_errors
from pipeline.versions.diff import diff_plans
from pipeline.versions.review_file import apply_review_file, lazy_bank_merger, preview_review_file
from pipeline.versions.store import Store


@dataclass
class Outcome:
    """What a review file does: per client the changes; the findings; what was saved."""

    clients: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    bases: dict[str, int] = field(default_factory=dict)  #: client -> latest version number

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def evaluate(path: Path, name: str, store: Path) -> Outcome:
    """Apply the review in memory: the changes each client's plan would get."""
    with Store(store) as st:
        result = preview_review_file(path, st, merger=lazy_bank_merger(), source=name)
    outcome = Outcome(findings=result.findings)
    for client in result.clients:
        outcome.bases[client.client_id] = client.base.number
        changes = diff_plans(client.base.plan, client.plan).changes
        outcome.clients.append(
            {
                "client_id": client.client_id,
                "from": client.base.number,
                "changes": [c.to_json() for c in changes],
            }
        )
    return outcome


def confirm(path: Path, name: str, store: Path, bases: dict[str, int]) -> list[dict[str, Any]]:
    """Apply and save; refuse when the review has errors or a plan changed since the preview."""
    with Store(store) as st:
        result = apply_review_file(path, st, merger=lazy_bank_merger(), source=name, expected=bases)
    if not result.saved:
        raise InputError("the review has errors; nothing was saved", name)
    return [
        {"client_id": c.client_id, "version": None if c.saved is None else c.saved.number}
        for c in result.clients
    ]
