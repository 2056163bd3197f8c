"""Authoring shapes for the goal bank content: plain data the generator turns into rows."""

from __future__ import annotations

from dataclasses import dataclass, field

#: The standard baseline of an observable count: there is no intake number to start from.
COUNT_BASELINE = "the weeks 1-2 log average"


@dataclass(frozen=True)
class Family:
    """A diagnosis family (ICD-10-CM codes) or a cross-cutting domain."""

    id: str
    name: str
    kind: str  #: diagnosis | domain | safety
    icd10: str = ""  #: code spec for pipeline.clinical.icd10.in_range; may be empty for a domain
    keywords: tuple[str, ...] = ()  #: presenting-problem words that bring a domain in
    notes: str = ""


@dataclass(frozen=True)
class Count:
    """An observable-count objective: what is counted, which way, to what, logged where."""

    measure: str  #: "panic attacks per week"
    direction: str  #: "up" | "down"
    target: str  #: "1 or fewer"
    log: str  #: "a daily panic log"
    phrase: str | None = None  #: the measure as the sentence names it (default "the number of")
    text: str | None = None  #: a whole template sentence, when the standard one reads badly
    baseline: str = COUNT_BASELINE
    due_days: int | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scale:
    """An instrument objective: which instrument, and what its score stands for here."""

    instrument: str  #: "PHQ-9"
    symptoms: str  #: "depressive symptoms"


@dataclass(frozen=True)
class Goal:
    client_words: str
    clinical: str
    scales: tuple[Scale, ...] = ()
    counts: tuple[Count, ...] = ()


@dataclass(frozen=True)
class Tx:
    """An intervention: modality, one line, typical frequency, evidence note."""

    modality: str
    description: str
    frequency: str
    evidence: str
    practice: tuple[str, str] | Count | None = None  #: homework (default from PRACTICE)
    #: diagnosis families a client must have for the bank to offer it (a treatment made for
    #: one disorder, e.g. mentalization-based treatment for BPD); empty: any client
    requires: tuple[str, ...] = ()
    #: the client ages it is offered at ("0-17": a child or adolescent's; "18-": an adult's;
    #: blank: any age), whole years on the plan date (pipeline/goalbank/ages.py)
    ages: str = ""
    #: treatments of one group are alternatives (e.g. "trauma-focused therapy": CPT, PE,
    #: EMDR): a plan carries one of them; empty: not an alternative to anything
    group: str = ""


@dataclass(frozen=True)
class Problem:
    id: str
    families: tuple[str, ...]
    name: str
    definition: str
    keywords: tuple[str, ...]
    goals: tuple[Goal, ...]
    interventions: tuple[Tx, ...] = field(default=())
    #: the client's situation the problem presumes: employed, student, parent (domain goals)
    presumes: tuple[str, ...] = ()


def S(instrument: str, symptoms: str) -> Scale:  # noqa: N802 - reads as data
    return Scale(instrument, symptoms)


def up(measure: str, target: str, log: str, **kw: object) -> Count:
    return Count(measure, "up", target, log, **kw)  # type: ignore[arg-type]


def down(measure: str, target: str, log: str, **kw: object) -> Count:
    return Count(measure, "down", target, log, **kw)  # type: ignore[arg-type]


#: Between-session practice per modality: a verb phrase and the weekly target (days per
#: week). A modality missing here (or mapped to None) gets no homework objective.
PRACTICE: dict[str, tuple[str, str] | Count | None] = {
    "Behavioral activation": ("do the activities scheduled for that day", "5 or more"),
    "Cognitive behavioral therapy": (
        "complete a thought record or the assigned CBT exercise",
        "4 or more",
    ),
    "Compassion-focused therapy": ("practice a compassionate-self exercise", "4 or more"),
    "Rumination-focused CBT": (
        "use a concrete-thinking exercise when brooding starts",
        "4 or more",
    ),
    "Mindfulness-based cognitive therapy": (
        "do a guided mindfulness practice of 10 minutes or more",
        "5 or more",
    ),
    "CBASP": ("write a situational analysis of one interpersonal event", "2 or more"),
    "Interpersonal psychotherapy": (
        "work on the interpersonal task agreed in session",
        "3 or more",
    ),
    "Psychoeducation (bipolar)": (
        "check the mood chart against the early-warning list",
        "6 or more",
    ),
    "Family-focused therapy": ("practice a family communication skill at home", "2 or more"),
    "Prolonged grief disorder therapy": (
        "do the assigned grief exercise (revisiting recording, memory work or reminder exposure)",
        "4 or more",
    ),
    "Cognitive behavioral therapy for grief": (
        "complete a grief thought record or a planned re-engagement activity",
        "3 or more",
    ),
    "Problem-solving therapy": ("take one step of the current problem-solving plan", "3 or more"),
    "Stress management training": ("do a relaxation or stress-management exercise", "5 or more"),
    "Cognitive behavioral therapy for anxiety": (
        "complete a worry record or a cognitive restructuring exercise",
        "4 or more",
    ),
    "Applied relaxation": ("practice progressive muscle or cue-controlled relaxation", "5 or more"),
    "Acceptance and commitment therapy": (
        "do a defusion or values-based action exercise",
        "4 or more",
    ),
    "Panic control treatment": ("do an interoceptive exposure exercise", "5 or more"),
    "Exposure therapy": ("do a planned exposure from the fear hierarchy", "3 or more"),
    "Cognitive behavioral group therapy": ("do an assigned social exposure", "3 or more"),
    "Exposure and response prevention": ("do a planned exposure without the ritual", "5 or more"),
    "Cognitive processing therapy": ("complete the assigned CPT worksheet", "5 or more"),
    "Prolonged exposure": (
        "listen to the imaginal exposure recording or do an in-vivo exposure",
        "5 or more",
    ),
    "EMDR": ("use the calm-place or container exercise when distressed", "4 or more"),
    "Imagery rehearsal therapy": ("rehearse the rescripted dream for 10 minutes", "6 or more"),
    "CBT for adult ADHD": ("review the planner and task list", "5 or more"),
    "Organizational skills training": (
        "plan the next day in the calendar before bed",
        "5 or more",
    ),
    "Motivational interviewing": (
        "reread the change plan and note one reason for change",
        "4 or more",
    ),
    "CBT for substance use": ("record triggers and cravings and the coping step used", "5 or more"),
    "Relapse prevention": (
        "review the relapse-prevention plan and the day's high-risk situations",
        "5 or more",
    ),
    "Mutual-help facilitation": ("attend a mutual-help or recovery-support meeting", "2 or more"),
    "CBT for insomnia": (
        "keep the sleep diary and hold to the prescribed sleep window",
        "6 or more",
    ),
    "Sleep hygiene education": ("follow the agreed 30-minute wind-down routine", "5 or more"),
    "CBT-E": ("eat three planned meals and two or three planned snacks", "5 or more"),
    "DBT skills training": ("practice a DBT skill and record it on the diary card", "5 or more"),
    "DBT individual therapy": ("fill in the DBT diary card", "6 or more"),
    "Mentalization-based treatment": (
        "write down what another person may have been thinking and feeling in a tense moment",
        "3 or more",
    ),
    "CBT for psychosis": ("use a coping strategy for voices or suspicious thoughts", "4 or more"),
    "Illness management and recovery": (
        "complete an illness-management worksheet or recovery step",
        "2 or more",
    ),
    "Social skills training": ("use an assigned social skill in a real situation", "3 or more"),
    "Couples therapy": (
        "hold a 15-minute check-in using the agreed communication skills",
        "3 or more",
    ),
    "Communication skills training": ("practice the speaker-listener skills", "2 or more"),
    "Vocational support": ("take one planned job or work-task step", "3 or more"),
    "Academic skills coaching": ("complete a planned study session", "4 or more"),
    "Anger management": (
        "use a time-out or calming skill when anger rises, and log it",
        "5 or more",
    ),
    "Parent management training": (
        "give 10 minutes of special time and labeled praise",
        "5 or more",
    ),
    "Parent-child interaction therapy": ("do 5 minutes of child-directed play", "5 or more"),
    "Mindfulness": ("do a mindfulness practice of 10 minutes or more", "5 or more"),
    "Contingency management": None,
}


def medication_check(text: str = "a prescriber") -> Count:
    """The objective that goes with a medication referral."""
    return Count(
        "prescriber evaluation attended",
        "up",
        "1 evaluation attended",
        "the referral record",
        text="Attend an evaluation with " + text + " by {target_date} and share the "
        "recommendations with the therapist at the next session.",
        baseline="not yet evaluated",
        due_days=30,
    )


PRACTICE["Medication referral"] = medication_check()
