"""Whether an intervention's evidence note is a rationale for this client: one citing a disorder
the client is not diagnosed with ("Research support for BPD" on a plan for an adjustment
disorder) is not; a generic note ("Strong research support.") always is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from pipeline.goalbank.bank import GoalBank
from pipeline.merge.memo import table

_ANXIETY = ("GAD", "PANIC", "SOCIAL", "PHOBIA", "ANXIETY-OTHER")
_DEPRESSION = ("MDD-SINGLE", "MDD-RECURRENT", "PDD")
_SUBSTANCE = ("ALCOHOL", "CANNABIS", "OPIOID")

#: Disorders an evidence note may name, and the goal bank's diagnosis families each stands
#: for. Domain and safety words (relationship distress, anger, suicidal ideation) are not
#: diagnoses: a note naming only those is generic.
_NAMED: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), families)
    for pattern, families in (
        (r"\bBPD\b|\bborderline\b", ("BPD",)),
        (r"\bGAD\b|\bgeneralized anxiety\b", ("GAD",)),
        (r"\banxiety disorders?\b|\banxiety\b(?! and stress)", _ANXIETY),
        (r"\bdepress", _DEPRESSION),
        (r"\bPTSD\b|\btrauma", ("PTSD",)),
        (r"\bpanic\b|\bagoraphobia\b", ("PANIC",)),
        (r"\bsocial anxiety\b|\bsocial phobia\b", ("SOCIAL",)),
        (r"\bphobia\b", ("PHOBIA",)),
        (r"\bOCD\b|\bobsessive", ("OCD",)),
        (r"\bADHD\b", ("ADHD",)),
        (r"\balcohol\b|\bdrinking\b", ("ALCOHOL",)),
        (r"\bcannabis\b|\bmarijuana\b", ("CANNABIS",)),
        (r"\bopioid|\bMOUD\b|\boverdose\b", ("OPIOID",)),
        (r"\bsubstance use\b", _SUBSTANCE),
        (r"\bstimulants?\b", ()),  # no bank family: counts as naming a disorder
        (r"\binsomnia\b", ("INSOMNIA",)),
        (r"\bbipolar\b|\bmania\b|\bmood stabili", ("BIPOLAR-I", "BIPOLAR-II")),
        (r"\bschizophrenia\b|\bpsychosis\b|\bantipsychotic", ("PSYCHOSIS",)),
        (r"\bbulimia\b|\bbinge-eating\b|\beating disorders?\b", ("BED", "BULIMIA")),
        (r"\bgrief\b", ("GRIEF",)),
        (r"\badjustment\b", ("ADJUSTMENT",)),
    )
)


@lru_cache(maxsize=1024)  # a pure function of the bank's few notes: each is read once
def named_families(evidence: str | None) -> frozenset[str] | None:
    """The diagnosis families an evidence note cites (None: it cites no disorder)."""
    if not evidence:
        return None
    found: set[str] = set()
    hit = False
    for pattern, families in _NAMED:
        if pattern.search(evidence):
            hit = True
            found.update(families)
    return frozenset(found) if hit else None


def fits(evidence: str | None, diagnosed: frozenset[str]) -> bool:
    """Whether the note is generic or cites a disorder the client is diagnosed with."""
    named = named_families(evidence)
    return named is None or bool(named & diagnosed)


def diagnosed_families(bank: GoalBank, codes: Iterable[str]) -> frozenset[str]:
    """The bank's diagnosis families of the plan's diagnoses (worked out once a bank and
    codes, all it reads: plans share their diagnoses)."""
    key = tuple(codes)
    memo = table(bank, "diagnosed families")
    found = memo.get(key)
    if found is None:
        found = memo[key] = frozenset(
            f.id for code in key for f in bank.families_for_code(code) if f.kind == "diagnosis"
        )
    return found


@lru_cache(maxsize=1024)  # a pure function of a bank problem's name
def generic_rationale(problem: str | None) -> str:
    """What an intervention is for, when its evidence note cites another disorder."""
    if not problem:
        return "Chosen for the problem this goal addresses."
    return f"Chosen for {problem[0].lower()}{problem[1:]}, the problem this goal addresses."
