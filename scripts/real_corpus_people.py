"""The synthetic people behind tests/data/real/: who they are, and what a reader must recover.

Every export shape renders these three fictional clients its own way (its column names, date
style, code style, one or several files); the expected file of each shape lists the values of
these people that the shape carries, written here from the people, never from txplan's reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Administration:
    instrument: str
    date: dt.date
    items: tuple[int, ...] = ()
    total: int | None = None

    @property
    def score(self) -> int:
        return sum(self.items) if self.items else int(self.total or 0)


@dataclass(frozen=True)
class Person:
    first: str
    middle: str | None
    last: str
    born: dt.date
    sex: str  # "F" / "M"
    email: str
    phone: str
    payer: str
    member_id: str
    diagnoses: tuple[tuple[str, str], ...]  # (ICD-10-CM code, description)
    measures: tuple[Administration, ...] = field(default=())
    intake: dt.date = dt.date(2026, 1, 5)

    @property
    def sex_word(self) -> str:
        return "Female" if self.sex == "F" else "Male"

    def of(self, instrument: str) -> list[Administration]:
        return [m for m in self.measures if m.instrument == instrument]


PEOPLE: tuple[Person, ...] = (
    Person(
        first="Ana",
        middle="María",
        last="Rivera",
        born=dt.date(1948, 3, 14),
        sex="F",
        email="ana.rivera@example.org",
        phone="555-0101",
        payer="Aetna",
        member_id="W123456789",
        diagnoses=(
            ("F33.1", "Major depressive disorder, recurrent, moderate"),
            ("F41.1", "Generalized anxiety disorder"),
        ),
        measures=(
            Administration("PHQ-9", dt.date(2026, 1, 5), (2, 2, 2, 1, 1, 2, 1, 1, 1)),
            Administration("PHQ-9", dt.date(2026, 2, 2), (1, 1, 1, 1, 1, 1, 1, 1, 1)),
            Administration("GAD-7", dt.date(2026, 1, 5), (2, 2, 1, 1, 1, 1, 1)),
        ),
    ),
    Person(
        first="Marcus",
        middle=None,
        last="Lee",
        born=dt.date(1990, 7, 22),
        sex="M",
        email="marcus.lee@example.org",
        phone="555-0102",
        payer="Blue Cross Blue Shield",
        member_id="XJ7700112",
        diagnoses=(("F43.10", "Post-traumatic stress disorder, unspecified"),),
        measures=(
            # item 9 answered 2: the suicide item must never be lost
            Administration("PHQ-9", dt.date(2026, 1, 8), (1, 1, 1, 1, 0, 1, 0, 0, 2)),
            Administration("PCL-5", dt.date(2026, 1, 8), total=45),
        ),
        intake=dt.date(2026, 1, 8),
    ),
    Person(
        first="Dana",
        middle=None,
        last="O'Connor-Núñez",
        born=dt.date(2001, 11, 30),
        sex="F",
        email="dana.oconnor@example.org",
        phone="555-0103",
        payer="Medicaid",
        member_id="MCD-4410023",
        diagnoses=(
            ("F10.20", "Alcohol dependence, uncomplicated"),
            ("F41.1", "Generalized anxiety disorder"),
        ),
        measures=(
            Administration("AUDIT-C", dt.date(2026, 1, 12), (3, 2, 1)),
            Administration("GAD-7", dt.date(2026, 1, 12), (2, 2, 2, 2, 2, 2, 2)),
        ),
        intake=dt.date(2026, 1, 12),
    ),
)

FREQUENCY = ("Not at all", "Several days", "More than half the days", "Nearly every day")
PHQ9_QUESTIONS = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself - or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite - "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)
GAD7_QUESTIONS = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)
OPENEMR_PHQ9 = (
    "interest_score", "hopeless_score", "sleep_score", "fatigue_score", "appetite_score",
    "failure_score", "focus_score", "psychomotor_score", "suicide_score",
)  # fmt: skip
PHQ9_LOINC = (
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
    "44260-8",
)  # fmt: skip
TOTAL_LOINC = {"PHQ-9": "44261-6", "GAD-7": "70274-6", "AUDIT-C": "75626-2"}


def expected(
    person: Person,
    *,
    id: str | None,
    fields: tuple[str, ...] = ("first", "last", "born"),
    diagnoses: bool = True,
    measures: tuple[str, ...] = (),
    items: tuple[str, ...] = (),
    totals_only: bool = False,
    dated: bool = True,
) -> dict:
    """The values of ``person`` that a shape carries, as the corpus test compares them."""
    values: dict[str, object] = {}
    names = {
        "first": ("client.first_name", person.first),
        "middle": ("client.middle_name", person.middle),
        "last": ("client.last_name", person.last),
        "born": ("client.date_of_birth", person.born.isoformat()),
        "sex": ("client.sex_assigned_at_birth", person.sex_word),
        "email": ("client.contact.email", person.email),
        "phone": ("client.contact.phone", person.phone),
        "payer": ("client.payer_name", person.payer),
        "member": ("client.member_id", person.member_id),
        "intake": ("intake_date", person.intake.isoformat()),
    }
    for name in fields:
        path, value = names[name]
        if value is not None:
            values[path] = value
    if id is not None:
        values["client.id"] = id
    if diagnoses:
        values["diagnoses"] = [code for code, _ in person.diagnoses]
    scores = []
    lists = []
    for m in person.measures:
        if m.instrument not in measures:
            continue
        when = m.date.isoformat() if dated else "-"
        scores.append(f"{m.instrument} {when} {m.score}")
        if m.instrument in items and m.items and not totals_only:
            lists.append(f"{m.instrument} {when} {','.join(map(str, m.items))}")
    if scores:
        values["measures"] = scores
    if lists:
        values["items"] = lists
        if any(m.instrument == "PHQ-9" and m.items and m.items[8] > 0 for m in person.measures):
            values["risk.suicidal_ideation"] = True
    match = (
        {"client.id": id}
        if id
        else {
            "client.last_name": person.last,
            "client.date_of_birth": person.born.isoformat(),
        }
    )
    return {"match": match, "fields": values}
