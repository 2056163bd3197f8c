"""One referral a plan: the same bank referral planned for two goals becomes one intervention.

Each bank problem carries its own referral ("Medication referral" for ADHD and for anxiety,
2044), so a plan with two such problems listed the same referral to the same prescriber twice,
which reads as two referrals to make. A referral is made once: the later goal's is folded
into the first goal's, whose description then says what the referral is for under each
problem and whose rationale carries both notes. Only bank interventions are folded (a
clinician's stays as written), only when the two agree on frequency and responsible person,
and never when the later goal would be left without an intervention. Each fold is said
(MERGE038, info).
"""

from __future__ import annotations

from pipeline.findings import Finding, info
from pipeline.model import Goal, Intervention, Origin

FOLDED = "MERGE038"


def _key(intervention: Intervention) -> tuple[str, str, str] | None:
    """What makes two bank referrals the same referral (None: not a bank referral)."""
    if intervention.origin is not Origin.BANK or "referral" not in intervention.modality.lower():
        return None
    return (
        intervention.modality.strip().lower(),
        (intervention.frequency or "").strip().lower(),
        (intervention.responsible or "").strip().lower(),
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _lower_first(text: str) -> str:
    """ "Refer to ..." -> "refer to ..." (an acronym first, "SSRI ...", stays)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _named(goal: Goal) -> str:
    return f'"{goal.problem}" (goal {goal.id})' if goal.problem else f"goal {goal.id}"


def _fold(kept: Intervention, later: Intervention, problem: str | None) -> Intervention:
    """``kept`` also covering ``later`` (planned for ``problem``)."""
    description = kept.description or ""
    if later.description and later.description != kept.description:
        extra = _sentence(later.description)
        extra = f"For {problem.lower()}: {_lower_first(extra)}" if problem else extra
        description = f"{_sentence(description)} {extra}" if description else extra
    notes = [n.strip() for n in (kept.rationale, later.rationale) if n and n.strip()]
    rationale = " ".join(_sentence(n) for n in dict.fromkeys(notes)) or None
    return kept.model_copy(update={"description": description or None, "rationale": rationale})


def fold_referrals(goals: list[Goal], where: str, findings: list[Finding]) -> list[Goal]:
    """The goals with each bank referral listed once (see the module); ``goals`` in the order
    the documents number them."""
    bank = Origin.BANK
    referrals = [i for g in goals for i in g.interventions
                 if i.origin is bank and "eferral" in i.modality]  # fmt: skip
    if len(referrals) < 2:
        return goals  # fewer than two bank referrals: nothing to fold (most plans)
    first: dict[tuple[str, str, str], tuple[int, int]] = {}  # key -> (goal, intervention)
    out = [list(g.interventions) for g in goals]
    for g_index, goal in enumerate(goals):
        for intervention in goal.interventions:
            key = _key(intervention)
            if key is None:
                continue
            if key not in first:
                first[key] = (g_index, out[g_index].index(intervention))
                continue
            if len(out[g_index]) < 2:
                continue  # the goal's only intervention stays
            k_goal, k_index = first[key]
            kept = out[k_goal][k_index]
            out[k_goal][k_index] = _fold(kept, intervention, goal.problem)
            out[g_index].remove(intervention)
            findings.append(
                info(
                    FOLDED,
                    f"{where}, intervention {intervention.id}",
                    f"the same {intervention.modality.lower()} was planned for "
                    f"{_named(goals[k_goal])} and for {_named(goal)}: listed once, under the "
                    f"first ({kept.id}), saying what it is for under each",
                )
            )
    return [
        g if len(ivs) == len(g.interventions) and all(map(_same, ivs, g.interventions))
        else g.model_copy(update={"interventions": tuple(ivs)})
        for g, ivs in zip(goals, out, strict=True)
    ]  # fmt: skip


def _same(a: Intervention, b: Intervention) -> bool:
    return a is b
