"""Which bank problems fit this client and are not planned yet; which diagnoses no goal treats.

A problem is planned once: a clinician's goal addresses a problem (the one it names, or the
one its words and measures match) and, when the clinician wrote its objectives, the diagnoses
whose families hold that problem (CT-1006's "get sober" goal is its alcohol plan; the bank adds
no second alcohol goal). A domain problem that presumes the client's situation (employed, a student,
caring for children) is a candidate only when the situation fits; an unknown situation is said.
Every diagnosis is addressed by a goal or named in a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pipeline.clinical.risk import is_safety_goal
from pipeline.findings import Finding, info, warning
from pipeline.goalbank.bank import Family, GoalBank, Problem
from pipeline.merge.client import ClientFacts
from pipeline.merge.memo import table
from pipeline.merge.select import covered_by_clinician, goal_text, keyword_hits, problem_keys
from pipeline.merge.situation import FACTS, Situation
from pipeline.model import Goal, Origin, Plan

#: Read as a global (an enum member is an attribute of its class: several times slower).
BANK = Origin.BANK

SITUATION_UNKNOWN = "MERGE026"
DIAGNOSIS_UNADDRESSED = "MERGE027"
DOMAIN_IN_CLIENTS_GOAL = "MERGE042"

Candidates = Sequence[tuple[Problem, tuple[str, ...]]]


def fitting(
    candidates: Candidates,
    situation_of: Callable[[], Situation],
    client: ClientFacts,
    where: str,
    findings: list[Finding],
) -> list[tuple[Problem, tuple[str, ...]]]:
    """The candidates whose presumed situation fits the client. A problem left out because
    the situation is unknown, though the intake's words point to it, is said (MERGE026).
    ``situation_of`` gives the client's situation: asked once, and only when a candidate
    presumes one (a problem that presumes nothing fits every client)."""
    kept: list[tuple[Problem, tuple[str, ...]]] = []
    fit: Situation | None = None
    for problem, codes in candidates:
        if not problem.presumes:
            kept.append((problem, codes))
            continue
        if fit is None:
            fit = situation_of()
        if fit.fits(problem.presumes):
            kept.append((problem, codes))
            continue
        unknown = [p for p in problem.presumes if fit.known(p) is None]
        if unknown and keyword_hits(problem.keywords, client.text):
            said = " or ".join(FACTS[p][0] for p in unknown if p in FACTS)
            fields = ", ".join(f'"{FACTS[p][1]}"' for p in unknown if p in FACTS)
            findings.append(
                warning(
                    SITUATION_UNKNOWN,
                    f"{where}, problem {problem.name}",
                    f"not planned: the intake does not say whether the client is {said}; record "
                    f"{fields} (or write the goal) if it applies",
                )
            )
    return kept


def problem_named(bank: GoalBank, name: str | None) -> Problem | None:
    """The bank problem a goal names, by its name (case and spacing aside)."""
    if not name:
        return None
    names = table(bank, "problem names")
    if not names:  # the first problem of each name, as a scan in the bank's order finds it
        for problem in bank.problems.values():
            names.setdefault(problem.name.lower(), problem)
    return names.get(" ".join(name.lower().split()))


def addressed(bank: GoalBank, goal: Goal, candidates: Candidates) -> Problem | None:
    """The problem a clinician goal addresses: the one it names, else the one its words and
    measures match best among the candidates."""
    named = problem_named(bank, goal.problem)
    if named is not None:
        return named
    return best_covered(bank, goal, candidates)


def best_covered(bank: GoalBank, goal: Goal, candidates: Candidates) -> Problem | None:
    """The candidate a clinician goal's words and measures match best (None for a bank goal
    or when none matches): :func:`~pipeline.merge.select.covered_by_clinician` of the goal,
    worked out once for the same words and candidates (all it reads of them)."""
    if goal.origin is BANK:
        return None
    known = _TEXTS.get(id(goal))
    if known is None or known[0] is not goal:
        if len(_TEXTS) >= TEXTS:
            _TEXTS.clear()
        known = _TEXTS[id(goal)] = (goal, goal_text(goal))
    key = (known[1], _candidate_key(candidates))
    memo = table(bank, "covered")
    if key not in memo:
        ids = covered_by_clinician(bank, [goal], candidates)
        memo[key] = next((p for p, _ in candidates if p.id in ids), None)
    return memo[key]


#: id(goal) -> (the goal, its words): a goal is immutable and kept with its words, so its
#: id() is not reused while the entry lives (a merge asks about the same goal several times).
_TEXTS: dict[int, tuple[Goal, str]] = {}
#: Goals :data:`_TEXTS` holds before it is emptied: a clinician's goals are a plan's own, so
#: a few plans' worth (a thousand kept each plan's goals alive, and walked by the garbage
#: collector, long after their plan).
TEXTS = 64


def _candidate_key(candidates: Candidates) -> tuple[tuple[str, bool], ...]:
    """All :func:`covered_by_clinician` reads of the candidates: each one's id and whether
    diagnoses brought it; for a tuple (immutable: the merge passes one) worked out once."""
    last = _LAST_CANDIDATES[0]  # read once: (candidates, key) is replaced whole
    if type(candidates) is tuple and last[0] is candidates:
        return last[1]
    key = tuple([(p.id, bool(codes)) for p, codes in candidates])
    if type(candidates) is tuple:  # kept with its key: its id() is not reused meanwhile
        _LAST_CANDIDATES[0] = (candidates, key)
    return key


#: The tuple of candidates asked about last, and its key.
_LAST_CANDIDATES: list[tuple[object, tuple[tuple[str, bool], ...]]] = [(None, ())]


def clinician_coverage(
    plan: Plan, bank: GoalBank, goals: list[Goal], candidates: Candidates
) -> tuple[set[str], set[str]]:
    """(problem ids, diagnosis codes) the clinician's goals already plan: each goal's problem,
    and the diagnoses whose families hold the problem of a goal whose objectives the clinician
    wrote (that goal is the plan for those diagnoses)."""
    problems: set[str] = set()
    codes: set[str] = set()
    for goal in goals:
        if goal.origin is BANK or is_safety_goal(goal):
            continue
        problem = addressed(bank, goal, candidates)
        if problem is None:
            continue
        problems.add(problem.id)
        if any(o.origin is not BANK for o in goal.objectives):
            for dx in plan.diagnoses:
                if {f.id for f in bank.families_for_code(dx.code)} & set(problem.family_ids):
                    codes.add(dx.code)
    return problems, codes


def unaddressed_diagnoses(
    plan: Plan,
    bank: GoalBank,
    goals: list[Goal],
    candidates: Candidates,
    where: str,
    findings: list[Finding],
) -> None:
    """A warning (MERGE027) for each diagnosis no goal addresses, unless the bank's lack of a
    family for it was already said (MERGE010)."""
    said = {f.where for f in findings if f.code == "MERGE010"}
    linked = {code for g in goals for code in g.diagnosis_codes}
    families = {
        family
        for g in goals
        if not is_safety_goal(g) and (p := addressed(bank, g, candidates))
        for family in p.family_ids
    }
    for dx in plan.diagnoses:
        if f"{where}, diagnosis {dx.code}" in said or dx.code in linked:
            continue
        if {f.id for f in bank.families_for_code(dx.code)} & families:
            continue
        name = f" ({dx.description})" if dx.description else ""
        findings.append(
            warning(
                DIAGNOSIS_UNADDRESSED,
                f"{where}, diagnosis {dx.code}",
                f"no goal addresses {dx.code}{name}: add a goal for it, raise --max-goals, or "
                "note why it is not treated in this plan",
            )
        )


def planned_keys(
    bank: GoalBank, client: ClientFacts, goals: list[Goal], candidates: Candidates
) -> set[str]:
    """The diagnosis families and domains the goals already plan (the safety goal aside): a
    bank goal's problem's, a clinician goal's addressed problem's (see problem_keys)."""
    keys: set[str] = set()
    for goal in goals:
        if is_safety_goal(goal):
            continue
        bank_goal = bank.goals.get(goal.bank_id or "") if goal.origin is BANK else None
        if bank_goal is not None:
            problem = bank.problems.get(bank_goal.problem_id)
        else:
            problem = addressed(bank, goal, candidates)
        if problem is not None:
            keys |= problem_keys(bank, client, problem)
    return keys


#: "work on", "work through", "work out" something: a verb of the goal, not the client's job
_WORK_ON = re.compile(r"\bwork(?:ing)?\s+(?:on|through|out)\b")


def domains_named(
    bank: GoalBank, client: ClientFacts, goals: Sequence[Goal], candidates: Candidates
) -> dict[str, Goal]:
    """The domains a goal in the client's or clinician's words names besides the problem it
    addresses (2044's "I want to keep my job and stop panicking about it", an anxiety goal, names
    work): domain key -> that goal. One goal per domain: the bank adds no goal of its own words
    for a domain the client's goal already states ("I want to do my job well again and not worry
    about losing it" beside it read as the same goal twice)."""
    domains = _domains_by_id(bank)
    named: dict[str, Goal] = {}
    for goal in goals:
        if goal.origin is BANK or is_safety_goal(goal) or not goal.client_words:
            continue
        words = _WORK_ON.sub(" ", goal.client_words.lower())  # "work on my panic": no job
        for problem, codes in candidates:  # the domain's own words and the problem's
            if codes or not keyword_hits(problem.keywords, words):
                continue
            for key in problem_keys(bank, client, problem):
                family = domains.get(key)
                if family is not None and keyword_hits(family.keywords, words):
                    named.setdefault(key, goal)
    return named


def _domains_by_id(bank: GoalBank) -> dict[str, Family]:
    """The bank's domain families by id (worked out once a bank; read, never changed)."""
    found = table(bank, "domains by id")
    if not found:
        found.update((family.id, family) for family in bank.domains())
    return found


def said_domain(goal: Goal, problem: Problem, where: str) -> Finding:
    """MERGE042: the bank's goal for ``problem`` is not added, ``goal`` states its domain."""
    return info(
        DOMAIN_IN_CLIENTS_GOAL,
        f"{where}, problem {problem.name}",
        f'not added as a goal of its own: goal {goal.id} ("{goal.client_words}") names it in the '
        "client's words; add its objectives to that goal if it is to be measured",
    )
