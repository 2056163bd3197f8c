"""The client's situation a domain goal presumes: employed, a student, a parent.

Each fact is True, False or unknown (None). Recorded fields win (employment status, student,
number of children); then the occupation cell ("Machinist (laid off)", "Graduate student");
then what the intake says in so many words ("since the layoff", "moved here for college"); a
client under 18 is presumed to be at school. A Z56 (employment) or Z55 (education) diagnosis
says it too. Caring for children needs the number of children (or a parent-child diagnosis,
Z62.82x). A domain goal is planned only when every
fact it presumes is True; an unknown one is said, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.model import EmploymentStatus, Plan


class _Words:
    """A pattern of words, searched only in a text that holds one of the fragments no match
    can do without (each alternative of the pattern holds one; a property test generates
    matches of the pattern and checks that they are found)."""

    def __init__(self, pattern: str, needs: tuple[str, ...]) -> None:
        self.pattern, self.needs = re.compile(pattern), needs

    def search(self, text: str) -> re.Match[str] | None:
        if any(map(text.__contains__, self.needs)):  # the fragments tried in C, in turn
            return self.pattern.search(text)
        return None


_NOT_WORKING = _Words(
    r"\b(?:laid off|layoff|unemployed|out of work|jobless|lost (?:my|his|her|their) job|"
    r"let (?:me|him|her|them) go|on (?:medical |disability |sick )?leave|retired|"
    r"look(?:ing)? for (?:work|a job)|between jobs)\b",
    ("laid off", "layoff", "unemployed", "out of work", "jobless", " job", "let ", "leave",
     "retired", "look"),
)  # fmt: skip
_WORKING = _Words(
    r"\b(?:at work|to work|my job|my boss|(?:work )?shifts?|calling in sick|call in sick|"
    r"performance plan|co-?workers?|workplace|modified duty)\b",
    ("work", "my job", "my boss", "shift", "in sick", "performance plan", "modified duty"),
)
_STUDENT = _Words(
    r"\b(?:student|sophomore|freshman|undergrad\w*|pupil|for school|for college|my classes|"
    r"classes|class|college|university|semester|thesis|academic|school|courses|modules)\b",
    ("student", "sophomore", "freshman", "undergrad", "pupil", "school", "college", "class",
     "university", "semester", "thesis", "academic", "courses", "modules"),
)  # fmt: skip
#: The patterns above (tests check each finds what its pattern alone finds).
WORDS = (_NOT_WORKING, _WORKING, _STUDENT)
#: parent-child relational problems (ICD-10-CM Z62.82x): the client cares for a child. "My
#: kids" in an intake is not enough: a parent may not live with them (CT-1006 calls his kids).
_PARENT_CHILD = ("Z62.82",)


@dataclass(frozen=True)
class Situation:
    """What the intake says about the client's work, school and children (None: unknown),
    and where each fact came from."""

    employed: bool | None
    student: bool | None
    parent: bool | None
    sources: dict[str, str]

    def fits(self, presumes: tuple[str, ...]) -> bool:
        return all(fact in _KNOWN and getattr(self, fact) is True for fact in presumes)

    def known(self, fact: str) -> bool | None:
        return getattr(self, fact) if fact in _KNOWN else None


#: The facts a :class:`Situation` knows (any other is unknown).
_KNOWN = frozenset(("employed", "student", "parent"))


def _age(plan: Plan, on: dt.date) -> int | None:
    born = plan.client.date_of_birth
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def situation(plan: Plan, text: str, on: dt.date) -> Situation:
    """The client's situation from the plan's fields, occupation and intake words (``text``,
    lower-case)."""
    client, sources = plan.client, {}
    occupation = (client.occupation or "").lower()
    age = _age(plan, on)

    employed: bool | None = None
    if client.employment_status is not None:
        employed = client.employment_status is EmploymentStatus.EMPLOYED
        sources["employed"] = "employment status"
    elif any(dx.code.startswith("Z56") for dx in plan.diagnoses):  # employment problems
        employed = not any(dx.code.startswith("Z56.0") for dx in plan.diagnoses)  # unemployment
        sources["employed"] = "diagnosis"
    elif occupation and (_NOT_WORKING.search(occupation) or _STUDENT.search(occupation)):
        employed, sources["employed"] = False, "occupation"
    elif occupation:
        employed, sources["employed"] = True, "occupation"
    elif _NOT_WORKING.search(text):
        employed, sources["employed"] = False, "intake text"
    elif _WORKING.search(text):
        employed, sources["employed"] = True, "intake text"

    student: bool | None = client.student
    if student is not None:
        sources["student"] = "student"
    elif any(dx.code.startswith("Z55") for dx in plan.diagnoses):  # education problems
        student, sources["student"] = True, "diagnosis"
    elif occupation and _STUDENT.search(occupation):
        student, sources["student"] = True, "occupation"
    elif age is not None and age < 18:
        student, sources["student"] = True, "age"
    elif _STUDENT.search(text):
        student, sources["student"] = True, "intake text"

    parent: bool | None = None
    if client.dependents is not None:
        parent, sources["parent"] = client.dependents > 0, "dependents"
    elif any(dx.code.startswith(_PARENT_CHILD) for dx in plan.diagnoses):
        parent, sources["parent"] = True, "diagnosis"
    elif age is not None and age < 18:
        parent, sources["parent"] = False, "age"
    return Situation(employed, student, parent, sources)


#: what a presumed fact is called in a finding, and the intake field that records it
FACTS = {
    "employed": ("employed", "Employment Status"),
    "student": ("a student", "Student"),
    "parent": ("caring for children", "Number of Children"),
}
