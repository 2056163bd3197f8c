"""A bank goal filled for one client: its best objectives and interventions, placeholders set.

The parts are assembled without pydantic's validator (:func:`pipeline.model.build.assemble`)
when the bank's rows are all text where the model wants text (checked once a bank): every
other value is made here from the client's validated plan (dates, scores, names) or is a
string built here, so validation could not change it. Goals, objectives and interventions
longer than the model's bound go through the validator (which refuses them, as before).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pipeline.clinical.pace import no_more_often, paced
from pipeline.clinical.schedule import due_by
from pipeline.goalbank.bank import BankGoal, BankIntervention, BankObjective, GoalBank, Problem
from pipeline.merge.alternatives import interventions_for
from pipeline.merge.baseline import LOG_BASELINE, count_baseline, score_phrase
from pipeline.merge.client import ClientFacts, format_date
from pipeline.merge.evidence import fits, generic_rationale
from pipeline.merge.memo import LIMIT, shared, table
from pipeline.merge.select import objective_score, pick_scored, score_target
from pipeline.model import MAX_ITEMS, Goal, Intervention, Objective, Origin
from pipeline.model.build import assemble


def unique(wanted: str, used: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``... the first not in ``used`` (then used)."""
    candidate, n = wanted, 2
    while candidate in used:
        candidate, n = f"{wanted}-{n}", n + 1
    used.add(candidate)
    return candidate


def bank_goal(
    bank: GoalBank,
    client: ClientFacts,
    problem: Problem,
    codes: tuple[str, ...],
    limits: tuple[int, int],
    used: set[str],
    used_measures: set[str],
    ranked: bool = True,
    rows: dict[str, list[BankObjective]] | None = None,
) -> Goal | None:
    """The problem's best goal with its objectives and interventions, filled for the client;
    ``limits``: objectives and interventions a goal holds at most; ``rows`` gives a goal's
    objectives outright (the safety goal), by bank goal id."""
    limit = max(1, limits[0])
    choices = []
    for goal in bank.goals_by_problem.get(problem.id, ()):
        if rows is None:
            picked, total = pick_scored(bank, client, goal, limit, ranked, used_measures)
        else:
            picked = rows.get(goal.id, [])
            total = sum(objective_score(bank, client, o) or 0 for o in picked)
        if picked:
            choices.append((-total if ranked else 0, goal.order, goal, picked))
    if not choices:
        return None
    _, _, goal, picked = min(choices, key=lambda c: c[:2])
    used_measures.update([o.measure.lower() for o in picked if o.kind == "instrument"])
    txs = interventions_for(bank, client, problem, limits[1])
    # no more often than the plan's sessions: the bank's "weekly" beside sessions every other
    # week reads "every other week" (clinical/pace.py)
    frequency = txs[0].frequency if txs else ""
    if client.pace is not None:
        frequency = no_more_often(frequency, client.pace)
    trusted = text_only(bank) and type(client.responsible) is str
    objectives = tuple([fill(bank, client, o, frequency, used) for o in picked])
    interventions = tuple(
        [_intervention(bank, tx, unique(tx.id, used), client, problem, trusted) for tx in txs]
    )
    part_id = unique(goal.id, used)
    trusted = (
        trusted
        and type(codes) is tuple
        and all(type(code) is str for code in codes)
        and max(len(codes), len(objectives), len(interventions)) <= MAX_ITEMS
    )
    if not trusted:
        return Goal(**_goal(goal, problem, part_id, codes, objectives, interventions))
    # Its objectives and interventions are kept by the goal made of them: their ids stand
    # for them while the entry lives. The bank goal and problem are kept with the entry.
    key = (part_id, id(goal), id(problem), codes, *map(id, objectives), None,
           *map(id, interventions))  # fmt: skip
    made = _FILLED_GOALS.get(key)
    if made is not None and made[0] is goal and made[1] is problem:
        return made[2]
    part = assemble(Goal, _goal(goal, problem, part_id, codes, objectives, interventions))
    _remember(_FILLED_GOALS, key, (goal, problem, part))
    return part


def _goal(goal: BankGoal, problem: Problem, part_id: str, codes: tuple[str, ...],
          objectives: tuple[Objective, ...], interventions: tuple[Intervention, ...],
          ) -> dict[str, object]:  # fmt: skip
    """The values of one filled bank goal (see :func:`bank_goal`)."""
    return {
        "id": part_id,
        "client_words": goal.client_words,
        "description": goal.clinical_goal,
        "problem": problem.name,
        "problem_definition": problem.definition,
        "diagnosis_codes": codes,
        "objectives": objectives,
        "interventions": interventions,
        "origin": Origin.BANK,
        "bank_id": goal.id,
    }


def _intervention(
    bank: GoalBank,
    tx: BankIntervention,
    part_id: str,
    client: ClientFacts,
    problem: Problem,
    trusted: bool,
) -> Intervention:
    """One bank intervention for the client: the same values give the same (immutable) part
    (see :func:`fill`)."""
    fitting = fits(tx.evidence, client.families)
    rationale = tx.evidence if fitting else generic_rationale(problem.name)
    frequency = tx.frequency
    if client.pace is not None:  # no more often than the sessions (a referral's as it is)
        frequency = paced(frequency, tx.modality, client.pace)
    key = (part_id, id(tx), client.responsible, rationale, frequency)
    return _made(_FILLED_TX, key, tx, Intervention, trusted, _intervention_values,
                 tx, part_id, client.responsible, rationale, frequency)  # fmt: skip


def _intervention_values(
    tx: BankIntervention,
    part_id: str,
    responsible: str | None,
    rationale: str | None,
    frequency: str,
) -> dict[str, object]:
    """The values of one filled bank intervention (see :func:`_intervention`)."""
    return {
        "id": part_id,
        "modality": tx.modality,
        "description": tx.description,
        "frequency": frequency,
        "responsible": responsible,
        "rationale": rationale,
        "origin": Origin.BANK,
        "bank_id": tx.id,
    }


def fill(
    bank: GoalBank, client: ClientFacts, row: BankObjective, frequency: str, used: set[str]
) -> Objective:
    """One bank objective with its placeholders filled from the client. A part is immutable
    and made only from the values in the memo's key (the bank row, kept with the part so its
    id() is not reused, and the client's values the part states), so an objective filled
    with the same values is the part made before (keyed by content, bounded; a bank whose
    rows are not all text is validated each time, never remembered)."""
    due = due_by(client.review_date)  # the last day of the period the review ends
    if row.due_days:
        due = min(due, client.plan_date + dt.timedelta(days=row.due_days))
    baseline_date = None
    if row.kind == "instrument":
        target = score_target(bank, client, row)
        baseline = str(client.scores[row.measure_key])
        baseline_date = client.baseline_dates.get(row.measure_key)
        quoted = score_phrase(baseline, baseline_date)
        goal_text = target.text if target else ""
    elif row.baseline == LOG_BASELINE:
        baseline, quoted, baseline_date = count_baseline(client, row.measure)
        goal_text = row.target or ""
    else:
        baseline, goal_text = row.baseline or "", row.target or ""
        quoted = baseline
    if row.id in used:
        part_id = unique(row.id, used)
    else:
        part_id = row.id
        used.add(part_id)
    last = _LAST[0]  # read once: (bank, answer) is replaced whole
    trusted = last[1] if last[0] is bank else text_only(bank)
    key = (part_id, id(row), frequency, due, client.plan_date, baseline, quoted, baseline_date,
           goal_text)  # fmt: skip
    return _made(_FILLED, key, row, Objective, trusted, _objective, row, client, part_id,
                 frequency, due, baseline, quoted, baseline_date, goal_text)  # fmt: skip


def _objective(row: BankObjective, client: ClientFacts, part_id: str, frequency: str,
               due: dt.date, baseline: str, quoted: str, baseline_date: dt.date | None,
               goal_text: str) -> dict[str, object]:  # fmt: skip
    """The values of one filled bank objective (see :func:`fill`)."""
    values = {
        "measure": row.measure,
        "baseline": quoted,
        "target": goal_text,
        "target_date": format_date(due),
        "weeks": str(max(1, round((due - client.plan_date).days / 7))),
        "frequency": frequency,
    }
    return {
        "id": part_id,
        "text": row.text.format_map(values),
        "measure": row.measure,
        "baseline": baseline,
        "baseline_date": baseline_date,
        "target": goal_text,
        "target_date": due,
        # how often it is measured is in its text (the bank row); an intervention's session
        # frequency ("weekly, 6-8 sessions") is not a measurement frequency
        "frequency": None,
        "origin": Origin.BANK,
        "bank_id": row.id,
    }


#: Filled parts by the values they are made from: (the bank row, the part); at most LIMIT.
_FILLED: dict[tuple, tuple[BankObjective, Objective]] = shared("filled objectives")
_FILLED_TX: dict[tuple, tuple[BankIntervention, Intervention]] = shared("filled interventions")
_FILLED_GOALS: dict[tuple, tuple[BankGoal, Problem, Goal]] = shared("filled goals")


def _remember(memo: dict, key: tuple, entry: tuple) -> None:
    if len(memo) >= LIMIT:
        memo.clear()
    memo[key] = entry


def _made(memo: dict, key: tuple, row: object, cls: type, trusted: bool,
          values: Callable[..., dict[str, object]], *args: Any) -> Any:  # fmt: skip
    """The part remembered under ``key`` for this very bank ``row``, or one made of
    ``values(*args)`` (remembered when the bank is trusted; no closure is made for a part
    found)."""
    made = memo.get(key) if trusted else None
    if made is not None and made[0] is row:
        return made[1]
    part = _part(cls, values(*args), trusted)
    if trusted:
        _remember(memo, key, (row, part))
    return part


def _part(cls: type, values: dict[str, object], trusted: bool) -> object:
    return assemble(cls, values) if trusted else cls(**values)


_TEXT = {
    "objectives": ("id", "text", "measure"),
    "interventions": ("id", "modality", "description", "frequency", "evidence"),
    "goals": ("id", "client_words", "clinical_goal"),
    "problems": ("name", "definition"),
}
_OPTIONAL_TEXT = {"objectives": ("baseline", "target")}


def text_only(bank: GoalBank) -> bool:
    """Whether every bank value a filled part takes as it is is text where the model wants
    text (a bank read from its workbook always is; a bank made otherwise may not be)."""
    last = _LAST[0]
    if last[0] is bank:
        return last[1]
    memo = table(bank, "assembled")
    if "trusted" not in memo:
        memo["trusted"] = all(
            all(type(getattr(row, name)) is str for name in names)
            and all(
                getattr(row, name) is None or type(getattr(row, name)) is str
                for name in _OPTIONAL_TEXT.get(kind, ())
            )
            for kind, names in _TEXT.items()
            for row in getattr(bank, kind).values()
        )
    _LAST[0] = (bank, memo["trusted"])  # the bank is kept: its id() is not reused
    return memo["trusted"]


_LAST: list[tuple[object, bool]] = [(None, False)]  #: the bank last asked about, and the answer
