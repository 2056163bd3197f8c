"""The goal bank's typed rows: families, problems, goals, objectives and interventions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.goalbank.sheets import instrument_key

_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)  # a pure function of a text (modalities repeat across plans)
def words(text: str) -> frozenset[str]:
    """The lower-case words of a text, for matching modalities ('CBT-I' -> cbt, i)."""
    return frozenset(_WORD.findall(text.lower()))


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    kind: str  #: diagnosis | domain | safety
    icd10: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    id: str
    family_ids: tuple[str, ...]
    name: str
    definition: str
    keywords: tuple[str, ...]
    order: int
    #: the client's situation it presumes (employed, student, parent): a domain goal's fit
    presumes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BankGoal:
    id: str
    problem_id: str
    client_words: str
    clinical_goal: str
    order: int


@dataclass(frozen=True)
class BankObjective:
    id: str
    goal_id: str
    text: str
    measure: str
    kind: str  #: instrument | count
    direction: str  #: up | down
    baseline: str | None
    target: str | None
    due_days: int | None
    keywords: tuple[str, ...]
    order: int
    #: instrument_key(measure), computed once when the bank is built
    measure_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "measure_key", instrument_key(self.measure))


@dataclass(frozen=True)
class BankIntervention:
    id: str
    problem_id: str
    modality: str
    description: str
    frequency: str
    evidence: str
    order: int
    #: diagnosis families the client must have for the bank to offer it (empty: any client)
    requires: tuple[str, ...] = ()
    #: interventions with the same group are alternatives: a plan carries one ("": none)
    group: str = ""
    #: (youngest, oldest) client age it is offered at, both included (None: any age)
    ages: tuple[int, int] | None = None
    #: words(modality), computed once when the bank is built
    modality_words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "modality_words", words(self.modality))
