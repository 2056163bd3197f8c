"""How real exports name instruments, their items and their answers: the words, not the scoring.

Scoring lives in :mod:`pipeline.clinical.measures`; this module only recognises what systems
write: item column conventions (REDCap's ``phq_1`` … ``phq_9``, OpenEMR's ``form_phq9``
columns), LOINC item and total codes, the question texts used as headers, name variants
(``Depression (PHQ-9)``, LOINC long names) and answer labels (``Several days``,
``1 - Several days``, REDCap ``Checked``). Sources: the PHQ-9 and GAD-7 forms (Pfizer, public
domain), the PCL-5 (National Center for PTSD), the AUDIT-C (WHO / VA), LOINC panels 44249-1,
69737-5 and 72109-2, and OpenEMR's ``interface/forms/phq9|gad7/table.sql``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: instrument -> (item count, the number in its name that a bare ``<prefix>_<n>`` can clash with)
SHAPES: dict[str, tuple[int, int | None]] = {
    "PHQ-9": (9, 9),
    "GAD-7": (7, 7),
    "PCL-5": (20, 5),
    "AUDIT-C": (3, None),
}

#: normalized word stems that start an item column of each instrument (``phq_3``, ``gad7_q2``)
ITEM_PREFIXES: dict[str, tuple[str, ...]] = {
    "PHQ-9": ("phq", "phq 9", "phq9", "phqnine", "phq 9 q", "phq 9 item", "phq q"),
    "GAD-7": ("gad", "gad 7", "gad7", "gadseven", "gad 7 q", "gad 7 item", "gad q"),
    "PCL-5": ("pcl", "pcl 5", "pcl5", "pcl 5 q", "pcl 5 item", "pcl q"),
    "AUDIT-C": ("audit", "audit c", "auditc", "audit c q", "audit q", "audit c item"),
}

#: LOINC codes of totals and items (LOINC panels 44249-1 PHQ-9, 69737-5 GAD-7, 72109-2 AUDIT-C)
LOINC_TOTALS: dict[str, str] = {
    "44261-6": "PHQ-9",
    "70274-6": "GAD-7",
    "75626-2": "AUDIT-C",
}
LOINC_PANELS: dict[str, str] = {"44249-1": "PHQ-9", "69737-5": "GAD-7", "72109-2": "AUDIT-C"}
LOINC_ITEMS: dict[str, tuple[str, int]] = {
    "44250-9": ("PHQ-9", 1),
    "44255-8": ("PHQ-9", 2),
    "44259-0": ("PHQ-9", 3),
    "44254-1": ("PHQ-9", 4),
    "44251-7": ("PHQ-9", 5),
    "44258-2": ("PHQ-9", 6),
    "44252-5": ("PHQ-9", 7),
    "44253-3": ("PHQ-9", 8),
    "44260-8": ("PHQ-9", 9),
    "69725-0": ("GAD-7", 1),
    "68509-9": ("GAD-7", 2),
    "69733-4": ("GAD-7", 3),
    "69734-2": ("GAD-7", 4),
    "69735-9": ("GAD-7", 5),
    "69689-8": ("GAD-7", 6),
    "69736-7": ("GAD-7", 7),
    "68518-0": ("AUDIT-C", 1),
    "68519-8": ("AUDIT-C", 2),
    "68520-6": ("AUDIT-C", 3),
}

#: OpenEMR form_phq9 / form_gad7 score columns (interface/forms/*/table.sql), in item order
OPENEMR_COLUMNS: dict[str, tuple[str, int]] = {
    **{
        f"{stem} score": ("PHQ-9", n)
        for n, stem in enumerate(
            (
                "interest",
                "hopeless",
                "sleep",
                "fatigue",
                "appetite",
                "failure",
                "focus",
                "psychomotor",
                "suicide",
            ),
            start=1,
        )
    },
    **{
        f"{stem} score": ("GAD-7", n)
        for n, stem in enumerate(
            ("nervous", "control worry", "worry", "relax", "restless", "irritable", "fear"),
            start=1,
        )
    },
}

#: the first words of each question (normalized), enough to tell the items apart
QUESTIONS: dict[str, tuple[str, int]] = {
    "little interest or pleasure": ("PHQ-9", 1),
    "feeling down depressed or hopeless": ("PHQ-9", 2),
    "feeling down depressed hopeless": ("PHQ-9", 2),
    "trouble falling or staying asleep": ("PHQ-9", 3),
    "trouble falling asleep staying asleep": ("PHQ-9", 3),
    "feeling tired or having little energy": ("PHQ-9", 4),
    "poor appetite or overeating": ("PHQ-9", 5),
    "feeling bad about yourself": ("PHQ-9", 6),
    "trouble concentrating on things": ("PHQ-9", 7),
    "moving or speaking so slowly": ("PHQ-9", 8),
    "thoughts that you would be better off dead": ("PHQ-9", 9),
    "feeling nervous anxious or on edge": ("GAD-7", 1),
    "not being able to stop or control worrying": ("GAD-7", 2),
    "worrying too much about different things": ("GAD-7", 3),
    "trouble relaxing": ("GAD-7", 4),
    "being so restless that it is hard to sit still": ("GAD-7", 5),
    "becoming easily annoyed or irritable": ("GAD-7", 6),
    "feeling afraid as if something awful might happen": ("GAD-7", 7),
    "how often do you have a drink containing alcohol": ("AUDIT-C", 1),
    "how many standard drinks containing alcohol": ("AUDIT-C", 2),
    "how many drinks containing alcohol do you have on a typical day": ("AUDIT-C", 2),
    "how often do you have six or more drinks": ("AUDIT-C", 3),
    "how often do you have 6 or more drinks": ("AUDIT-C", 3),
}

#: answer labels -> score, per instrument (and per item where the items differ)
_FREQUENCY = {
    "not at all": 0,
    "several days": 1,
    "more than half the days": 2,
    "more than half of the days": 2,
    "nearly every day": 3,
}
_PCL = {"not at all": 0, "a little bit": 1, "moderately": 2, "quite a bit": 3, "extremely": 4}
_AUDIT = {
    1: {
        "never": 0,
        "monthly or less": 1,
        "2 4 times a month": 2,
        "2 to 4 times a month": 2,
        "2 3 times a week": 3,
        "2 to 3 times a week": 3,
        "4 or more times a week": 4,
    },
    2: {
        "1 or 2": 0,
        "3 or 4": 1,
        "5 or 6": 2,
        "7 to 9": 3,
        "7 9": 3,
        "10 or more": 4,
    },
    3: {
        "never": 0,
        "less than monthly": 1,
        "monthly": 2,
        "weekly": 3,
        "daily or almost daily": 4,
    },
}
#: REDCap checkbox exports and yes/no answers (items scored 1 when ticked)
_CHECKED = {"checked": 1, "unchecked": 0}


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")  # PatientId, birthDate: words apart


def normalize(label: str) -> str:
    """Lower case, punctuation to spaces, letters and digits apart (as the alias table does)."""
    label = _CAMEL.sub(" ", unicodedata.normalize("NFKC", str(label))).lower()
    label = label.replace("'", "").replace("\u2019", "").replace("\u2014", " ")
    label = re.sub(r"[^\w]+|_", " ", label)
    label = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", label)
    return " ".join(label.split())


def answer_labels(instrument: str, item: int) -> dict[str, int]:
    """The answer labels (normalized) of one item and their scores."""
    if instrument in ("PHQ-9", "GAD-7"):
        table = _FREQUENCY
    elif instrument == "PCL-5":
        table = _PCL
    elif instrument == "AUDIT-C":
        table = _AUDIT.get(item, {})
    else:
        table = {}
    return {**table, **_CHECKED}


_LEADING = re.compile(r"\s*(\d+)\s*(?:[,:=)\]]|[-\u2013\u2014.])\s*(\S.*)")


def answer_score(instrument: str, item: int, value: object) -> int | None:
    """The score of a label answer (``Several days``, ``1 - Several days``, ``0, Not at all``,
    ``Checked``), or None when ``value`` is not a label answer (then it is read as a number).

    A leading code is trusted only when its label is the instrument's label for that score, or
    when the label is not one txplan knows (REDCap's ``2, More than half``): the AUDIT-C's
    ``1 or 2`` scores 0, not 1.
    """
    if not isinstance(value, str):
        return None
    labels = answer_labels(instrument, item)
    key = normalize(value)
    if key in labels:
        return labels[key]
    if m := _LEADING.fullmatch(value):
        code, rest = int(m[1]), normalize(m[2])
        if rest in labels:
            return labels[rest]
        if not rest[:1].isdigit():
            return code
    return None


_LOINC = re.compile(r"\b(\d{4,5}-\d)\b")
_NAMED = re.compile(r"\b(phq ?9|gad ?7|pcl ?5|audit ?c)\b")
_CANONICAL = {"phq9": "PHQ-9", "gad7": "GAD-7", "pcl5": "PCL-5", "auditc": "AUDIT-C"}
_LONG_NAMES = (
    ("patient health questionnaire 9", "PHQ-9"),
    ("generalized anxiety disorder 7", "GAD-7"),
    ("generalised anxiety disorder 7", "GAD-7"),
    ("ptsd checklist for dsm 5", "PCL-5"),
    ("alcohol use disorders identification test consumption", "AUDIT-C"),
    ("alcohol use disorder identification test consumption", "AUDIT-C"),
)


@lru_cache(maxsize=2048)
def instrument_in(text: str) -> str | None:
    """The instrument a name, LOINC code or LOINC long name names: ``Depression (PHQ-9)``,
    ``44261-6``, ``Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]``."""
    for code in _LOINC.findall(text):
        if code in LOINC_TOTALS:
            return LOINC_TOTALS[code]
        if code in LOINC_PANELS:
            return LOINC_PANELS[code]
    key = normalize(text)
    if m := _NAMED.search(key.replace("phq 9", "phq9").replace("gad 7", "gad7")):
        return _CANONICAL[m[1].replace(" ", "")]
    for words, name in _LONG_NAMES:
        if words in key:
            return name
    return None


def item_in(text: str) -> tuple[str, int] | None:
    """The (instrument, item number) a LOINC item code or a question text names."""
    for code in _LOINC.findall(text):
        if code in LOINC_ITEMS:
            return LOINC_ITEMS[code]
    key = normalize(text)
    for start, found in QUESTIONS.items():
        if key.startswith(start) or (len(key) > 20 and f" {start}" in f" {key}"):
            return found
    return None
