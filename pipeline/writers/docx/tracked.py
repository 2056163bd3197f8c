"""Tracked-change runs (``w:ins``/``w:del``) and the plan's narrative sections written with them.

:class:`Tracker` writes runs with one author and date; :func:`field` splits a value's change
into segments; :func:`sections` writes the parts of a plan a review or an intake update can
change besides its goals, diagnoses and measures (presenting problem, assessment, risk,
formulation, services, safety plan), field by field, so that the redline's tracked body holds
every change its summary lists (session 6: a new concern's symptom was only in the summary).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import count
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pydantic import BaseModel

from pipeline.model import Plan, Service
from pipeline.versions.diff import is_prose, word_ops

Segment = tuple[str, str]  #: ("equal" | "insert" | "delete", text)


class Tracker:
    """Writes tracked runs with one author and date and ids unique in the document."""

    def __init__(self, author: str, when: dt.date | None) -> None:
        self.author = author
        self.date = f"{(when or dt.date(2000, 1, 1)).isoformat()}T00:00:00Z"
        self._ids = count(1)

    def mark(self, tag: str) -> Any:
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(next(self._ids)))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        return element

    def paragraph(self, document: Any, segments: Sequence[Segment], *, style: str | None = None,
                  whole: str = "equal", bold_label: str = "") -> Any:  # fmt: skip
        """A paragraph of segments; ``whole`` = insert/delete tracks its paragraph mark too."""
        paragraph = document.add_paragraph(style=style)
        if whole != "equal":
            p_pr = paragraph._p.get_or_add_pPr()
            r_pr = OxmlElement("w:rPr")
            r_pr.append(self.mark("w:ins" if whole == "insert" else "w:del"))
            p_pr.append(r_pr)
        if bold_label:
            self._run(paragraph, whole, bold_label, bold=True)
        for op, text in segments:
            if text:
                self._run(paragraph, op, text)
        return paragraph

    def _run(self, paragraph: Any, op: str, text: str, *, bold: bool = False) -> None:
        if op == "equal":
            paragraph.add_run(text).bold = bold or None
            return
        run = OxmlElement("w:r")
        if bold:
            r_pr = OxmlElement("w:rPr")
            r_pr.append(OxmlElement("w:b"))
            run.append(r_pr)
        t = OxmlElement("w:delText" if op == "delete" else "w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        run.append(t)
        wrapper = self.mark("w:del" if op == "delete" else "w:ins")
        wrapper.append(run)
        paragraph._p.append(wrapper)


def field(old: Any, new: Any) -> list[Segment]:
    """Segments for one value: word-level for prose, replaced whole for dates, codes, words."""
    a = "" if old is None else text(old)
    b = "" if new is None else text(new)
    if a == b:
        return [("equal", b)]
    if a and b and is_prose(a, b):
        return list(word_ops(a, b))
    return [("delete", a), ("insert", b)]


def text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums: "partially_met" -> "partially met"
        return str(value.value).replace("_", " ")
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(str(v) for v in value)
    return str(value)


#: plan part -> its heading, in the order the plan reads; services and the safety plan follow
#: the goals (:func:`sections` with ``after_goals``)
_BEFORE = (("presenting_problem", "Presenting problem"), ("assessment", "Assessment"),
           ("risk", "Risk"), ("formulation", "Formulation"))  # fmt: skip
_AFTER = (("services", "Services"), ("safety_plan", "Safety plan"))
#: field names whose words read better than the name
_LABELS = {
    "client_words": "In the client's words",
    "what_would_be_different": "What would be different",
    "cssrs_positive": "C-SSRS positive",
    "people_and_places": "People and places that distract",
    "professionals": "Professionals and crisis lines",
    "means_safety": "Making the environment safe",
}


def sections(document: Any, tracker: Tracker, old: Plan, new: Plan, *, after_goals: bool) -> None:
    """The plan's narrative sections before its goals (or, ``after_goals``, its services and
    safety plan), each with a heading when either version has anything in it."""
    for name, heading in _AFTER if after_goals else _BEFORE:
        was, now = getattr(old, name), getattr(new, name)
        if name == "services":
            _services(document, tracker, heading, was, now)
            continue
        rows = _fields(was, now)
        if not rows:
            continue
        document.add_heading(heading, 3)
        for label, a, b in rows:
            if isinstance(a, tuple) or isinstance(b, tuple):
                _listed(document, tracker, label, a or (), b or ())
            else:
                tracker.paragraph(document, field(a, b), bold_label=f"{label}: ")


def _fields(was: BaseModel | None, now: BaseModel | None) -> list[tuple[str, Any, Any]]:
    """(label, old, new) for every field either version fills (a flag set, a text, an item)."""
    model = type(now if now is not None else was)
    if was is None and now is None:
        return []
    rows = []
    for name in model.model_fields:
        a = None if was is None else getattr(was, name)
        b = None if now is None else getattr(now, name)
        if not (a or b):  # empty, unset, or a flag off in both
            continue
        rows.append((_LABELS.get(name, name.replace("_", " ").capitalize()), a, b))
    return rows


def _listed(document: Any, tracker: Tracker, label: str, was: tuple, now: tuple) -> None:
    """A list field: its label, then an item a bullet, added and removed items tracked whole."""
    document.add_paragraph().add_run(f"{label}:").bold = True
    for item in now:
        whole = "equal" if item in was else "insert"
        tracker.paragraph(document, [(whole, str(item))], style="List Bullet", whole=whole)
    for item in was:
        if item not in now:
            tracker.paragraph(document, [("delete", str(item))], style="List Bullet",
                              whole="delete")  # fmt: skip


def _service(service: Service | None) -> str | None:
    if service is None:
        return None
    minutes = f"{service.session_minutes} min" if service.session_minutes else ""
    cpt = f"CPT {service.cpt_code}" if service.cpt_code else ""
    parts = (text(service.type).capitalize(), service.modality, minutes, service.frequency,
             service.expected_duration, cpt)  # fmt: skip
    return " · ".join(p for p in parts if p)


def _services(document: Any, tracker: Tracker, heading: str,
              was: tuple[Service, ...], now: tuple[Service, ...]) -> None:  # fmt: skip
    """Each service in one line, matched by its place in the plan."""
    if not was and not now:
        return
    document.add_heading(heading, 3)
    for number in range(max(len(was), len(now))):
        a = _service(was[number] if number < len(was) else None)
        b = _service(now[number] if number < len(now) else None)
        whole = "insert" if a is None else "delete" if b is None else "equal"
        parts = field(a, b)
        segments = parts if whole == "equal" else [(whole, t) for _, t in parts if t]
        tracker.paragraph(document, segments, style="List Bullet", whole=whole,
                          bold_label=f"Service {number + 1}: ")  # fmt: skip
