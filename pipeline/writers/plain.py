"""The client copy's plain language: objectives as short sentences, jargon in everyday words.

A maintained word list (:data:`PLAIN`) replaces clinical terms with the words a client uses;
objectives are rewritten from their parts (an instrument's score as numbers, "from … to … by …"
as where the client starts and the goal), the baseline parentheses and "as recorded in …"
tails a clinician needs are left out, articles and capitals are set right, and text for one
sex ("4+ drinks for women, 5+ for men") keeps only the client's. The tests hold every sample's
copy at or below a US grade-6 reading level (Flesch-Kincaid, textstat).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from pipeline.clinical.risk import has_placeholder, safety_plan_gaps
from pipeline.model import Plan, SafetyPlan
from pipeline.writers.wording import human_date

#: Instrument names a client copy replaces with plain words.
INSTRUMENTS = {
    "PHQ-9": "mood questionnaire",
    "GAD-7": "worry questionnaire",
    "PCL-5": "stress questionnaire",
    "AUDIT-C": "drinking questionnaire",
    "C-SSRS": "safety questions",
    "SUDS": "fear rating",
}
#: Every questionnaire the goal bank scores, by the plain name an objective on it is given
#: ("Your sleep questionnaire score is 18 now."); only the objective's own measure is looked
#: up here, never a word in running text.
SCORED = {
    **INSTRUMENTS,
    "ASRS": "attention questionnaire",
    "CUDIT-R": "cannabis questionnaire",
    "DERS-16": "feelings questionnaire",
    "ISI": "sleep questionnaire",
    "PDSS": "panic questionnaire",
    "PG-13-R": "grief questionnaire",
    "PSS-10": "everyday stress questionnaire",
    "SPIN": "social worry questionnaire",
    "WSAS": "daily life questionnaire",
    "Y-BOCS": "OCD questionnaire",
}

#: Clinical words and their plain replacements (longest first when applied; case-insensitive).
PLAIN = {
    **INSTRUMENTS,
    "depressive symptoms": "low mood",
    "anxiety symptoms": "worry",
    "symptoms": "how you feel",
    "lethal-means safety": "keeping dangerous things away",
    "lethal means": "dangerous things",
    "firearms": "guns",
    "stockpiled medications": "extra pills",
    "identified": "",
    "suicidal thoughts": "thoughts of ending your life",
    "suicidal ideation": "thoughts of ending your life",
    "worry-postponement routine": "set worry time",
    "worry-postponement exercise": "set worry time",
    "sleep efficiency (time asleep / time in bed)": "time in bed spent asleep",
    "sleep efficiency": "time in bed spent asleep",
    "in-vivo exposures": "practice facing fears",
    "in-vivo exposure": "practice facing fears",
    "social exposures": "practice in social settings",
    "exposures": "practice facing fears",
    "exposure log": "practice log",
    "exposure hierarchy": "fear ladder",
    "feared situations on the hierarchy": "steps on your fear ladder",
    "safety person": "helper",
    "safe but avoided reminders": "safe reminders you avoid",
    "stuck point": "stuck thought",
    "belief rating (0-100%)": "how much you believe",
    "belief rating": "how much you believe",
    "behavioral activation": "doing more things you enjoy",
    "cognitive restructuring": "changing unhelpful thoughts",
    "problem-solving steps completed per week on the stressor": (
        "steps taken a week to solve what is stressing you"
    ),
    "requests or refusals made with DEAR MAN per week": "times a week you ask for what you "
    "need or say no",
    "repair conversations held after a conflict": "talks to make up after a conflict",
    "safe but avoided reminders approached per week": "times a week you face a safe reminder "
    "you usually avoid",
    "time-outs taken when anger reaches 6 of 10": "time-outs taken when your anger reaches 6 "
    "out of 10",
    "all escalations": "every time",
    "problem-solving steps": "steps to solve the problem",
    "on the stressor": "on what is stressing you",
    "repair conversations": "talks to make up",
    "DEAR MAN": "a way to ask for what you need",
    "DBT diary card": "diary card",
    "CPT worksheets": "worksheets",
    "abstinence": "no drinking",
    "recovery meetings": "support meetings",
    "heavy-drinking days": "heavy drinking days",
    "psychotherapy": "counseling",
    "the therapist": "your counselor",
    "therapist": "counselor",
    "share of priority work tasks": "main work tasks",
    "percentage of planned daily tasks": "daily tasks",
    "priority": "main",
    # every goal-bank objective read as a client reads it (tests/writers/test_client_copy_bank.py)
    "the agreed skills": "the skills you practice in sessions",
    "the agreed communication skills": "the talking skills you practice in sessions",
    "the interpersonal task agreed in session": "the task with others you agreed on in session",
    "a situational analysis of one interpersonal event": "a short note on one tense moment "
    "with someone",
    "the assigned CBT exercise": "the exercise from your session",
    "CPT worksheet": "worksheet",
    "the imaginal exposure recording": "the recording of your memory",
    "do an in-vivo exposure": "face a feared situation",
    "a planned exposure from the fear hierarchy": "a planned step from your fear ladder",
    "a planned exposure without the ritual": "a planned practice facing a fear without the ritual",
    "ERP exposures": "practice sessions facing fears",
    "an interoceptive exposure exercise": "an exercise that brings on feared body feelings",
    "interoceptive exposure exercises": "exercises that bring on feared body feelings",
    "an assigned social exposure": "an assigned practice in a social setting",
    "reminder exposure": "facing reminders",
    "a defusion or values-based action exercise": "an exercise to step back from worries or "
    "act on what matters",
    "a concrete-thinking exercise": "an exercise to think about the details",
    "the calm-place or container exercise": "the calm-place exercise",
    "the rescripted dream": "the new ending of the dream",
    "avoided situations on the hierarchy": "avoided situations on your fear ladder",
    "hierarchy steps": "fear ladder steps",
    "peak fear rating (0-100) during the top hierarchy item": "fear rating (out of 100) at "
    "the top step of your fear ladder",
    "peak anger rating (0-10) per incident": "anger rating (out of 10) at its worst each time",
    "fear of the next attack (0-10)": "fear rating (out of 10) of the next attack",
    "weekly average of daily mood ratings (0-10)": "average daily mood rating (out of 10) in "
    "a week",
    "daily distress from voices or suspicious thoughts (0-10)": "daily rating (out of 10) of "
    "distress from voices or suspicious thoughts",
    "(0-10)": "(out of 10)",
    "(0-100)": "(out of 100)",
    "worry postponed to a scheduled 20-minute worry period": "worry saved for a set 20-minute "
    "worry time",
    "in a written support map": "on a written list",
    "the Social Rhythm Metric": "the daily routine log",
    "mastery tasks": "tasks that give a sense of achievement",
    "DBT skill": "coping skill",
    "a distress-tolerance skill": "a skill for getting through hard moments",
    "chain analyses": "step-by-step reviews",
    "labeled praises": "specific praises",
    "labeled praise": "specific praise",
    "child-directed play": "play led by your child",
    "after sleep onset": "after falling asleep",
    "intrusive memories": "unwanted memories",
    "trauma-focused sessions": "trauma therapy sessions",
    "compulsions": "rituals",
    "safety behaviors used per social situation": "things done to feel safe in each social "
    "situation",
    "the IPS supported-employment program": "the supported job program",
    "per using day": "on each day of use",
    "per drinking day": "on each drinking day",
    "per day": "a day",
    "per night": "a night",
    "per week": "a week",
    "per month": "a month",
    "weekly": "every week",
    "twice weekly": "twice a week",
    "then weekly": "then every week",
    "every other week": "every two weeks",
}
#: (the boundaries once around the alternatives, not in each: the same matches, and a place
#: that is not a word's start is passed over before any alternative is tried)
_PLAIN = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(k) for k in sorted(PLAIN, key=len, reverse=True))
    + r")(?![\w-])",
    re.IGNORECASE,
)
_KEYS = {k.lower(): v for k, v in PLAIN.items()}
#: Parentheses a client does not need: baselines, targets, asides, lists of three or more.
_PARENS = re.compile(
    r"\s*\((?:baseline|target|set |or |e\.g\.)[^()]*\)|\s*\([^()]*;[^()]*\)"
    r"|\s*\([^(),]*(?:,[^(),]*){2,}\)"
)
_TAIL = re.compile(
    r"(?:, *(?:as )?| as )(?:recorded|tracked|reviewed|measured)\b.*$"
    r"|,? with the [\w-]+ repeated.*$|,? *per [\w ]+ diary$|,? *with [\w ]+ recorded in .*$",
    re.IGNORECASE,
)
#: (what is counted may itself say "from": "distress from voices or suspicious thoughts")
_FROM_TO = re.compile(
    r"^(?P<verb>Reduce|Increase|Decrease|Lower|Raise) (?:the )?(?:number of |average |share of "
    r"|percentage of )?(?P<what>.+?) from (?!voices\b)(?P<start>.+) to (?P<goal>(?:(?! to ).)+?)"
    r"(?: by (?P<when>[A-Z][a-z]+ \d{1,2}, \d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d\d-\d\d))?\.?$"
)
_SEX = re.compile(
    r"\(?(?P<f>\d+)\+ (?P<unit>\w+) for women, (?P<m>\d+)\+ for men\)?", re.IGNORECASE
)
_AN = re.compile(r"\b([Aa]) (?=[aeiou]\w)(?!(?:one|use|usual|uni|eu))")


def _word(match: re.Match[str]) -> str:
    return _KEYS[match.group(0).lower()]


#: "3 of 4 weekly planned writing blocks": "weekly" as an adjective reads "every week" badly.
_OF_WEEKLY = re.compile(r"\b(\d+ of \d+) weekly ([\w -]+?)(?= by | on |, |\.|$)")


#: A 24-hour clock time ("00:30", "23:00"): a client reads "12:30 a.m.".
_CLOCK = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b(?!\s*(?:a\.m\.|p\.m\.|am|pm))")


def _twelve_hour(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)), match.group(2)
    if hour < 13 and not match.group(1).startswith("0") and hour != 0:
        return match.group(0)  # "9:30" may be either: left as written
    return f"{hour % 12 or 12}:{minute} {'a.m.' if hour < 12 else 'p.m.'}"


def plain_words(text: str | None) -> str:
    """Clinical words replaced by everyday ones (see :data:`PLAIN`)."""
    if not text:
        return ""
    text = _OF_WEEKLY.sub(r"\1 \2 each week", _CLOCK.sub(_twelve_hour, text))
    return " ".join(_PLAIN.sub(_word, text).split())


def for_sex(text: str, sex: str | None) -> str:
    """Keep only the client's part of "4+ drinks for women, 5+ for men" (both if unknown)."""
    s = (sex or "").strip().lower()
    key = "f" if s.startswith(("f", "w", "girl")) else "m" if s.startswith(("m", "boy")) else ""

    def pick(m: re.Match[str]) -> str:
        if not key:
            return f"({m.group('f')} or more {m.group('unit')} for women, {m.group('m')} or more "\
                   "for men)"  # fmt: skip
        return f"({m.group(key)} or more {m.group('unit')} in a day)"

    return _SEX.sub(pick, text)


def articles(text: str) -> str:
    """ "a alcohol" -> "an alcohol"."""
    return _AN.sub(lambda m: f"{m.group(1)}n ", text)


def sentence(text: str) -> str:
    """Capital first letter, one final full stop, tidy spaces."""
    text = " ".join(text.split()).strip(" ,;")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


_COMPARE = re.compile(r"(<=|>=|≤|≥|<|>)\s*(\d+(?:\.\d+)?)|(\d+)\+")
_COMPARE_WORDS = {"<=": "{} or less", "≤": "{} or less", ">=": "{} or more", "≥": "{} or more",
                  "<": "below {}", ">": "above {}"}  # fmt: skip


def numbers(text: str) -> str:
    """ "<= 9" -> "9 or less", "6+" -> "6 or more": comparisons in words."""
    return _COMPARE.sub(lambda m: f"{m.group(3)} or more" if m.group(3) else
                        _COMPARE_WORDS[m.group(1)].format(m.group(2)), text)  # fmt: skip


def target_words(value: str, instrument: str = "") -> str:
    """A score or target without the instrument's name or "=": "GAD-7 < 10" -> "below 10"."""
    if instrument:
        value = re.sub(re.escape(instrument), "", value, flags=re.IGNORECASE)
    return numbers(" ".join(re.sub(r"(?<![<>≤≥=])=(?!=)", " ", value).split()).strip(" :"))


_HEAD = re.compile(r"^(?P<head>.+?)(?= (?:per|a|in|on|of|with|to|at|made|taken)\b|$)")


def _change(what: str, more: bool) -> str:
    """ "Fewer thoughts", but "Less hand-washing", "Lower anger rating" and "How much you
    believe … goes down": the comparison word that fits what is counted."""
    if what.lower().startswith("how much "):
        return f"{what[0].upper()}{what[1:]} {'goes up' if more else 'goes down'}"
    bare = re.sub(r"\s*\([^()]*\)", "", what)
    head = (m.group("head") if (m := _HEAD.match(bare)) else bare).split()[-1].lower()
    if head in ("rating", "score", "level"):
        return f"{'Higher' if more else 'Lower'} {what}"
    if head.endswith("ing"):
        return f"{'More' if more else 'Less'} {what}"
    return f"{'More' if more else 'Fewer'} {what}"


def objective_steps(o: dict[str, Any], scores: dict[str, list[int]], sex: str | None) -> str:
    """One objective as short plain sentences."""
    measure = o.get("measure") or ""
    seen = tuple(scores.get(measure) or ())
    return _steps(o["text"], o["target_date"], measure, o.get("baseline"), o.get("target"),
                  seen, sex)  # fmt: skip


@functools.lru_cache(maxsize=8192)
def _steps(text: str, when: str, measure: str, baseline: str | None, target: str | None,
           seen: tuple[int, ...], sex: str | None) -> str:  # fmt: skip
    """:func:`objective_steps` from exactly what it reads (kept by content: the same
    objective text and scores recur from plan to plan)."""
    text = for_sex(text, sex)
    if measure in SCORED and baseline and target:
        name = SCORED[measure]
        start = target_words(baseline, measure)
        now = (f"Your {name} score went from {start} to {seen[-1]}."
               if len(seen) > 1 and str(seen[-1]) != start
               else f"Your {name} score is {start} now.")  # fmt: skip
        target = target_words(target, measure)
        goal = f"The goal is {target}" + (f" by {when}." if when else ".")
        return f"{now} {goal}"
    text = _PARENS.sub("", text)
    text = _TAIL.sub("", text.rstrip("."))
    m = _FROM_TO.match(text)
    if m:
        what = plain_words(m.group("what"))
        more = m.group("verb").lower() in ("increase", "raise")
        goal = plain_words(target_words(m.group("goal")))
        by = f" by {m.group('when')}" if m.group("when") else (f" by {when}" if when else "")
        head = _change(what, more)
        stop = " " if head.endswith(".") else ". "
        return numbers(f"{head}{stop}The goal is {goal}{by}.")
    text = plain_words(text)
    if when and when not in text and not re.search(r"\bby \w+ \d", text):
        text += f" by {when}"
    parts = re.split(r" and (?=keep|then|also)", text)
    return " ".join(sentence(articles(numbers(p))) for p in parts)


def meeting(service: dict[str, Any]) -> str:
    """How often and how long the client and counselor meet, in short sentences."""
    how_often = plain_words((service.get("frequency") or "regularly").lower())
    duration = plain_words((service.get("expected_duration") or "").lower())
    out = [f"We will meet {how_often}."]
    if service.get("session_minutes"):
        out.append(f"Each visit is about {service['session_minutes']} minutes.")
    if duration:
        out.append(f"We plan to do this for about {duration}.")
    return " ".join(out)


def client_copy_words(
    plan: Plan, goals: list[dict[str, Any]], services: list[dict[str, Any]]
) -> dict:
    """What the plain-language client copy says: no codes, no jargon, short sentences
    (pipeline/writers/plain.py)."""
    scores: dict[str, list[int]] = {}
    for m in sorted(plan.measures_known(), key=lambda m: (m.date is None, m.date or dt.date.min)):
        if m.total is not None:
            scores.setdefault(m.instrument, []).append(m.total)
    sex = plan.client.sex_assigned_at_birth or plan.client.gender_identity
    next_review = plan.review.next_review_date
    return {
        "goals": [
            {
                "words": g["client_words"],
                # the client's own words are quoted; a goal bank's wording is not a quote
                "quoted": g.get("origin") != "bank",
                "steps": [objective_steps(o, scores, sex) for o in g["objectives"]],
            }
            for g in goals
        ],
        "meetings": [meeting(s) for s in services],
        "next_review": human_date(next_review),
        "crisis_contacts": [
            c
            for c in (plan.safety_plan.professionals if plan.safety_plan else ())
            if c and not has_placeholder(c)
        ],
        "safety_plan": client_safety_plan(plan.safety_plan),
    }


#: The client copy's headings for the safety plan's steps, in the client's voice.
SAFETY_STEPS = (
    ("warning_signs", "Signs that a hard time may be coming"),
    ("coping_strategies", "Things I can do on my own"),
    ("people_and_places", "People and places that take my mind off things"),
    ("people_to_ask", "People I can ask for help"),
    ("professionals", "Professionals and crisis lines I can call"),
    ("means_safety", "Making my surroundings safe"),
    ("reasons_for_living", "What matters most to me"),
)


def client_safety_plan(safety: SafetyPlan | None) -> list[dict[str, Any]]:
    """The client's own safety plan, step by step; empty unless it is complete (a client
    copy never shows a placeholder)."""
    if safety is None or safety_plan_gaps(safety):
        return []
    steps = []
    for name, title in SAFETY_STEPS:
        value = getattr(safety, name)
        entries = [value] if isinstance(value, str) else list(value or ())
        entries = [e for e in entries if e and e.strip() and not has_placeholder(e)]
        if entries:
            steps.append({"title": title, "entries": entries})
    return steps
