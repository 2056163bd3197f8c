"""Which bank problems, goals and objectives fit a client: relevance, ranking, coverage.

Relevance comes from the severity band of the client's intake scores on a problem's
instruments and from keyword hits in the presenting problem; diagnoses take turns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import itemgetter

from pipeline.clinical.measures import screens_negative
from pipeline.findings import Finding, warning
from pipeline.goalbank.bank import (
    BankGoal,
    BankObjective,
    Family,
    GoalBank,
    Problem,
    Target,
)
from pipeline.merge.client import ClientFacts
from pipeline.merge.keywords import keyword_hits
from pipeline.merge.memo import table
from pipeline.model import Goal, Origin, Plan

UNCOVERED = "MERGE010"

_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def score_target(bank: GoalBank, client: ClientFacts, objective: BankObjective) -> Target | None:
    """The bank's target for the client's score on the objective's instrument (None: not an
    instrument objective, no score, below its cut-off, or no target for it); worked out once
    a client, bank and instrument (all it reads of them)."""
    if objective.kind != "instrument":
        return None
    key = (objective.measure_key, objective.measure)
    known = client.targets.get(key)
    if known is None or known[0] is not bank:  # the bank is kept: its id() is not reused
        known = client.targets[key] = (bank, _score_target(bank, client, objective))
    return known[1]


def _score_target(bank: GoalBank, client: ClientFacts, objective: BankObjective) -> Target | None:
    score = client.scores.get(objective.measure_key)
    if score is None:
        return None
    if screens_negative(objective.measure, score, client.sex):
        return None  # below the cut-off for the client's sex (AUDIT-C 3 for a man)
    target = bank.target_for_key(objective.measure_key, score)
    return target if target and target.score is not None else None


def objective_score(bank: GoalBank, client: ClientFacts, objective: BankObjective) -> int | None:
    """Relevance of one bank objective to this client; None when it cannot be used."""
    if objective.kind == "instrument":
        target = score_target(bank, client, objective)
        return None if target is None else 100 + 10 * target.band.index
    return 50 + 5 * keyword_hits(objective.keywords, client.text) if objective.keywords else 50


def pick_objectives(
    bank: GoalBank, client: ClientFacts, goal: BankGoal, limit: int, ranked: bool, taken: set[str]
) -> list[BankObjective]:
    """The goal's best objectives: one per measure, no instrument already used in the plan."""
    return pick_scored(bank, client, goal, limit, ranked, taken)[0]


def pick_scored(
    bank: GoalBank, client: ClientFacts, goal: BankGoal, limit: int, ranked: bool, taken: set[str]
) -> tuple[list[BankObjective], int]:
    """:func:`pick_objectives`, and the sum of their :func:`objective_score` (worked out
    here as that function does, once an objective)."""
    fixed, varying = _goal_rows(bank, goal.id)
    scored = list(fixed[1 if ranked else 0])  # objectives scored 50 whoever the client is
    text = client.text
    for index, objective, measure in varying:
        if objective.kind == "instrument":
            target = score_target(bank, client, objective)
            if target is None:
                continue
            score = 100 + 10 * target.band.index
        else:
            score = 50 + 5 * keyword_hits(objective.keywords, text)
        scored.append((-score if ranked else 0, objective.order, index, score, objective, measure))
    chosen: list[BankObjective] = []
    total = 0
    measures = set(taken)
    for _, _, _, score, objective, key in sorted(scored, key=itemgetter(0, 1, 2)):
        if key in measures:
            continue
        measures.add(key)
        chosen.append(objective)
        total += score
        if len(chosen) >= limit:
            break
    return chosen, total


#: (sort key, order, position in the goal's rows, score, objective, measure lower-cased)
Scored = tuple[int, int, int, int, BankObjective, str]
Varying = tuple[tuple[int, BankObjective, str], ...]
Rows = tuple[tuple[tuple[Scored, ...], tuple[Scored, ...]], Varying]


def _goal_rows(bank: GoalBank, goal_id: str) -> Rows:
    """A bank goal's objectives as :func:`pick_scored` sorts them: those scored 50 for
    every client (neither an instrument nor keywords) as :data:`Scored` entries, unranked and
    ranked; and the others with their position and measure lower-cased, in row order
    (worked out once a bank and goal; the position keeps the sort of all rows stable)."""
    memo = table(bank, "goal rows")
    found = memo.get(goal_id)
    if found is None:
        fixed: list[tuple[int, BankObjective, str]] = []
        varying: list[tuple[int, BankObjective, str]] = []
        for index, objective in enumerate(bank.objectives_by_goal.get(goal_id, ())):
            row = (index, objective, objective.measure.lower())
            dynamic = objective.kind == "instrument" or objective.keywords
            (varying if dynamic else fixed).append(row)
        unranked = tuple((0, o.order, i, 50, o, m) for i, o, m in fixed)
        ranked = tuple((-50, o.order, i, 50, o, m) for i, o, m in fixed)
        found = memo[goal_id] = ((unranked, ranked), tuple(varying))
    return found


def problem_relevance(bank: GoalBank, client: ClientFacts, problem: Problem) -> int:
    """20 for each band of the client's most severe score on the problem's instruments (the
    mildest band counts 1), 10 for each of its keywords the client's words name."""
    band = -1  # bands count from 0 (the mildest)
    for objective in bank.scored_by_problem.get(problem.id, ()):
        target = score_target(bank, client, objective)
        if target is not None and target.band.index > band:
            band = target.band.index
    return 20 * (band + 1) + 10 * keyword_hits(problem.keywords, client.text)


def problem_keys(bank: GoalBank, client: ClientFacts, problem: Problem) -> frozenset[str]:
    """What a goal on the problem plans for this client: the client's diagnosis families and
    the domains the problem belongs to. One goal per diagnosis and per domain: the bank adds a
    goal only for a problem with a key no goal has yet (unless the intake wrote more)."""
    memo = table(bank, "problem keys")
    key = (problem.id, client.families)
    found = memo.get(key)
    if found is None or found[0] is not problem:
        domains = {f.id for f in _domains(bank)}
        found = memo[key] = (
            problem,
            frozenset(f for f in problem.family_ids if f in client.families or f in domains),
        )
    return found[1]


def _domains(bank: GoalBank) -> tuple[Family, ...]:
    """The bank's domain families (worked out once a bank)."""
    memo = table(bank, "domains")
    domains = memo.get(0)
    if domains is None:
        domains = memo[0] = bank.domains()
    return domains


def _problems_for_code(bank: GoalBank, code: str) -> tuple[bool, tuple[Problem, ...]]:
    """Whether the bank has a (non-safety) family for the code, and the problems of those
    families, each once, in the bank's order (worked out once a bank and code)."""
    memo = table(bank, "problems by code")
    found = memo.get(code)
    if found is None:
        families = [f for f in bank.families_for_code(code) if f.kind != "safety"]
        problems = {p.id: p for f in families for p in bank.problems_by_family.get(f.id, ())}
        found = memo[code] = (bool(families), tuple(problems.values()))
    return found


def rank_problems(
    plan: Plan, bank: GoalBank, client: ClientFacts, where: str, findings: list[Finding]
) -> list[tuple[Problem, tuple[str, ...]]]:
    """Candidate problems, best first, each with the diagnosis codes that brought it.

    Each diagnosis (primary first) and then the keyword-matched domains form a queue of
    problems by relevance; the queues are taken in turns, so every diagnosis gets its best
    problem before any gets a second one. A problem shared by several diagnoses comes once.
    """
    codes: dict[str, list[str]] = {}
    queues: list[list[Problem]] = []
    ordered = sorted(enumerate(plan.diagnoses), key=lambda d: (not d[1].primary, d[0]))
    for _, dx in ordered:
        covered, problems = _problems_for_code(bank, dx.code)
        if not covered:
            findings.append(
                warning(
                    UNCOVERED,
                    f"{where}, diagnosis {dx.code}",
                    f"the goal bank has no family for {dx.code}; write its "
                    "goals in the intake or add a family to the goal bank",
                )
            )
        for problem in problems:
            found = codes.setdefault(problem.id, [])
            if dx.code not in found:
                found.append(dx.code)
        queues.append(
            sorted(problems, key=lambda p: (-problem_relevance(bank, client, p), p.order))
        )
    domain: dict[str, tuple[int, Problem]] = {}
    for family in _domains(bank):
        hits = keyword_hits(family.keywords, client.text)
        for problem in bank.problems_by_family.get(family.id, ()) if hits else ():
            score = 10 * hits + problem_relevance(bank, client, problem)
            known = domain.get(problem.id)
            if known is None or score > known[0]:  # the first of the best scores stays
                domain[problem.id] = (score, problem)
    # on a tie, a problem of a diagnosis the client does not have comes last (CT-1004's
    # "tension with his wife" took the borderline pattern's "Unstable relationships", with DBT)
    queues.append(
        [
            p
            for _, p in sorted(
                domain.values(), key=lambda s: (-s[0], _foreign(bank, client, s[1]), s[1].order)
            )
        ]  # fmt: skip
    )
    ranked: dict[str, Problem] = {}
    for turn in range(max((len(q) for q in queues), default=0)):
        for queue in queues:
            if turn < len(queue):
                ranked.setdefault(queue[turn].id, queue[turn])
    return [(problem, tuple(codes.get(pid, ()))) for pid, problem in ranked.items()]


def _foreign(bank: GoalBank, client: ClientFacts, problem: Problem) -> bool:
    """Whether a domain's problem also belongs to a diagnosis family the client does not have
    (a pattern of that disorder, not the domain's general problem); worked out once a bank,
    problem and the client's families (all it reads)."""
    memo = table(bank, "foreign")
    key = (problem.id, client.families)
    found = memo.get(key)
    if found is None or found[0] is not problem:  # the problem is kept: its id is the bank's
        domains = {f.id for f in _domains(bank)}
        families = client.families
        found = memo[key] = (
            problem,
            any(f not in domains and f not in families for f in problem.family_ids),
        )
    return found[1]


def goal_text(goal: Goal) -> str:
    parts = [goal.client_words, goal.description, goal.problem]
    parts += [o.text for o in goal.objectives] + [o.measure for o in goal.objectives]
    parts += [i.modality for i in goal.interventions]
    parts += [i.description for i in goal.interventions]
    return " ".join(filter(None, parts)).lower()


def instruments_named(bank: GoalBank, text: str) -> set[str]:
    """Instruments a free text names ('PHQ-9', 'phq9'), as lower-case bank names."""
    found = table(bank, "instruments named").get(text)
    if found is None:
        squeezed = _NOT_ALNUM.sub("", text.lower())
        found = {name for key, name in bank.named_instruments if key in squeezed}
        table(bank, "instruments named")[text] = found
    return set(found)


def covered_by_clinician(
    bank: GoalBank, goals: list[Goal], candidates: Sequence[tuple[Problem, tuple[str, ...]]]
) -> set[str]:
    """Bank problems the clinician's own goals already address (keywords, instruments named;
    a problem one of the client's diagnoses brings wins a tie with a domain's)."""
    covered: set[str] = set()
    for goal in goals:
        if goal.origin is Origin.BANK:
            continue
        text = goal_text(goal)
        named = instruments_named(bank, text)
        best: tuple[int, int, str] | None = None
        for problem, codes in candidates:
            if problem.id in covered:
                continue
            measures = bank.measures_by_problem.get(problem.id, frozenset())
            score = keyword_hits(problem.keywords, text) + 2 * len(named & measures)
            if score and codes:  # a problem of the client's own diagnoses first, on a tie
                score += 1
            if score and (best is None or (score, -problem.order) > best[:2]):
                best = (score, -problem.order, problem.id)
        if best:
            covered.add(best[2])
    return covered
