"""Version → version changes, matched by stable id (never by position), with their rationale.

Goals, objectives and interventions are matched by ``id`` and diagnoses by code, so a reordered
plan has no changes. Text changes carry word-level operations (difflib); objective status
changes and measure trends (``PHQ-9 14 → 8 (reliable improvement)``) are their own kinds. The
rationale of each change comes from the newer plan's ``revision`` (see ``txplan revise``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.clinical.measures import reliable_change
from pipeline.model import Goal, Measure, Plan, Revision

ADDED, REMOVED, CHANGED, STATUS, MEASURE = "added", "removed", "changed", "status", "measure"

#: Plan parts compared field by field (flattened), in the order they are reported.
_SECTIONS = (
    "client",
    "intake_date",
    "plan_date",
    "presenting_problem",
    "assessment",
    "risk",
    "formulation",
    "services",
    "safety_plan",
    "review",
    "signatures",
)
_GOAL_FIELDS = ("client_words", "description", "problem", "problem_definition", "diagnosis_codes")

Words = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Change:
    """One change between two versions of a plan."""

    kind: str  #: added, removed, changed, status or measure
    item: str  #: goal, objective, intervention, diagnosis, measure or a plan section
    target: str  #: stable id: "G1", "G1.O2", "diagnosis:F41.1", "measure:PHQ-9", "review"
    field: str | None = None  #: the changed field ("target_date", "next_review_date"...)
    old: Any = None
    new: Any = None
    words: Words = ()  #: word-level ops for text: ("equal" | "delete" | "insert", text)
    note: str = ""  #: e.g. "reliable improvement"
    rationale: str | None = None
    label: str = ""  #: short human name of the item (its text)
    goal: str | None = None  #: the goal an objective or intervention belongs to

    def summary(self) -> str:
        """One readable line: ``~ objective G1.O1 target_date: 2024-04-01 → 2024-06-30``."""
        name = self.target if self.item in ("goal", "objective", "intervention") else ""
        head = " ".join(p for p in (self.item, name) if p)
        if self.kind == MEASURE:
            trend = f"{_show(self.old)} → {_show(self.new)}"
            note = f" ({self.note})" if self.note else ""
            return f"~ {self.target.removeprefix('measure:')} {trend}{note}"
        if self.kind in (ADDED, REMOVED):
            sign = "+" if self.kind == ADDED else "-"
            what = f" {self.field}" if self.field else ""
            value = self.new if self.kind == ADDED else self.old
            shown = f' "{self.label}"' if self.label and not self.field else f": {_show(value)}"
            return f"{sign} {head}{what}{shown}"
        if self.words:
            text = "".join(
                t if op == "equal" else f"[-{t}-]" if op == "delete" else f"{{+{t}+}}"
                for op, t in self.words
            )
            return f"~ {head} {self.field}: {text}"
        note = f" ({self.note})" if self.note else ""
        old, new = _show(self.old), _show(self.new)
        if self.kind == STATUS:
            old, new = old.replace("_", " "), new.replace("_", " ")
        return f"~ {head} {self.field}: {old} → {new}{note}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "item": self.item,
            "target": self.target,
            "field": self.field,
            "old": _jsonable(self.old),
            "new": _jsonable(self.new),
            "words": [list(w) for w in self.words],
            "note": self.note,
            "rationale": self.rationale,
            "label": self.label,
            "goal": self.goal,
            "summary": self.summary(),
        }


@dataclass(frozen=True)
class PlanDiff:
    """The changes from one version of a client's plan to another."""

    client_id: str
    old_label: str
    new_label: str
    changes: tuple[Change, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "from": self.old_label,
            "to": self.new_label,
            "changes": [c.to_json() for c in self.changes],
        }


def diff_plans(old: Plan, new: Plan, *, old_label: str = "old", new_label: str = "new") -> PlanDiff:
    """Every change from ``old`` to ``new``, sections first, then goals in the new order."""
    changes = [*_sections(old, new), *_diagnoses(old, new), *_measures(old, new)]
    changes.extend(_goals(old, new))
    rationale = _rationales(revisions_between(old, new))
    changes = [_with(c, rationale=_rationale_for(c, rationale)) for c in changes]
    return PlanDiff(new.client.id, old_label, new_label, tuple(changes))


def word_ops(old: str, new: str) -> Words:
    """Word-level difference of two texts: equal, delete and insert runs, in reading order.

    A lone space between two changed words joins them into one deletion and one insertion,
    so a rewritten phrase reads ``[-through the night-]{+up rested+}``, not word by word.
    """
    a, b = _tokens(old), _tokens(new)
    raw: list[tuple[str, str, str]] = []  # (tag, old text, new text)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        raw.append((tag, "".join(a[i1:i2]), "".join(b[j1:j2])))
    ops: list[tuple[str, str]] = []
    pending_old, pending_new = "", ""
    for index, (tag, was, now) in enumerate(raw):
        between = 0 < index < len(raw) - 1 and raw[index - 1][0] != "equal"
        joins = between and raw[index + 1][0] != "equal" and not was.strip()
        if tag == "equal" and not joins:
            ops.extend(_flush(pending_old, pending_new))
            pending_old, pending_new = "", ""
            ops.append(("equal", was))
        else:
            pending_old, pending_new = pending_old + was, pending_new + now
    ops.extend(_flush(pending_old, pending_new))
    return tuple(ops)


def _flush(was: str, now: str) -> list[tuple[str, str]]:
    return [(op, text) for op, text in (("delete", was), ("insert", now)) if text]


# --- sections ---------------------------------------------------------------------------


def _sections(old: Plan, new: Plan) -> Iterator[Change]:
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    for section in _SECTIONS:
        yield from _compare(section, section, _flat(before[section]), _flat(after[section]), "")


def _diagnoses(old: Plan, new: Plan) -> Iterator[Change]:
    before = {d.code: d for d in old.diagnoses}
    after = {d.code: d for d in new.diagnoses}
    for code, dx in after.items():
        target = f"diagnosis:{code}"
        if code not in before:
            yield Change(ADDED, "diagnosis", target, label=f"{code} {dx.description or ''}".strip())
        else:
            a, b = _flat(before[code].model_dump(mode="json")), _flat(dx.model_dump(mode="json"))
            yield from _compare("diagnosis", target, a, b, code)
    for code, dx in before.items():
        if code not in after:
            label = f"{code} {dx.description or ''}".strip()
            yield Change(REMOVED, "diagnosis", f"diagnosis:{code}", label=label)


def _measures(old: Plan, new: Plan) -> Iterator[Change]:
    instruments = dict.fromkeys(m.instrument for m in (*old.measures, *new.measures))
    for name in instruments:
        was, now = old.latest_measure(name), new.latest_measure(name)
        if now is None or (was is not None and (was.total, was.date) == (now.total, now.date)):
            continue
        yield Change(
            MEASURE,
            "measure",
            f"measure:{name}",
            field="total",
            old=None if was is None else was.total,
            new=now.total,
            note=_trend(name, was, now),
            label=name,
        )


def _goals(old: Plan, new: Plan) -> Iterator[Change]:
    old_goals = {g.id: g for g in old.goals}
    old_objectives = {o.id: (g.id, o) for g in old.goals for o in g.objectives}
    old_interventions = {i.id: (g.id, i) for g in old.goals for i in g.interventions}
    seen_objectives: set[str] = set()
    seen_interventions: set[str] = set()
    for goal in new.goals:
        was = old_goals.get(goal.id)
        if was is None:
            yield Change(ADDED, "goal", goal.id, label=_goal_label(goal))
        else:
            a = {k: v for k, v in _flat(was.model_dump(mode="json")).items() if _goal_key(k)}
            b = {k: v for k, v in _flat(goal.model_dump(mode="json")).items() if _goal_key(k)}
            yield from _compare("goal", goal.id, a, b, _goal_label(goal))
        for item, parts, olds, seen in (
            ("objective", goal.objectives, old_objectives, seen_objectives),
            ("intervention", goal.interventions, old_interventions, seen_interventions),
        ):
            for part in parts:
                seen.add(part.id)
                label = getattr(part, "text", None) or getattr(part, "modality", "")
                if part.id not in olds:
                    yield Change(ADDED, item, part.id, label=label, goal=goal.id)
                    continue
                old_goal, old_part = olds[part.id]
                if old_goal != goal.id:
                    yield Change(CHANGED, item, part.id, "goal", old_goal, goal.id, label=label)
                a, b = old_part.model_dump(mode="json"), part.model_dump(mode="json")
                for change in _compare(item, part.id, _flat(a), _flat(b), label):
                    yield _with(change, goal=goal.id)
    for goal in old.goals:
        if goal.id not in {g.id for g in new.goals}:
            yield Change(REMOVED, "goal", goal.id, label=_goal_label(goal))
        for o in goal.objectives:
            if o.id not in seen_objectives:
                yield Change(REMOVED, "objective", o.id, label=o.text, goal=goal.id)
        for i in goal.interventions:
            if i.id not in seen_interventions:
                yield Change(REMOVED, "intervention", i.id, label=i.modality, goal=goal.id)


def _goal_key(key: str) -> bool:
    return key.split(".")[0].split("[")[0] in _GOAL_FIELDS or key.startswith("origin")


def _goal_label(goal: Goal) -> str:
    return goal.client_words or goal.description or goal.id


# --- comparing flattened parts ------------------------------------------------------------


def _compare(
    item: str, target: str, before: dict[str, Any], after: dict[str, Any], label: str
) -> Iterator[Change]:
    for key in dict.fromkeys([*after, *before]):
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        if item == "objective" and key == "status":
            yield Change(STATUS, item, target, key, a, b, label=label)
        elif isinstance(a, list) or isinstance(b, list):
            a_items, b_items = a or [], b or []
            for value in b_items:
                if value not in a_items:
                    yield Change(ADDED, item, target, key, None, value, label=label)
            for value in a_items:
                if value not in b_items:
                    yield Change(REMOVED, item, target, key, value, None, label=label)
        elif isinstance(a, str) and isinstance(b, str) and is_prose(a, b):
            yield Change(CHANGED, item, target, key, a, b, word_ops(a, b), label=label)
        else:
            yield Change(CHANGED, item, target, key, a, b, label=label)


def _flat(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts/lists of dicts → {"a.b[0].c": value}; lists of scalars stay lists."""
    if data is None and prefix:
        return {prefix: None}
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(_flat(value, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(data, list) and any(isinstance(v, dict) for v in data):
        out = {}
        for index, value in enumerate(data):
            out.update(_flat(value, f"{prefix}[{index}]"))
        return out
    return {prefix: data}


# --- helpers ----------------------------------------------------------------------------


def _trend(instrument: str, was: Measure | None, now: Measure) -> str:
    """Whether a score moved by at least the instrument's reliable-change threshold.

    Every supported instrument scores symptoms, so a lower total is an improvement.
    """
    if was is None:
        return "first score"
    if was.total is None or now.total is None:
        return ""
    threshold = reliable_change(instrument)
    if threshold is None:
        return ""
    delta = now.total - was.total
    if abs(delta) < threshold:
        return f"no reliable change; threshold {threshold}"
    return "reliable improvement" if delta < 0 else "reliable deterioration"


def _rationale_for(change: Change, rationale: dict[str, str]) -> str | None:
    """The change's own rationale, else its goal's (an objective of an added goal)."""
    for key in (change.target, change.goal, change.item):
        if key and key in rationale:
            return rationale[key]
    return None


def revisions_between(old: Plan, new: Plan) -> list[Revision]:
    """The reviews (and intake updates) that made ``new`` from ``old``, oldest first: the
    reviews ``new`` records that ``old`` does not, then ``new``'s own revision when it is not
    one of them (a diff over several versions names every review, not only the last)."""
    made = [r for r in new.reviews if r not in old.reviews]
    own = new.revision
    if own is not None and own != old.revision and own not in made:
        made.append(own)
    return made


def _rationales(revisions: list[Revision]) -> dict[str, str]:
    """Each target's rationale from every revision, joined in order when several changed it."""
    found: dict[str, list[str]] = {}
    for revision in revisions:
        for change in revision.changes:
            texts = found.setdefault(change.target, [])
            if change.rationale not in texts:
                texts.append(change.rationale)
    return {target: "; ".join(texts) for target, texts in found.items()}


def _with(change: Change, **updates: Any) -> Change:
    return Change(**{**change.__dict__, **updates})


def is_prose(a: str, b: str) -> bool:
    """Word-level ops help for sentences, not for dates, codes or single words."""
    return len(a.split()) > 1 or len(b.split()) > 1


def _tokens(text: str) -> list[str]:
    return re.findall(r"\S+|\s+", text)


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)


def _jsonable(value: Any) -> Any:
    return (
        value
        if isinstance(value, str | int | float | bool | list | dict)
        else (None if value is None else str(value))
    )
