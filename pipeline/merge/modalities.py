"""One treatment an intervention: a clinician's cell naming several is split, its dose moved out.

Intake systems give one "Interventions" cell a goal, and clinicians fill it with several
treatments separated by semicolons ("Graded exposure with a fear ladder; parent coaching").
Kept as one intervention, the documents joined it with the others' modalities as "Graded
exposure with a fear ladder; parent coaching, Academic skills coaching", which reads as one
list of uncertain parts, and a referral in the cell ("Motivational interviewing; referral to
IOP") was printed as a psychotherapy modality. Each part becomes its own intervention with
the cell's description, frequency, responsible person and rationale (what the clinician wrote
for the cell, kept verbatim); the first keeps the intervention's id, the others add ".2",
".3". A dose written into the modality after a comma ("Cognitive Processing Therapy (CPT), 12
weekly sessions") is not a modality: it is left out when the intervention has a frequency,
else it becomes the frequency. Each change is said (MERGE037, info). A part left without a
rationale (the cell gave none and the goal bank has no such treatment for the client's
problems) is said too (MERGE039, warning), naming the part, so a clinician sees why the
document's "Why" cell reads "Not recorded".
"""

from __future__ import annotations

import re

from pipeline.findings import Finding, info, warning
from pipeline.model import Goal, Intervention, Origin

SPLIT = "MERGE037"
UNEXPLAINED = "MERGE039"

_PARTS = re.compile(r"\s*;\s*")
#: A dose after the modality's last comma: "12 weekly sessions", "weekly", "8-12 sessions".
_DOSE = re.compile(
    r",\s*((?:\d+(?:\s*-\s*\d+)?\s+)?(?:(?:weekly|biweekly|fortnightly|monthly|daily|"
    r"twice weekly)\s*)?(?:sessions?|visits?)?(?:,?\s*(?:weekly|biweekly|monthly))?)\s*$",
    re.IGNORECASE,
)


def _dose(modality: str) -> tuple[str, str | None]:
    """The modality without a dose written after its last comma, and the dose."""
    found = _DOSE.search(modality)
    if found is None or not found.group(1).strip() or not re.search(r"[a-z]", found.group(1)):
        return modality, None
    return modality[: found.start()].rstrip(), found.group(1).strip()


def _first_up(text: str) -> str:
    """A part that starts a list item starts with a capital ("parent coaching")."""
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def split_intervention(intervention: Intervention) -> list[Intervention]:
    """The intervention as one intervention a treatment (itself when it names one)."""
    if intervention.origin is Origin.BANK or not intervention.modality:
        return [intervention]
    parts = [p for p in _PARTS.split(intervention.modality.strip()) if p]
    if not parts:
        return [intervention]
    frequency = intervention.frequency
    cleaned = []
    for part in parts:
        modality, dose = _dose(part)
        if dose and not frequency:
            frequency = dose
        cleaned.append(modality if len(parts) == 1 else _first_up(modality))
    if cleaned == [intervention.modality]:
        return [intervention]
    made = []
    for number, modality in enumerate(cleaned, 1):
        update: dict[str, object] = {"modality": modality, "frequency": frequency}
        if number > 1:
            update["id"] = f"{intervention.id}.{number}"
        made.append(intervention.model_copy(update=update))
    return made


def split_modalities(goals: list[Goal], where: str, findings: list[Finding]) -> list[Goal]:
    """The goals with each clinician intervention naming one treatment (see the module)."""
    out = []
    for goal in goals:
        interventions: list[Intervention] = []
        for intervention in goal.interventions:
            made = split_intervention(intervention)
            interventions.extend(made)
            if made == [intervention]:
                continue
            names = "; ".join(f"{m.id} {m.modality}" for m in made)
            what = "names several treatments" if len(made) > 1 else "names a dose"
            findings.append(
                info(
                    SPLIT,
                    f"{where}, intervention {intervention.id}",
                    f"the modality cell {what}: listed as {names}, each with the cell's "
                    "description, frequency and rationale; check them",
                )
            )
        if len(interventions) != len(goal.interventions) or any(
            a is not b for a, b in zip(interventions, goal.interventions, strict=False)
        ):
            goal = goal.model_copy(update={"interventions": tuple(interventions)})
        out.append(goal)
    return out


def unexplained_parts(goals: list[Goal], where: str, findings: list[Finding]) -> None:
    """MERGE039 for each treatment split from a cell (a MERGE037 finding names it) that has
    no rationale once the merge has completed the interventions."""
    split = {f.where.rsplit("intervention ", 1)[-1] for f in findings if f.code is SPLIT}
    if not split:
        return
    for goal in goals:
        parts = [i for i in goal.interventions if _cell(i.id) in split]
        if len(parts) < 2:
            continue  # a dose moved out of the modality: one treatment, TXR004's to say
        for part in parts:
            if part.rationale:
                continue
            findings.append(
                warning(
                    UNEXPLAINED,
                    f"{where}, intervention {part.id}",
                    f'"{part.modality}", one of the treatments of its intervention cell, has '
                    "no rationale: the cell gives none and the goal bank has no such treatment "
                    "for this client's problems; write why it fits this client",
                )
            )


def _cell(intervention_id: str) -> str:
    """The id of the cell a part was split from ("G1.I1.2" -> "G1.I1")."""
    head, _, tail = intervention_id.rpartition(".")
    return head if head and tail.isdigit() else intervention_id
