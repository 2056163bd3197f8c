"""Which bank interventions a goal gets: one treatment of each alternative group per plan.

The goal bank marks treatments that are alternatives to each other with an
``alternative_group`` (CPT, prolonged exposure and EMDR are "trauma-focused therapy"): a
client receives one of them, so a plan carries one. It is the one the intake names (a
clinician's intervention or a service modality), else the bank's first-line one: the group's
first row for the best-ranked problem that has the group. The others are at most mentioned as
alternatives considered, never planned beside it; when merge chose for the clinician, a
warning (MERGE034) says which and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import is_

from pipeline.clinical.formats import modality_format
from pipeline.findings import Finding, warning
from pipeline.goalbank.ages import in_range
from pipeline.goalbank.bank import BankIntervention, GoalBank, Problem, words
from pipeline.merge.client import ClientFacts
from pipeline.merge.memo import LIMIT, shared, table
from pipeline.model import Goal, Intervention, Origin, Plan

#: Read as a global (an enum member is an attribute of its class: several times slower).
BANK = Origin.BANK

CHOSEN_FOR_CLINICIAN = "MERGE034"


def _key(modality: str) -> frozenset[str]:
    return words(modality)


def names(tx: BankIntervention, said: frozenset[str]) -> bool:
    """Whether words an intake wrote name this treatment: all of its modality's words
    ("Prolonged Exposure (PE) therapy"), or the initials of a modality of several words
    ("CPT" for cognitive processing therapy)."""
    own = tx.modality_words
    if own and own <= said:
        return True
    parts = [w for w in tx.modality.lower().replace("-", " ").split() if w[:1].isalnum()]
    return len(parts) > 1 and "".join(p[0] for p in parts) in said


def _intake_words(plan: Plan) -> list[frozenset[str]]:
    """The words of each treatment the intake itself names, in plan order."""
    said = [
        words(f"{i.modality} {i.description or ''}")
        for g in plan.goals
        for i in g.interventions
        if i.origin is not BANK
    ]
    return said + [words(s.modality) for s in plan.services if s.modality]


def offered(tx: BankIntervention, client: ClientFacts) -> bool:
    """A treatment made for one disorder is offered only to a client diagnosed with it, one
    for some ages only to a client whose age is known and in range (a child's treatment
    never to an adult), and a couples, family or group treatment only to a plan with a
    service of that format."""
    if tx.requires and not set(tx.requires) & client.families:
        return False
    if not in_range(tx.ages, client.age):
        return False  # a child's treatment for an adult (or an unknown age), or the reverse
    needed = modality_format(tx.modality)
    return needed is None or client.formats is None or needed in client.formats


def choose(
    bank: GoalBank, plan: Plan, client: ClientFacts, problems: Iterable[Problem]
) -> ClientFacts:
    """The client facts with each alternative group's choice: the member the intake names,
    else the first offered member of the first of ``problems`` (best first) that has one."""
    said = tuple(_intake_words(plan))
    memo = table(bank, "named alternatives")
    found = memo.get(said)
    if found is None:
        found = memo[said] = _named(bank, said)
    chosen = dict(found[0])
    grouped = table(bank, "grouped interventions")
    for problem in problems:
        members = grouped.get(problem.id)
        if members is None:  # the problem's interventions of an alternative group, in order
            every = bank.interventions_by_problem.get(problem.id, ())
            members = grouped[problem.id] = tuple(tx for tx in every if tx.group)
        for tx in members:
            if tx.group not in chosen and offered(tx, client):
                chosen[tx.group] = _key(tx.modality)
    return client.choosing(chosen, found[1])


def _named(
    bank: GoalBank, said: tuple[frozenset[str], ...]
) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Each alternative group's member the intake's words name (group -> its words), and
    those groups: a pure function of the bank and the words (remembered by them)."""
    chosen: dict[str, frozenset[str]] = {}
    for group, members in bank.alternatives.items():
        hit = next((tx for text in said for tx in members if names(tx, text)), None)
        if hit is not None:
            chosen[group] = _key(hit.modality)
    return chosen, frozenset(chosen)


def interventions_for(
    bank: GoalBank, client: ClientFacts, problem: Problem, limit: int
) -> list[BankIntervention]:
    """The problem's interventions for this client, in row order, up to ``limit``: those
    offered to the client, and of each alternative group only the plan's chosen member."""
    picked: list[BankIntervention] = []
    groups: set[str] = set()
    for tx in bank.interventions_by_problem.get(problem.id, ()):
        if not offered(tx, client):
            continue  # made for another disorder
        if tx.group:
            wanted = client.alternatives.get(tx.group)
            if tx.group in groups or (wanted is not None and _key(tx.modality) != wanted):
                continue  # an alternative to the treatment the plan carries
            groups.add(tx.group)
        picked.append(tx)
        if len(picked) >= limit:
            break
    return picked


def _others(bank: GoalBank, client: ClientFacts, group: str, chosen: str) -> list[str]:
    """The group's other modalities offered to the client, in row order, each once."""
    seen = {_key(chosen)}
    others = []
    for tx in bank.alternatives.get(group, ()):
        key = _key(tx.modality)
        if key not in seen and offered(tx, client):
            seen.add(key)
            others.append(tx.modality)
    return others


def note_choices(
    bank: GoalBank, goals: Sequence[Goal], client: ClientFacts, where: str, findings: list[Finding]
) -> list[Goal]:
    """Each bank intervention that merge chose from an alternative group for the clinician
    names the alternatives considered in its rationale; the choice is said once (MERGE034)."""
    said: set[str] = set()
    done = []
    for goal in goals:
        interventions = []
        for item in goal.interventions:
            tx = bank.interventions.get(item.bank_id or "") if item.origin is BANK else None
            group = tx.group if tx is not None else ""
            if not group or group in client.named_alternatives:
                interventions.append(item)
                continue
            others = _others(bank, client, group, tx.modality)
            if others:
                considered = f"Alternatives considered: {', '.join(others)}."
                rationale = f"{item.rationale} {considered}" if item.rationale else considered
                item = _noted(item, rationale)
            if group not in said:
                said.add(group)
                what = f" ({', '.join(others)})" if others else ""
                findings.append(
                    warning(
                        CHOSEN_FOR_CLINICIAN,
                        f"{where}, goal {goal.id}, intervention {item.id}",
                        f"{tx.modality} chosen as the plan's {group}: the intake names none, and "
                        f"it is the goal bank's first-line one for {goal.problem or 'this goal'}; "
                        f"the alternatives{what} are not planned: change it if the clinician and "
                        "client choose another",
                    )
                )
            interventions.append(item)
        if not all(map(is_, interventions, goal.interventions)):  # one for one: any chosen
            goal = _with_interventions(goal, tuple(interventions))
        done.append(goal)
    return done


def _noted(item: Intervention, rationale: str) -> Intervention:
    """The intervention with this rationale: for a bank intervention (one object in many
    plans) the same copy each time, remembered with the part (immutable, kept: its id() is
    not reused while the entry lives), so the goals made of it are alike too."""
    if item.origin is not BANK:
        return item.model_copy(update={"rationale": rationale})
    key = (id(item), rationale)
    found = _NOTED.get(key)
    if found is None or found[0] is not item:
        if len(_NOTED) >= LIMIT:
            _NOTED.clear()
        found = _NOTED[key] = (item, item.model_copy(update={"rationale": rationale}))
    return found[1]


def _with_interventions(goal: Goal, interventions: tuple[Intervention, ...]) -> Goal:
    """The goal with these interventions: for a bank goal the same copy for the same goal and
    interventions (all kept with the entry, compared by identity; see :func:`_noted`)."""
    if goal.origin is not BANK:
        return goal.model_copy(update={"interventions": interventions})
    key = (id(goal), *map(id, interventions))
    found = _NOTED_GOALS.get(key)
    if (
        found is None
        or found[0] is not goal
        or any(a is not b for a, b in zip(found[1].interventions, interventions, strict=True))
    ):
        if len(_NOTED_GOALS) >= LIMIT:
            _NOTED_GOALS.clear()
        found = _NOTED_GOALS[key] = (goal, goal.model_copy(update={"interventions": interventions}))
    return found[1]


#: Bank interventions with the alternatives considered, and bank goals holding them:
#: (the part, its copy), keyed by what the copy is made of (at most LIMIT each).
_NOTED: dict[tuple[int, str], tuple[Intervention, Intervention]] = shared("noted interventions")
_NOTED_GOALS: dict[tuple[int, ...], tuple[Goal, Goal]] = shared("noted goals")
