"""Changes in plain words, with the numbers the plan's documents print (for redlines).

``Objective 1.2 status: in progress → met`` instead of ``~ objective G1.O2 status: ...``:
goals and objectives are named by their document numbers, fields by their words, and no
diff notation is used.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.model import Plan
from pipeline.versions.diff import ADDED, MEASURE, REMOVED, STATUS, Change
from pipeline.versions.numbering import labels


def numbers_for(old: Plan, new: Plan) -> dict[str, str]:
    """Id -> how the documents name it ("Objective 1.2", "Intervention 2.a"), the newer plan's
    numbers first (removed items keep their old ones)."""
    return {**labels(old), **labels(new)}


def _show(value: Any) -> str:
    if value is None or value == "" or value == ():
        return "(none)"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value).replace("_", " ")


def _name(change: Change, numbers: dict[str, str]) -> str:
    if change.item in ("goal", "objective", "intervention"):
        return numbers.get(change.target, change.item.capitalize())
    if change.target.startswith("diagnosis:"):
        return f"Diagnosis {change.target.removeprefix('diagnosis:')}"
    return change.item.replace("_", " ").capitalize()


#: a field of one item of a listed section ("services"): its index and the field's words
_LISTED = re.compile(r"^\[(\d+)\]\.?(.*)$")


def plain(change: Change, numbers: dict[str, str]) -> str:
    """One change as a sentence a reader of the plan understands."""
    if change.kind == MEASURE:
        note = f" ({change.note})" if change.note else ""
        name = change.target.removeprefix("measure:")
        return f"{name}: {_show(change.old)} → {_show(change.new)}{note}"
    name = _name(change, numbers)
    field = (change.field or "").replace("_", " ")
    listed = _LISTED.match(field)
    field = field if listed else field.replace(".", " ")  # "clinician.signed date"
    if listed:  # "Services [0].expected duration" -> "Service 1 expected duration"
        name = f"{name.removesuffix('s')} {int(listed.group(1)) + 1}"
        field = listed.group(2).replace(".", " ")
    if change.kind in (ADDED, REMOVED):
        verb = "added" if change.kind == ADDED else "removed"
        value = change.new if change.kind == ADDED else change.old
        if field:
            return f"{name} {field} {verb}: {_show(value)}"
        label = f': "{change.label}"' if change.label else ""
        return f"{name} {verb}{label}"
    if change.kind == STATUS:
        return f"{name} status: {_show(change.old)} → {_show(change.new)}"
    if change.words and _long(change):  # only the words that changed, not two whole texts
        return f"{name} {field}: {changed_words(change)}".replace("  ", " ")
    return f"{name} {field}: {_show(change.old)} → {_show(change.new)}".replace("  ", " ")


def _long(change: Change) -> bool:
    """A text longer than a few words ("16 weeks" → "13 weeks" reads best whole)."""
    return any(len(str(v or "").split()) > 3 for v in (change.old, change.new))


def changed_words(change: Change) -> str:
    """The changed runs of a text change, each as its old words → its new words:
    '"January 13" → "July 5"' (a text redated at a review), several joined by "; "."""
    runs: list[tuple[str, str]] = []
    pending: list[str] = ["", ""]
    for op, text in (*change.words, ("equal", "")):
        if op == "equal":
            if pending != ["", ""]:
                runs.append(_trimmed(pending[0].strip(), pending[1].strip()))
            pending = ["", ""]
        else:
            pending[op == "insert"] += text
    return (
        "; ".join(f"{_quoted(was)} → {_quoted(now)}" for was, now in runs)
        or f"{_show(change.old)} → {_show(change.new)}"
    )


def _trimmed(was: str, now: str) -> tuple[str, str]:
    """Both runs without the punctuation they end with alike ("April 6," → "July 5,")."""
    while was and now and was[-1] == now[-1] and was[-1] in ",.;:":
        was, now = was[:-1], now[:-1]
    return was, now


def _quoted(words: str) -> str:
    return f"“{words}”" if words else "(none)"


def with_reason(change: Change, numbers: dict[str, str]) -> str:
    """The change and why: 'Objective 1.2 status: in progress → met, because ...'."""
    text = plain(change, numbers)
    return f"{text}, because {change.rationale}" if change.rationale else text
