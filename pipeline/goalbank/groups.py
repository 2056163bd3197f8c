"""The Interventions sheet's alternative groups, checked: each gives a choice, once per problem.

Interventions with the same ``alternative_group`` are alternatives a client receives one of
(merge plans one of them: pipeline/merge/alternatives.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.findings import Finding, error, warning
from pipeline.goalbank.sheets import SheetRow

LONE_ALTERNATIVE = "BANK013"


def lint_groups(path: Path | str, rows: Iterable[SheetRow]) -> list[Finding]:
    """An alternative group needs two different modalities (else there is nothing to choose
    between: a misspelt group name leaves a treatment planned beside its alternatives), and
    one problem lists a modality of a group once."""
    found: list[Finding] = []
    groups: dict[str, list[SheetRow]] = {}
    for row in rows:
        group = " ".join(row.text("alternative_group").lower().split())
        if group:
            groups.setdefault(group, []).append(row)
    for group, members in groups.items():
        modalities = {" ".join(r.text("modality").lower().split()) for r in members}
        if len(modalities) < 2:
            found.append(
                warning(
                    LONE_ALTERNATIVE,
                    members[0].where(path, "alternative_group"),
                    f'alternative group "{group}" has one modality only: nothing to choose '
                    "between; check the group's spelling on its other rows",
                )
            )
        seen: set[tuple[str, str]] = set()
        for row in members:
            key = (row.text("problem_id"), " ".join(row.text("modality").lower().split()))
            if key in seen:
                found.append(
                    error(
                        LONE_ALTERNATIVE,
                        row.where(path, "modality"),
                        f'"{row.text("modality")}" is in alternative group "{group}" twice for '
                        f"problem {key[0]}; keep one row",
                    )
                )
            seen.add(key)
    return found
