"""The client copy's plain language: objectives as short sentences, jargon in everyday words.

A maintained word list (:data:`PLAIN`, in its own module: pipeline/writers/plain_words.py)
replaces clinical terms with the words a client uses; objectives are rewritten from their
parts (an instrument's score as numbers, "from … to … by …" as where the client starts and
the goal), the baseline parentheses and "as recorded in …" tails a clinician needs are left
out, articles and capitals are set right, and text for one sex ("4+ drinks for women, 5+ for
men") keeps only the client's. The tests hold every sample's copy at or below a US grade-6
reading level (Flesch-Kincaid, textstat).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from pipeline.clinical.risk import has_placeholder, safety_plan_gaps
from pipeline.model import Plan, SafetyPlan
from pipeline.writers.plain_words import PLAIN, SCORED
from pipeline.writers.wording import human_date

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
