"""The redline's tracked body holds every section a version can change (session 6, fix-revise
#3: a review's new symptom was only in the change summary; the body had no Assessment,
presenting problem, risk, formulation, services or safety plan). Oracle: accepting every
tracked change in the body gives the new version's values, rejecting every one the old
version's, for each field of those sections the diff reports as changed.

Read from the document's XML with lxml, independently of the writer's own helpers.
"""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.model import Assessment, Formulation, PresentingProblem, Risk, SafetyPlan, Service
from pipeline.versions.diff import diff_plans
from pipeline.writers.docx.redline import render_redline
from tests.versions.versions_helpers import sample_plan

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SECTIONS = ("presenting_problem", "assessment", "risk", "formulation", "services", "safety_plan")

_phrases = st.sampled_from([
    "Low mood most days", "Trouble falling asleep most nights since March", "Worry about work",
    "Close to her sister", "Walks the dog", "Irritable in the mornings", "Keeps a job",
])  # fmt: skip
_texts = st.one_of(st.none(), st.sampled_from([
    "Alert and oriented, mood low", "Alert, oriented, affect brighter", "Guarded",
    "Fair with weekly therapy", "Good", "Lost her job in March", "Since the winter",
]))  # fmt: skip
_lists = st.lists(_phrases, max_size=3, unique=True).map(tuple)


@st.composite
def _parts(draw: st.DrawFn) -> dict:
    return {
        "presenting_problem": PresentingProblem(
            client_words=draw(_texts), functional_impact=draw(_texts), onset=draw(_texts)
        ),
        "assessment": Assessment(
            symptoms=draw(_lists),
            strengths=draw(_lists),
            mental_status=draw(_texts),
            prognosis=draw(_texts),
        ),  # fmt: skip
        "risk": Risk(suicidal_ideation=draw(st.booleans()), notes=draw(_texts)),
        "formulation": Formulation(precipitating=draw(_texts), protective=draw(_texts)),
        "services": tuple(
            Service(frequency="weekly", session_minutes=53, expected_duration=f"{w} weeks")
            for w in draw(st.lists(st.sampled_from([12, 13, 16]), max_size=2))
        ),
        "safety_plan": draw(
            st.one_of(st.none(), st.builds(SafetyPlan, warning_signs=_lists, means_safety=_texts))
        ),  # fmt: skip
    }


def _read(data: bytes) -> tuple[str, str]:
    """The body after the summary as (every change accepted, every change rejected)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    accepted, rejected, started = [], [], False
    for paragraph in root.iter(f"{W}p"):
        new, old = [], []
        for node in paragraph.iter(f"{W}t", f"{W}delText"):
            inserted = any(a.tag == f"{W}ins" for a in node.iterancestors())
            if node.tag == f"{W}delText":
                old.append(node.text or "")
            else:
                new.append(node.text or "")
                if not inserted:
                    old.append(node.text or "")
        if "".join(new) == "Plan with tracked changes":
            started = True
        if started:
            accepted.append("".join(new))
            rejected.append("".join(old))
    return "\n".join(accepted), "\n".join(rejected)


def _shown(value: object) -> list[str]:
    if value is None or value == "" or isinstance(value, bool):
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


@PROPERTY
@given(before=_parts(), after=_parts())
def test_accepting_the_tracked_body_gives_the_new_version_and_rejecting_it_the_old(
    before: dict, after: dict
) -> None:
    old, new = sample_plan(**before), sample_plan(**after)
    diff = diff_plans(old, new)
    accepted, rejected = (t.lower() for t in _read(render_redline(old, new, diff)))
    for change in diff.changes:
        if change.item not in SECTIONS:
            continue
        for value in _shown(change.new):
            assert value.lower() in accepted, (change, accepted)
        for value in _shown(change.old):
            assert value.lower() in rejected, (change, rejected)
    for section in ("Assessment", "Services", "Safety plan"):
        has = any(c.item == section.lower().replace(" ", "_") for c in diff.changes)
        assert not has or f"\n{section.lower()}\n" in accepted, section
