"""What the merge knows about a client, worked out once a plan: their scores' baselines, age,
formats and words (:class:`ClientFacts`), and the dates the merge writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache

from pipeline.clinical.formats import formats_of
from pipeline.clinical.pace import Pace, plan_pace
from pipeline.goalbank.bank import GoalBank, Target, instrument_key
from pipeline.model import Plan


@dataclass(frozen=True)
class ClientFacts:
    """What ranking and filling need from a plan, computed once."""

    scores: dict[str, int]  #: instrument key -> baseline total (on or before the plan date)
    text: str  #: presenting problem and assessment, lower-case
    plan_date: dt.date
    review_date: dt.date
    responsible: str  #: who is responsible for interventions by default
    #: instrument key -> the baseline's administration date (None: undated)
    baseline_dates: dict[str, dt.date | None] = field(default_factory=dict)
    #: instrument key -> (name, first date) of instruments given only after the plan date
    only_later: dict[str, tuple[str, dt.date]] = field(default_factory=dict)
    intake_date: dt.date | None = None
    sex: str | None = None  #: sex assigned at birth (AUDIT-C's cut-off)
    #: the bank's diagnosis families of the plan's diagnoses (whose evidence fits the client)
    families: frozenset[str] = frozenset()
    #: alternative group -> the words of the treatment the plan carries (merge/alternatives.py)
    alternatives: dict[str, frozenset[str]] = field(default_factory=dict)
    #: the groups whose treatment the intake names (not chosen for the clinician)
    named_alternatives: frozenset[str] = frozenset()
    #: the session formats the plan's services bill (clinical/formats.py); None: no services
    formats: frozenset[str] | None = None
    #: the client's age in whole years on the plan date (None: no date of birth)
    age: int | None = None
    #: how often the plan's services see the client (None: no services, or a pace not told):
    #: no bank frequency is planned more often (clinical/pace.py)
    pace: Pace | None = None

    #: (instrument key, name) -> (the bank, its target for the client's score): a memo of
    #: :func:`score_target` (the bank asked about kept and checked: a batch has one), whose
    #: answer depends on the scores and sex, never changed
    targets: dict[tuple[str, str], tuple[GoalBank, Target | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def choosing(
        self, alternatives: dict[str, frozenset[str]], named: frozenset[str]
    ) -> ClientFacts:
        """These facts with the alternatives chosen: ``dataclasses.replace`` without its
        generic steps (no field of this class is computed in ``__init__``)."""
        facts = object.__new__(ClientFacts)
        facts.__dict__.update(self.__dict__, alternatives=alternatives, named_alternatives=named)
        return facts


def clinician_label(plan: Plan) -> str:
    """Who is responsible by default: the treating clinician, with credentials."""
    signer = plan.signatures.clinician
    if signer.name:
        return f"{signer.name}, {signer.credentials}" if signer.credentials else signer.name
    return "Treating clinician"


def baselines(
    plan: Plan, plan_date: dt.date
) -> tuple[dict[str, tuple[int, dt.date | None]], dict[str, tuple[str, dt.date]]]:
    """Each instrument's baseline (total, date): the administration on or nearest before the
    plan date, never a later one; an undated one only when none of its kind is dated. Also
    the instruments given only after the plan date (name, first date): they have none."""
    dated: dict[str, tuple[dt.date, int, int]] = {}
    undated: dict[str, int] = {}
    later: dict[str, tuple[str, dt.date]] = {}
    for index, measure in enumerate(plan.measures):
        if measure.total is None:
            continue
        key = instrument_key(measure.instrument)
        if measure.date is None:
            undated.setdefault(key, measure.total)
        elif measure.date > plan_date:
            if key not in later or measure.date < later[key][1]:
                later[key] = (measure.instrument, measure.date)
        elif key not in dated or (measure.date, index) > dated[key][:2]:
            dated[key] = (measure.date, index, measure.total)
    found: dict[str, tuple[int, dt.date | None]] = {k: (v[2], v[0]) for k, v in dated.items()}
    for key, total in undated.items():
        if key not in found and key not in later:
            found[key] = (total, None)
    return found, {k: v for k, v in later.items() if k not in found}


def client_facts(
    plan: Plan, plan_date: dt.date, review_date: dt.date, families: frozenset[str] = frozenset()
) -> ClientFacts:
    found, later = baselines(plan, plan_date)
    pp, assessment = plan.presenting_problem, plan.assessment
    parts = [
        pp.client_words,
        pp.description,
        pp.functional_impact,
        pp.what_would_be_different,
        *assessment.symptoms,
        *assessment.challenges,
    ]
    text = " ".join(filter(None, parts)).lower()
    return facts(
        {
            "scores": {k: v[0] for k, v in found.items()},
            "text": text,
            "plan_date": plan_date,
            "review_date": review_date,
            "responsible": clinician_label(plan),
            "baseline_dates": {k: v[1] for k, v in found.items()},
            "only_later": later,
            "intake_date": plan.intake_date,
            "sex": plan.client.sex_assigned_at_birth,
            "families": families,
            "formats": formats_of(plan.services) if plan.services else None,
            "age": age_on(plan, plan_date),
            "pace": plan_pace(plan.services) if plan.services else None,
        }
    )


def age_on(plan: Plan, day: dt.date) -> int | None:
    """The client's age in whole years on ``day`` (None without a date of birth)."""
    born = plan.client.date_of_birth
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def facts(values: dict[str, object]) -> ClientFacts:
    """``ClientFacts(**values)`` without the frozen dataclass's assignment field by field:
    every field not given takes its default, or a new one from its factory (no field is
    computed in ``__init__``; a test compares the two)."""
    made = object.__new__(ClientFacts)
    state = made.__dict__
    state.update(_DEFAULTS)
    state.update(values)
    for name, factory in _FACTORIES:
        if name not in values:
            state[name] = factory()
    return made


_DEFAULTS = {f.name: f.default for f in fields(ClientFacts) if f.default is not MISSING}
_FACTORIES = tuple(
    (f.name, f.default_factory) for f in fields(ClientFacts) if f.default_factory is not MISSING
)


@lru_cache(maxsize=1024)
def format_date(day: dt.date) -> str:
    """'April 6, 2026' (cached: plans share a few review dates)."""
    return f"{day:%B} {day.day}, {day.year}"
