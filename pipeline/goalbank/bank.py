"""goalbank.xlsx -> an immutable GoalBank, looked up by ICD-10-CM code and by domain.

Reading happens in two steps, as for every messy format: :func:`read_sheets` turns the
workbook into located rows exactly as the sheets hold them (lint works on these), then
:func:`build` turns clean rows into the typed bank with its indexes, so that merging a plan
costs dictionary look-ups only. :func:`load_bank` does both and raises ConfigError, naming
sheet, row and column, when the bank has errors (run ``txplan goalbank lint`` for them all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pipeline.clinical.icd10 import in_range
from pipeline.errors import ConfigError, ValueProblem
from pipeline.goalbank.ages import parse_ages
from pipeline.goalbank.records import (
    BankGoal,
    BankIntervention,
    BankObjective,
    Family,
    Problem,
    words,
)
from pipeline.goalbank.sheets import (
    DEFAULT_GOALBANK,
    SheetRow,
    instrument_key,
    read_sheets,
    split_list,
)
from pipeline.goalbank.targets import Band, Target, band_target

#: What importers of this module use (the rows' types and targets live in records.py and
#: targets.py since session 9; they are still importable from here).
__all__ = [
    "DEFAULT_GOALBANK",
    "Band",
    "BankGoal",
    "BankIntervention",
    "BankObjective",
    "Family",
    "GoalBank",
    "Problem",
    "SheetRow",
    "Target",
    "build",
    "instrument_key",
    "load_bank",
    "read_sheets",
    "words",
]


def _frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType({k: tuple(v) if isinstance(v, list) else v for k, v in mapping.items()})


@dataclass(frozen=True)
class GoalBank:
    """The goal bank, immutable, with the indexes merge needs."""

    path: str
    families: tuple[Family, ...]
    problems: MappingProxyType  #: id -> Problem
    goals: MappingProxyType  #: id -> BankGoal
    objectives: MappingProxyType  #: id -> BankObjective
    interventions: MappingProxyType  #: id -> BankIntervention
    instruments: MappingProxyType  #: instrument key -> (name, min, max)
    named_instruments: tuple[tuple[str, str], ...]  #: (key, name) lower-case, to spot in text
    bands: MappingProxyType  #: instrument key -> tuple[Band, ...]
    safety_plan: MappingProxyType  #: section -> tuple[str, ...]
    problems_by_family: MappingProxyType  #: family id -> tuple[Problem, ...]
    goals_by_problem: MappingProxyType  #: problem id -> tuple[BankGoal, ...]
    objectives_by_goal: MappingProxyType  #: goal id -> tuple[BankObjective, ...]
    interventions_by_problem: MappingProxyType  #: problem id -> tuple[BankIntervention, ...]
    targets: MappingProxyType  #: (instrument key, score) -> Target | None, each in-range score
    scored_by_problem: MappingProxyType  #: problem id -> its goals' instrument BankObjectives
    measures_by_problem: MappingProxyType  #: problem id -> frozenset of its instruments, lower-case
    #: alternative group -> its interventions in row order (every problem's)
    alternatives: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    _code_cache: dict = field(default_factory=dict, compare=False, repr=False)

    def families_for_code(self, code: str) -> tuple[Family, ...]:
        """Diagnosis and domain families whose ICD-10-CM spec holds the code (cached)."""
        if code not in self._code_cache:
            found = []
            for family in self.families:
                if not family.icd10:
                    continue
                try:
                    if in_range(code, family.icd10):
                        found.append(family)
                except ValueProblem:
                    continue
            self._code_cache[code] = tuple(found)
        return self._code_cache[code]

    def domains(self) -> tuple[Family, ...]:
        return tuple(f for f in self.families if f.kind == "domain")

    def safety_family(self) -> Family | None:
        return next((f for f in self.families if f.kind == "safety"), None)

    def target_for(self, instrument: str, baseline: int) -> Target | None:
        """The target for a baseline score by the MeasureRules, or None if not covered."""
        return self.target_for_key(instrument_key(instrument), baseline)

    def target_for_key(self, key: str, baseline: int) -> Target | None:
        """:meth:`target_for` by instrument key; in-range scores are looked up, not computed."""
        if (key, baseline) in self.targets:
            return self.targets[key, baseline]
        _, floor, _ = self.instruments.get(key, ("", 0, 0))
        return band_target(self.bands.get(key, ()), floor, baseline)

    def counts(self) -> dict[str, int]:
        """How many families, problems, goals, objectives and interventions the bank holds."""
        return {
            "families": len(self.families),
            "problems": len(self.problems),
            "goals": len(self.goals),
            "objectives": len(self.objectives),
            "interventions": len(self.interventions),
        }


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(float(value))


def build(path: Path | str, sheets: dict[str, tuple[SheetRow, ...]]) -> GoalBank:
    """The typed bank from rows that lint clean (see pipeline.goalbank.lint)."""
    families = tuple(
        Family(
            r.text("family_id"),
            r.text("name"),
            r.text("kind"),
            r.text("icd10"),
            split_list(r.text("keywords")),
        )
        for r in sheets["Families"]
    )
    problems = {
        r.text("problem_id"): Problem(
            r.text("problem_id"),
            split_list(r.text("family_ids")),
            r.text("name"),
            r.text("definition"),
            split_list(r.text("keywords")),
            i,
            split_list(r.text("presumes")),
        )
        for i, r in enumerate(sheets["Problems"])
    }
    goals = {
        r.text("goal_id"): BankGoal(
            r.text("goal_id"),
            r.text("problem_id"),
            r.text("client_words"),
            r.text("clinical_goal"),
            i,
        )
        for i, r in enumerate(sheets["Goals"])
    }
    objectives = {
        r.text("objective_id"): BankObjective(
            r.text("objective_id"),
            r.text("goal_id"),
            r.text("text"),
            r.text("measure"),
            r.text("kind"),
            r.text("direction"),
            r.text("baseline") or None,
            r.text("target") or None,
            _int(r.get("due_days")),
            split_list(r.text("keywords")),
            i,
        )
        for i, r in enumerate(sheets["Objectives"])
    }
    interventions = {
        r.text("intervention_id"): BankIntervention(
            r.text("intervention_id"),
            r.text("problem_id"),
            r.text("modality"),
            r.text("description"),
            r.text("frequency"),
            r.text("evidence"),
            i,
            tuple(split_list(r.text("requires_family"))),
            " ".join(r.text("alternative_group").lower().split()),  # case and spacing aside
            parse_ages(r.text("ages")),  # linted before: BANK014
        )
        for i, r in enumerate(sheets["Interventions"])
    }
    instruments = {
        instrument_key(r.text("instrument")): (
            r.text("instrument"),
            _int(r.get("min_score")),
            _int(r.get("max_score")),
        )
        for r in sheets["Instruments"]
    }
    bands: dict[str, list[Band]] = {}
    for r in sheets["MeasureRules"]:
        key = instrument_key(r.text("instrument"))
        found = bands.setdefault(key, [])
        value = r.get("value")
        found.append(
            Band(
                r.text("instrument"),
                r.text("band"),
                _int(r.get("min_score")) or 0,
                _int(r.get("max_score")) or 0,
                r.text("rule"),
                None if value is None else float(value),
                len(found),
            )
        )
    targets = {
        (key, score): band_target(tuple(bands.get(key, ())), low, score)
        for key, (_, low, high) in instruments.items()
        if low is not None and high is not None
        for score in range(low, high + 1)
    }
    safety: dict[str, list[str]] = {}
    for r in sheets["SafetyPlan"]:
        safety.setdefault(r.text("section"), []).append(r.text("text"))

    by_family: dict[str, list[Problem]] = {}
    for problem in problems.values():
        for fid in problem.family_ids:
            by_family.setdefault(fid, []).append(problem)
    by_problem: dict[str, list[BankGoal]] = {}
    for goal in goals.values():
        by_problem.setdefault(goal.problem_id, []).append(goal)
    by_goal: dict[str, list[BankObjective]] = {}
    for objective in objectives.values():
        by_goal.setdefault(objective.goal_id, []).append(objective)
    scored_by_problem = {
        problem_id: [
            o for g in problem_goals for o in by_goal.get(g.id, ()) if o.kind == "instrument"
        ]
        for problem_id, problem_goals in by_problem.items()
    }
    measures_by_problem = {
        problem_id: frozenset(o.measure.lower() for o in scored)
        for problem_id, scored in scored_by_problem.items()
    }
    named_instruments = tuple((k.lower(), n.lower()) for k, (n, _, _) in instruments.items())
    tx_by_problem: dict[str, list[BankIntervention]] = {}
    for tx in interventions.values():
        tx_by_problem.setdefault(tx.problem_id, []).append(tx)
    by_group: dict[str, list[BankIntervention]] = {}
    for tx in interventions.values():
        if tx.group:
            by_group.setdefault(tx.group, []).append(tx)

    return GoalBank(
        path=str(path),
        families=families,
        problems=MappingProxyType(problems),
        goals=MappingProxyType(goals),
        objectives=MappingProxyType(objectives),
        interventions=MappingProxyType(interventions),
        instruments=MappingProxyType(instruments),
        named_instruments=named_instruments,
        bands=_frozen(bands),
        safety_plan=_frozen(safety),
        problems_by_family=_frozen(by_family),
        goals_by_problem=_frozen(by_problem),
        objectives_by_goal=_frozen(by_goal),
        interventions_by_problem=_frozen(tx_by_problem),
        targets=MappingProxyType(targets),
        scored_by_problem=_frozen(scored_by_problem),
        measures_by_problem=MappingProxyType(measures_by_problem),
        alternatives=_frozen(by_group),
    )


def load_bank(path: Path = DEFAULT_GOALBANK) -> GoalBank:
    """Read, check and index a goal bank. Raises ConfigError naming the first errors' places.

    ICD-10-CM validity is left to ``txplan goalbank lint`` (it needs the code table).
    """
    from pipeline.findings import Severity
    from pipeline.goalbank.lint import lint_sheets

    path = Path(path)
    sheets = read_sheets(path)
    errors = [
        f for f in lint_sheets(path, sheets, check_codes=False) if f.severity is Severity.ERROR
    ]
    if errors:
        shown = "; ".join(str(f) for f in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise ConfigError(
            f"the goal bank has errors: {shown}{more}; run "
            f"`txplan goalbank lint {path}` to see them all",
            str(path),
        )
    return build(path, sheets)
