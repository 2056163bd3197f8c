"""A bank goal filled for one client: its best objectives and interventions, placeholders set.

The parts are assembled without pydantic's validator (:func:`pipeline.model.build.assemble`)
when the bank's rows are all text where the model wants text (checked once a bank): every
other value is made here from the client's validated plan (dates, scores, names) or is a
string built here, so validation could not change it. Goals, objectives and interventions
longer than the model's bound go through the validator (which refuses them, as before).
"""

from __future__ import annotations

import datetime as dt

from pipeline.goalbank.bank import BankObjective, GoalBank, Problem
from pipeline.merge.alternatives import interventions_for
from pipeline.merge.baseline import LOG_BASELINE, count_baseline, score_phrase
from pipeline.merge.evidence import fits, generic_rationale
from pipeline.merge.memo import table
from pipeline.merge.select import (
    ClientFacts,
    format_date,
    objective_score,
    pick_objectives,
    score_target,
)
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
        if rows is not None:
            picked = rows.get(goal.id, [])
        else:
            picked = pick_objectives(bank, client, goal, limit, ranked, used_measures)
        if picked:
            total = sum(objective_score(bank, client, o) or 0 for o in picked)
            choices.append((-total if ranked else 0, goal.order, goal, picked))
    if not choices:
        return None
    _, _, goal, picked = min(choices, key=lambda c: c[:2])
    used_measures.update(o.measure.lower() for o in picked if o.kind == "instrument")
    txs = interventions_for(bank, client, problem, limits[1])
    frequency = txs[0].frequency if txs else ""
    trusted = text_only(bank) and type(client.responsible) is str
    objectives = tuple(fill(bank, client, o, frequency, used) for o in picked)
    interventions = tuple(
        _part(
            Intervention,
            {
                "id": unique(tx.id, used),
                "modality": tx.modality,
                "description": tx.description,
                "frequency": tx.frequency,
                "responsible": client.responsible,
                "rationale": tx.evidence
                if fits(tx.evidence, client.families)
                else generic_rationale(problem.name),
                "origin": Origin.BANK,
                "bank_id": tx.id,
            },
            trusted,
        )
        for tx in txs
    )
    values = {
        "id": unique(goal.id, used),
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
    trusted = (
        trusted
        and type(codes) is tuple
        and all(type(code) is str for code in codes)
        and max(len(codes), len(objectives), len(interventions)) <= MAX_ITEMS
    )
    return _part(Goal, values, trusted)


def fill(
    bank: GoalBank, client: ClientFacts, row: BankObjective, frequency: str, used: set[str]
) -> Objective:
    """One bank objective with its placeholders filled from the client."""
    due = client.review_date
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
    values = {
        "measure": row.measure,
        "baseline": quoted,
        "target": goal_text,
        "target_date": format_date(due),
        "weeks": str(max(1, round((due - client.plan_date).days / 7))),
        "frequency": frequency,
    }
    objective = {
        "id": unique(row.id, used),
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
    return _part(Objective, objective, text_only(bank))


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
    if _LAST[0] is bank:
        return _LAST[1]
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
    _LAST[:] = [bank, memo["trusted"]]  # the bank is kept: its id() is not reused
    return memo["trusted"]


_LAST: list = [None, False]  #: the bank last asked about, and the answer
