"""The context made as a template reads it (items cut and kept by content, key sections tidied
as they are made) equals the whole context made, then tidied and cut: for arbitrary text in
the parts whose views are kept, for every payer template, the first time and from the tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Plan, replace
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.context import build_context, untidied_context
from pipeline.writers.docx import fast
from pipeline.writers.wording import tidy_used
from tests.support import DATA

AGENCY = load_agency("riverside")
PAYERS = [load_payer(p) for p in ("clinical", "managed-care-otr", "medicaid-isp", "medicare-poc")]
FULL = Plan.model_validate_json((DATA / "render" / "full.json").read_text(encoding="utf-8"))

#: Text tidy acts on (separators, quotes, dates, words a document must not print) and plain.
_TEXT = st.lists(
    st.sampled_from(["a", "b", " ", ".", ";", ",", ":", "'", '"', "“", "1", "/", "-", "..",
                     "None", "n/a", "2025-03-04", "3/4/2025", "March 4, 2025", " ,", "PHQ-9",
                     "January 7-20, 2026", "weekly", "\t"]),
    max_size=10,
).map("".join) | st.text(max_size=20)  # fmt: skip
_WORDS = _TEXT.filter(lambda t: t.strip() != "")


def _whole_then_cut(plan: Plan, payer: object, names: frozenset[str], fields: object) -> dict:
    """The context as it was made before: every key of every named variable, then
    :func:`tidy_used` keeps and tidies what the template reads."""
    raw, date = untidied_context(plan, payer, AGENCY, names, draft=True)
    return tidy_used(raw, date, fields)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    goal = FULL.goals[0]
    objective = replace(goal.objectives[0], text=draw(_WORDS), baseline=draw(_TEXT) or None,
                        target=draw(_TEXT) or None, frequency=draw(_TEXT) or None,
                        target_date=draw(st.none() | st.dates(dt.date(2025, 1, 1),
                                                              dt.date(2027, 1, 1))))  # fmt: skip
    intervention = replace(goal.interventions[0], modality=draw(_WORDS),
                           description=draw(_TEXT) or None,
                           responsible=draw(_TEXT) or None)  # fmt: skip
    goal = replace(goal, client_words=draw(_WORDS), description=draw(_TEXT) or None,
                   objectives=(objective, *goal.objectives[1:]),
                   interventions=(intervention, *goal.interventions[1:]))  # fmt: skip
    diagnosis = replace(FULL.diagnoses[0], description=draw(_TEXT) or None)
    service = replace(FULL.services[0], frequency=draw(_TEXT) or None)
    client = replace(FULL.client, first_name=draw(_WORDS), last_name=draw(_TEXT) or None)
    presenting = replace(FULL.presenting_problem, client_words=draw(_TEXT) or None)
    return replace(FULL, goals=(goal, *FULL.goals[1:]), client=client,
                   diagnoses=(diagnosis, *FULL.diagnoses[1:]),
                   services=(service, *FULL.services[1:]),
                   presenting_problem=presenting)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(plans())
def test_the_context_as_the_template_reads_it_equals_the_whole_context_cut(plan: Plan) -> None:
    for payer in PAYERS:
        compiled = fast.compiled_for(Path(payer.template), AGENCY, draft=True)
        names, fields = compiled.names, compiled.fields
        assert fields is not None
        expected = _whole_then_cut(plan, payer, names, fields)
        first = build_context(plan, payer, AGENCY, draft=True, names=names, fields=fields)
        again = build_context(plan, payer, AGENCY, draft=True, names=names, fields=fields)
        assert first == expected, payer.id
        assert again == expected, payer.id  # from the tables
        assert list(first) == list(expected)  # same variables, same order
