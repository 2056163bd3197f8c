"""The order of a plan's goals: safety first, then by the priority of the diagnosis each treats.

A clinician reads a plan top down and a reviewer looks for the primary diagnosis's treatment
first: it is what establishes medical necessity. So the goals are ordered by tier, keeping
their order within a tier (a stable sort):

1. the safety goal (risk is managed before anything else);
2. a goal the client's own words rank first ("Most of all I want to sleep"): the client's
   stated priority is a reason a clinician accepts, and it is said (MERGE036);
3. goals treating the primary diagnosis, then each other diagnosis in the order listed, an
   established diagnosis before a provisional (rule-out) one;
4. goals treating no diagnosis of the plan (work, school, relationships domains).

A goal treats the diagnoses its ``diagnosis_codes`` name, else those whose goal-bank family
holds its problem (by bank id or problem name). A clinician goal that moves behind another is
said (MERGE035), so the order the intake wrote is never changed silently.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import is_

from pipeline.clinical.risk import is_safety_goal
from pipeline.findings import Finding, info
from pipeline.goalbank.bank import GoalBank
from pipeline.merge.complete import by_folded_name
from pipeline.merge.memo import table
from pipeline.model import Goal, Origin, Plan

#: Read as a global (an enum member is an attribute of its class: several times slower).
BANK = Origin.BANK

MOVED = "MERGE035"
CLIENT_FIRST = "MERGE036"

#: Words with which a client ranks one goal above the others ("most of all", "first of all").
RANKED_FIRST = re.compile(
    r"\b(?:most of all|above all(?: else)?|more than anything(?: else)?|first of all|"
    r"first and foremost|before anything else|most important(?:ly)?|(?:my |the )?(?:top|main|"
    r"biggest|first|number one) priority|priority number one|number one thing|"
    r"the main thing)\b",
    re.IGNORECASE,
)


def ranked_first(goal: Goal) -> str | None:
    """The words with which the client's own goal ranks it first, if it does (never a bank
    goal: its words are the bank's, not the client's)."""
    if goal.origin is BANK:
        return None
    return _ranked_first(goal.client_words or "")


@lru_cache(maxsize=4096)  # a pure function of the words (intakes repeat goals' wording)
def _ranked_first(words: str) -> str | None:
    found = RANKED_FIRST.search(words)
    return found.group(0) if found else None


def diagnosis_ranks(plan: Plan) -> dict[str, int]:
    """Each diagnosis code's priority: the primary 0, then established diagnoses in the
    order listed, then provisional ones."""
    ordered = sorted(
        enumerate(plan.diagnoses), key=lambda d: (not d[1].primary, d[1].provisional, d[0])
    )
    ranks: dict[str, int] = {}
    for rank, (_, dx) in enumerate(ordered):
        ranks.setdefault(dx.code, rank)
    return ranks


def treated_codes(bank: GoalBank, goal: Goal, codes: list[str]) -> tuple[str, ...]:
    """The plan's diagnosis codes the goal treats: its own links, else the codes whose
    goal-bank family holds its problem (worked out once a bank problem and codes)."""
    linked = tuple([c for c in goal.diagnosis_codes if c in codes])
    if linked:
        return linked
    problem = None
    if goal.bank_id and goal.bank_id in bank.goals:
        problem = bank.problems.get(bank.goals[goal.bank_id].problem_id)
    if problem is None and goal.problem:  # the first problem of that name, in the bank's order
        problem = by_folded_name(bank).get(goal.problem.strip().casefold())
    if problem is None:
        return ()
    key = (problem.id, *codes)
    memo = table(bank, "treated codes")
    found = memo.get(key)
    if found is None or found[0] is not problem:  # the problem is kept: its id is the bank's
        families = set(problem.family_ids)
        found = memo[key] = (problem, tuple(
            c for c in codes if any(f.id in families for f in bank.families_for_code(c))
        ))  # fmt: skip
    return found[1]


def _describe(goal: Goal) -> str:
    return f"{goal.id} ({goal.problem})" if goal.problem else goal.id


def _key(bank: GoalBank, goal: Goal, codes: list[str], ranks: dict[str, int]) -> tuple[int, str]:
    """The goal's tier and what it is said to treat (or the client's words ranking it first):
    a pure function of the goal (immutable) and the plan's codes in order of priority."""
    if is_safety_goal(goal):
        return (0, "")
    treated = treated_codes(bank, goal, codes)
    tier = 2 + min((ranks[c] for c in treated), default=len(ranks))
    said = ranked_first(goal)
    return (1, said) if said and tier > 2 else (tier, ", ".join(treated))


def order_goals(
    plan: Plan, bank: GoalBank, goals: list[Goal], where: str, findings: list[Finding]
) -> list[Goal]:
    """The goals in the plan's order of priority (see the module's docstring)."""
    ranks = diagnosis_ranks(plan)
    codes = list(ranks)
    ranked = tuple(codes)
    memo = table(bank, "goal order keys")
    keys: dict[str, tuple[int, str]] = {}
    for goal in goals:
        if goal.origin is BANK:  # a bank goal's key: its fields and the plan's codes only
            known = memo.get((id(goal), ranked))
            if known is None or known[0] is not goal:
                known = memo[(id(goal), ranked)] = (goal, _key(bank, goal, codes, ranks))
            keys[goal.id] = known[1]
        else:
            keys[goal.id] = _key(bank, goal, codes, ranks)
    ordered = sorted(goals, key=lambda g: keys[g.id][0])
    # the same goals in the same places (a stable sort moves no two goals alike out of their
    # order, so this is ``ordered == goals`` without pydantic's comparison of goals)
    unmoved = all(map(is_, ordered, goals))  # as many of each
    if (
        unmoved
        and len(keys) == len(goals)  # no two goals alike (each has its own id)
        and not any(key[0] == 1 for key in keys.values())
    ):
        return goals  # nothing moved, no goal ranked first by the client's words: nothing to say
    primary = None  # the first goal of the second tier
    for goal in ordered:
        if keys[goal.id][0] == 2:
            primary = goal
            break
    for at, goal in enumerate(ordered):
        tier, said = keys[goal.id]
        if tier == 1 and primary is not None:
            findings.append(
                info(
                    CLIENT_FIRST,
                    f"{where}, goal {goal.id}",
                    f'the client\'s words rank this goal first ("{said}"): it comes before '
                    f"{_describe(primary)}, the primary diagnosis's goal; check the order "
                    "with the client",
                )
            )
            continue
        if goal.origin is BANK or at <= goals.index(goal):
            continue
        before = [g for g in ordered[:at] if goals.index(g) > goals.index(goal)]
        reason = f"it treats {said}" if said else "it treats no diagnosis of the plan"
        findings.append(
            info(
                MOVED,
                f"{where}, goal {goal.id}",
                f"placed after {', '.join(_describe(g) for g in before)}: goals follow the "
                f"diagnoses' priority (safety, then the primary diagnosis's) and {reason}; "
                "the client's words can rank a goal first",
            )
        )
    return goals if unmoved else ordered
