"""Says which goal-bank frequencies the merge planned less often, as the plan's sessions are.

The bank gives each treatment a typical frequency ("weekly"); a plan whose services see the
client every other week plans it every other week (clinical/pace.py), so no intervention is
promised more often than the client is seen. Each such change is said (MERGE043, info), so
the clinician can see the bank's typical pace and raise the sessions if the treatment needs
it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.clinical.pace import Pace
from pipeline.findings import Finding, info
from pipeline.goalbank.bank import GoalBank
from pipeline.model import Goal, Origin

PACED = "MERGE043"


def note_paced(
    goals: Iterable[Goal], bank: GoalBank, pace: Pace | None, where: str, findings: list[Finding]
) -> None:
    """A MERGE043 info for every bank intervention whose frequency is not the bank's."""
    if pace is None:
        return  # nothing was changed
    rows = bank.interventions
    for goal in goals:
        for intervention in goal.interventions:
            if intervention.origin is not Origin.BANK:
                continue
            row = rows.get(intervention.bank_id or "")
            if row is None or row.frequency == intervention.frequency:
                continue
            findings.append(
                info(
                    PACED,
                    f"{where}, intervention {intervention.id}",
                    f"the goal bank's {row.frequency!r} for {intervention.modality} is more "
                    f"often than the plan's sessions ({pace.phrase}): planned "
                    f"{intervention.frequency!r}; plan more sessions if the treatment needs "
                    "its usual pace",
                )
            )
