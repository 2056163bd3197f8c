"""The new version of a plan as a Word document with native tracked changes and a change summary.

Tracked changes are generated from the model diff (:mod:`pipeline.versions.diff`), not by
comparing two rendered documents (that is :mod:`.compare`, for a payer's own layout): items are
matched by stable id, so a reordered plan shows no revisions, and each revision can be listed
beside the rationale recorded at the review. Insertions and deletions are real ``w:ins`` /
``w:del`` runs (and paragraph marks) with ``w:author`` (the reviewer) and ``w:date`` (the review
date), which Word and LibreOffice show as tracked changes that can be accepted or rejected.
Goals, objectives and interventions are named as the payer documents number them (Goal 1,
Objective 1.2, Intervention 1.a); every page carries the privacy notice and "Page X of Y" (and
the agency letterhead when one is given), and the document ends with a signature block.
Output is byte-identical for the same plans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import count
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from pipeline.model import Goal, Intervention, Objective, Plan
from pipeline.versions.diff import PlanDiff, is_prose, revisions_between, word_ops
from pipeline.versions.wording import numbers_for, plain
from pipeline.writers.docx.package import apply_letterhead, page_footer, save, set_properties
from pipeline.writers.docx.pictures import add_progress
from pipeline.writers.wording import human_date

Segment = tuple[str, str]  #: ("equal" | "insert" | "delete", text)


class _Tracker:
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
    a = "" if old is None else _text(old)
    b = "" if new is None else _text(new)
    if a == b:
        return [("equal", b)]
    if a and b and is_prose(a, b):
        return list(word_ops(a, b))
    return [("delete", a), ("insert", b)]


def render_redline(
    old: Plan,
    new: Plan,
    diff: PlanDiff,
    *,
    agency: Any = None,
    author: str | None = None,
) -> bytes:
    """DOCX bytes: change summary with rationale, then the new plan with tracked changes."""
    revision = new.revision
    when = revision.date if revision and revision.date else new.plan_date
    tracker = _Tracker(author or (revision.reviewer if revision else None) or "txplan", when)
    document = Document()
    document.styles["Normal"].font.name = "Carlito"
    document.styles["Normal"].font.size = Pt(10.5)
    client = new.client
    document.add_heading(f"Treatment plan revision: {client.display_name} ({client.id})", 1)
    meta = f"{diff.old_label} → {diff.new_label}"
    for made in revisions_between(old, new):  # every review in between, not only the last
        named = f"review {made.date} by {made.reviewer}" if made.reviewer else made.reason
        meta += f" · {named or f'review {made.date}'}"
    document.add_paragraph(meta)
    numbers = numbers_for(old, new)  # "Objective 1.2": as the payer documents print them
    _summary(document, diff, numbers)
    document.add_heading("Plan with tracked changes", 2)
    _review(document, tracker, old, new)
    _diagnoses(document, tracker, old, new)
    _measures(document, tracker, old, new)
    add_progress(document, new, human_date)  # each measure over time: chart or sentence
    _goals(document, tracker, old, new, numbers)
    signature_block(document, new)
    if agency is not None:
        apply_letterhead(document, agency)  # letterhead, privacy notice, page numbers
    else:
        page_footer(document)  # privacy notice and page numbers
    set_properties(
        document,
        title=f"Plan revision: {client.id}",
        author=tracker.author,
        subject=meta,
        when=when,
        comments="Generated by txplan diff --docx",
    )
    return save(document)


# --- sections ---------------------------------------------------------------------------


def _summary(document: Any, diff: PlanDiff, numbers: dict[str, str]) -> None:
    document.add_heading("Change summary", 2)
    if not diff.changes:
        document.add_paragraph("No changes.")
        return
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "What changed", "Why"
    for change in diff.changes:
        cells = table.add_row().cells
        cells[0].text = plain(change, numbers)  # plan numbers and words, not ids or notation
        cells[1].text = change.rationale or "(none recorded)"


def _review(document: Any, tracker: _Tracker, old: Plan, new: Plan) -> None:
    document.add_heading("Review", 3)
    for label, name in (
        ("Last review: ", "last_review_date"),
        ("Next review: ", "next_review_date"),
    ):
        segments = field(getattr(old.review, name), getattr(new.review, name))
        tracker.paragraph(document, segments, bold_label=label)


def _diagnoses(document: Any, tracker: _Tracker, old: Plan, new: Plan) -> None:
    document.add_heading("Diagnoses", 3)
    before = {d.code: d for d in old.diagnoses}
    after = {d.code for d in new.diagnoses}
    for dx in new.diagnoses:
        text = f"{dx.code} {dx.description or ''}".strip()
        was = before.get(dx.code)
        if was is None:
            tracker.paragraph(document, [("insert", text)], style="List Bullet", whole="insert")
        else:
            segments = field(f"{was.code} {was.description or ''}".strip(), text)
            tracker.paragraph(document, segments, style="List Bullet")
    for dx in old.diagnoses:
        if dx.code not in after:
            text = f"{dx.code} {dx.description or ''}".strip()
            tracker.paragraph(document, [("delete", text)], style="List Bullet", whole="delete")


def _measures(document: Any, tracker: _Tracker, old: Plan, new: Plan) -> None:
    names = list(dict.fromkeys(m.instrument for m in (*new.measures, *old.measures)))
    if not names:
        return
    document.add_heading("Measures (latest)", 3)
    for name in names:
        was, now = old.latest_measure(name), new.latest_measure(name)
        a = None if was is None else f"{was.total} ({was.date or 'undated'})"
        b = None if now is None else f"{now.total} ({now.date or 'undated'})"
        whole = "insert" if was is None else "delete" if now is None else "equal"
        tracker.paragraph(document, field(a, b), bold_label=f"{name}: ", whole=whole)


def signature_block(document: Any, plan: Plan) -> None:
    """Where the reviewing clinician and the client sign and date the revision."""
    document.add_heading("Signatures", 2)
    document.add_paragraph(
        "The clinician signs to confirm this review; the client signs to confirm the changes "
        "were discussed with them."
    )
    revision, signatures = plan.revision, plan.signatures
    clinician = signatures.clinician
    reviewer = (revision.reviewer if revision else None) or ", ".join(
        p for p in (clinician.name, clinician.credentials) if p
    )
    rows = [("Clinician (reviewer)", reviewer), ("Client", plan.client.display_name)]
    if signatures.supervisor is not None:
        rows.append((signatures.supervisor.role or "Co-signer", signatures.supervisor.name or ""))
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Signer", "Name", "Signature", "Date"),
                          strict=True):  # fmt: skip
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for role, name in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = role, name or ""
        cells[2].paragraphs[0].paragraph_format.space_before = Pt(18)  # room to sign
    for row in table.rows:  # the block stays on one page
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _goals(document: Any, tracker: _Tracker, old: Plan, new: Plan,
           numbers: dict[str, str]) -> None:  # fmt: skip
    old_goals = {g.id: g for g in old.goals}
    old_objectives = {o.id: o for g in old.goals for o in g.objectives}
    old_interventions = {i.id: i for g in old.goals for i in g.interventions}
    new_ids = {g.id for g in new.goals}
    progress = new.revision.progress if new.revision else ()
    notes = {p.objective: p.note for p in progress if p.note}
    for goal in new.goals:
        _goal(document, tracker, old_goals.get(goal.id), goal, old_objectives, old_interventions,
              numbers, notes)  # fmt: skip
        # removed items that belonged to this goal stay visible, struck through, under it
        was = old_goals.get(goal.id)
        if was is not None:
            kept = {p.id for p in (*goal.objectives, *goal.interventions)}
            moved = {o.id for g in new.goals for o in (*g.objectives, *g.interventions)}
            for part in (*was.objectives, *was.interventions):
                if part.id not in kept and part.id not in moved:
                    _item(document, tracker, part, None, numbers)
    for goal in old.goals:
        if goal.id not in new_ids:
            _goal(document, tracker, goal, None, {}, {}, numbers, {})


def _goal(document: Any, tracker: _Tracker, was: Goal | None, goal: Goal | None,
          old_objectives: dict[str, Objective], old_interventions: dict[str, Intervention],
          numbers: dict[str, str], notes: dict[str, str]) -> None:  # fmt: skip
    shown = goal or was
    assert shown is not None
    whole = "insert" if was is None else "delete" if goal is None else "equal"
    words = field(
        None if was is None else was.client_words, None if goal is None else goal.client_words
    )
    heading = words if whole == "equal" else [(whole, t) for _, t in words if t]
    label = numbers.get(shown.id, "Goal")
    tracker.paragraph(document, heading, style="Heading 3", whole=whole, bold_label=f"{label}: ")
    desc = field(
        None if was is None else was.description, None if goal is None else goal.description
    )
    if any(text for _, text in desc):
        segments = desc if whole == "equal" else [(whole, t) for _, t in desc if t]
        tracker.paragraph(document, segments, bold_label="Clinical goal: ", whole=whole)
    for part in (*shown.objectives, *shown.interventions):
        if goal is None:
            _item(document, tracker, part, None, numbers)
            continue
        before = old_objectives.get(part.id) if isinstance(part, Objective) else None
        if isinstance(part, Intervention):
            before = old_interventions.get(part.id)
        _item(document, tracker, before, part, numbers)
        note = notes.get(part.id)
        if note:  # the progress note the review recorded for this objective
            paragraph = document.add_paragraph(style="List Continue")
            run = paragraph.add_run(f"Progress note: {note}")
            run.italic = True


def _item(document: Any, tracker: _Tracker, was: Any, now: Any, numbers: dict[str, str]) -> None:
    """One objective or intervention: its fields in one paragraph, changes tracked."""
    shown = now or was
    whole = "insert" if was is None else "delete" if now is None else "equal"
    fields = _OBJECTIVE if isinstance(shown, Objective) else _INTERVENTION
    segments: list[Segment] = []
    for label, name in fields:
        a = None if was is None else getattr(was, name)
        b = None if now is None else getattr(now, name)
        if a is None and b is None:
            continue
        segments.append(("equal", label))
        parts = field(a, b)
        segments.extend(parts if whole == "equal" else [(whole, t) for _, t in parts if t])
    kind = "Objective" if isinstance(shown, Objective) else "Intervention"
    label = numbers.get(shown.id, kind)  # "Objective 1.2", never the internal id
    tracker.paragraph(document, segments, style="List Bullet", whole=whole,
                      bold_label=f"{label}: ")  # fmt: skip


_OBJECTIVE = (
    ("", "text"),
    (" · measure: ", "measure"),
    (" · baseline: ", "baseline"),
    (" · target: ", "target"),
    (" · by ", "target_date"),
    (" · status: ", "status"),
)
_INTERVENTION = (
    ("", "modality"),
    (" · ", "description"),
    (" · frequency: ", "frequency"),
    (" · responsible: ", "responsible"),
)


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value"):  # enums: "partially_met" -> "partially met"
        return str(value.value).replace("_", " ")
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(str(v) for v in value)
    return str(value)
