"""No intervention more often than the client is seen: a plan that promises "weekly"
communication skills training beside sessions every other week promises care its sessions
cannot deliver, and an audit of the notes against the plan finds the plan not followed.

The merge writes a frequency taken from the goal bank no more often than the plan's sessions
(clinical/pace.py); a clinician's own, more often, is an error here (TXR024) that names the
intervention, its frequency and the sessions. A referral is seen elsewhere and is not
counted; neither is a plan whose services' pace cannot be told (``service_details`` says
why). The rule runs for every payer.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.clinical.pace import is_referral, most_often, plan_pace
from pipeline.model import Plan
from pipeline.rules.registry import Context, Params, rule


def _times(per_week: float) -> str:
    """0.5 -> "0.5 sessions a week", 1 -> "1 session a week"."""
    text = f"{per_week:.2f}".rstrip("0").rstrip(".")
    return f"{text} session{'' if text == '1' else 's'} a week"


@rule("interventions_within_sessions", "TXR024", Params)
def interventions_within_sessions(plan: Plan, p: Params, ctx: Context) -> Iterator[tuple[str, str]]:
    """No intervention is planned more often than the plan's services see the client."""
    if not plan.services:
        return
    pace = plan_pace(plan.services)
    if pace is None:
        return
    many = len(plan.services) > 1
    for g, goal in enumerate(plan.goals, start=1):
        for i, intervention in enumerate(goal.interventions, start=1):
            rate = most_often(intervention.frequency)
            if rate is None or not pace.exceeded_by(rate) or is_referral(intervention.modality):
                continue
            seen = f"{_times(pace.per_week)} in all" if many else pace.phrase
            yield (
                f"goals[{g}].interventions[{i}].frequency",
                f"{intervention.modality} {intervention.frequency!r} is more often than the "
                f"plan's sessions ({seen}): the plan promises care no session delivers; write "
                f"it no more often than the sessions (e.g. {pace.phrase!r}), or plan the "
                "services that deliver it",
            )
