"""The context's caches: kept by content, bounded, and never one client's text in another's."""

from __future__ import annotations

import datetime as dt
import json
import re

from hypothesis import given
from hypothesis import strategies as st

from pipeline.model import Plan, replace
from pipeline.profiles import load_agency, load_payer
from pipeline.writers import clean, wording
from pipeline.writers.clean import clean_plan, needs_cleaning
from pipeline.writers.context import build_context
from pipeline.writers.plain import objective_steps
from pipeline.writers.wording import human_date, short_date, tidy
from tests.support import DATA

#: Characters that JSON spells escaped or that a plan must not keep, and some plain ones.
_ALPHABET = st.sampled_from(
    list("ab \\\"'/.;,:ubf0279eEF") + ["\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\u202e",
                                        "\u2066", "\ufffe", "\uffff", "é", "·", "’", "\n"]
)  # fmt: skip


def _full() -> Plan:
    return Plan.model_validate_json((DATA / "render" / "full.json").read_text(encoding="utf-8"))


def _with_words(plan: Plan, words: str, objective: str) -> Plan:
    """The plan with the presenting problem's words and the first objective's text changed."""
    goal = plan.goals[0]
    first = replace(goal.objectives[0], text=objective, measure=None)
    goal = replace(goal, objectives=(first, *goal.objectives[1:]))
    presenting = replace(plan.presenting_problem, client_words=words)
    return replace(plan, presenting_problem=presenting, goals=(goal, *plan.goals[1:]))


def test_two_plans_differing_in_one_string_each_get_their_own_text() -> None:
    payer, agency = load_payer("clinical"), load_agency("riverside")
    base = _full()
    a = _with_words(base, "I want to sleep again.", "Sleep 7 hours a night by 2026-05-01.")
    b = _with_words(base, "I want to drive again.", "Drive to work twice a week by 2026-05-01.")
    first_a = build_context(a, payer, agency)
    context_b = build_context(b, payer, agency)
    again_a = build_context(a, payer, agency)
    assert first_a == again_a
    assert first_a["presenting"]["client_words"] == "I want to sleep again."
    assert context_b["presenting"]["client_words"] == "I want to drive again."
    assert first_a["goals"][0]["objectives"][0]["text"].startswith("Sleep 7 hours")
    assert context_b["goals"][0]["objectives"][0]["text"].startswith("Drive to work")
    assert "May 1, 2026" in context_b["goals"][0]["objectives"][0]["text"]  # dates tidied too
    steps_a = first_a["plain"]["goals"][0]["steps"][0]
    steps_b = context_b["plain"]["goals"][0]["steps"][0]
    assert "leep" in steps_a and "rive" not in steps_a
    assert "rive" in steps_b and "leep" not in steps_b


def test_a_context_is_a_new_tree_each_time() -> None:
    """Changing one plan's context (a caller may) changes nothing in the next one."""
    payer, agency = load_payer("clinical"), load_agency("riverside")
    plan = _full()
    first = build_context(plan, payer, agency)
    first["goals"][0]["objectives"][0]["text"] = "changed"
    first["client"]["name"] = "changed"
    second = build_context(plan, payer, agency)
    assert second["goals"][0]["objectives"][0]["text"] != "changed"
    assert second["client"]["name"] != "changed"


def test_objective_steps_are_kept_by_everything_they_read() -> None:
    objective = {"text": "Reduce PHQ-9 from 14 to below 10.", "target_date": "May 1, 2026",
                 "measure": "PHQ-9", "baseline": "14", "target": "below 10"}  # fmt: skip
    one = objective_steps(objective, {"PHQ-9": [14]}, None)
    two = objective_steps(objective, {"PHQ-9": [14, 9]}, None)
    later = objective_steps(objective | {"target_date": "June 1, 2026"}, {"PHQ-9": [14]}, None)
    assert "is 14 now" in one and "from 14 to 9" in two
    assert "May 1, 2026" in one and "June 1, 2026" in later
    assert objective_steps(objective, {"PHQ-9": [14]}, None) == one


_MONTH = "|".join(wording.MONTHS)
#: tidy as it was written before it was made fast: the reference the fast one must equal.
_REF_DATE = re.compile(
    rf"\b(?:(?P<rm>{_MONTH}) (?P<rd>\d{{1,2}})"
    rf"(?:-(?P<rd2>\d{{1,2}})| to (?P<rm2>{_MONTH}) (?P<rd3>\d{{1,2}})), (?P<ry>\d{{4}})"
    rf"|(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})"
    rf"|(?P<mm>\d{{1,2}})/(?P<dd>\d{{1,2}})/(?P<yy>\d{{4}})"
    rf"|(?P<month>{_MONTH}) (?P<day>\d{{1,2}}), (?P<year>\d{{4}}))\b"
)
_REF_DOUBLED = re.compile(r"\s*([.;,:])\s*([;,])|([;,])\s*\.(?!\.)|(?<!\.)\.\.(?!\.)|\s+([.;,:)])")


def _reference_date(m: re.Match[str], date) -> str:  # noqa: ANN001
    if not m["ry"]:
        return date(wording._date_match(m)) or m.group(0)
    month, end_month = wording.MONTHS.index(m["rm"]) + 1, m["rm2"]
    ends = (m["rd"], m["rd2"]) if m["rd2"] else (m["rd"], m["rd3"])
    try:
        start = dt.date(int(m["ry"]), month, int(ends[0]))
        end_month = wording.MONTHS.index(end_month) + 1 if end_month else month
        end = dt.date(int(m["ry"]), end_month, int(ends[1]))
    except ValueError:
        return m.group(0)
    if end <= start or date is human_date:
        return m.group(0)
    return f"{date(start)} to {date(end)}"


def _reference_tidy(text: str, date) -> str:  # noqa: ANN001
    if wording._PLAIN.fullmatch(text) and text.lower() not in wording._LEAKED:
        return text
    text = " ".join(text.split())
    while len(text) >= 2 and text[0] in wording._QUOTES and text[-1] in wording._QUOTES:
        text = text[1:-1].strip()
    if date is not None and any(c.isdigit() for c in text):
        text = _REF_DATE.sub(lambda m: _reference_date(m, date), text)
    text = _REF_DOUBLED.sub(wording._undouble, text)
    text = re.sub(r"^[\s,;:·/|]+", "", re.sub(r"[\s,;:·/|-]+$", "", text))
    return "" if text.lower() in wording._LEAKED else text


#: Pieces tidy acts on: separators, quotes, spaces, digits, dates in the three forms.
_PIECES = st.sampled_from(
    list("ab .;,:)(-/|·'\"“’\t\n\u00a00279") + ["None", "n/a", "March 4, 2025", "2025-03-04",
    "3/4/2025", "13/45/2025", "February 30, 2024", " ,", ";.", "..", "...", "Objective 1.1:",
    "January 7-20, 2026", "October 20 to November 2, 2026", "May 30-2, 2026", "March 4", " to ",
    "-20, 2026", "February 27-30, 2024"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=14).map("".join) | st.text(max_size=30))
def test_tidy_answers_as_the_reference(text: str) -> None:
    for date in (human_date, short_date, None):
        expected = _reference_tidy(text, date)
        assert tidy(text, date) == expected
        assert tidy(text, date) == expected  # the second time from the table


def test_the_tidy_table_is_bounded() -> None:
    for n in range(wording.TIDY_CACHE_SIZE + 10):
        tidy(f"row {n};", None)
    assert len(wording.tidied(None)) <= wording.TIDY_CACHE_SIZE
    assert tidy("row 3;", None) == "row 3"


@given(st.lists(_ALPHABET, max_size=12).map("".join))
def test_needs_cleaning_answers_as_the_full_search(text: str) -> None:
    for spelt in (json.dumps(text), json.dumps(text, ensure_ascii=False)):
        assert needs_cleaning(spelt) == (clean._BAD_JSON.search(spelt) is not None)


def test_a_plan_found_clean_is_remembered_and_a_dirty_one_never() -> None:
    plan = _full()
    assert clean_plan(plan) is plan
    assert clean._CLEAN.get(id(plan)) is plan
    dirty = replace(plan, client=replace(plan.client, first_name="Ma\u202eya"))
    for _ in range(2):
        cleaned = clean_plan(dirty)
        assert cleaned is not dirty and cleaned.client.first_name == "Maya"
    assert clean._CLEAN.get(id(dirty)) is not dirty
    # given JSON is the caller's word: used, not remembered
    other = replace(plan, client=replace(plan.client, first_name="Ana"))
    assert clean_plan(other, other.model_dump_json()) is other
    assert clean._CLEAN.get(id(other)) is not other


def test_the_clean_table_is_bounded() -> None:
    plans = [replace(_full(), plan_date=None) for _ in range(clean._CLEAN_SIZE + 5)]
    for plan in plans:
        clean_plan(plan)
    assert len(clean._CLEAN) <= clean._CLEAN_SIZE


def test_a_template_gets_the_variables_it_names_and_nothing_else() -> None:
    payer, agency = load_payer("medicaid-isp"), load_agency("riverside")
    plan = _full()
    full = build_context(plan, payer, agency)
    names = {"client", "goals", "grid", "review"}
    some = build_context(plan, payer, agency, names=names)
    assert list(some) == list(full)  # every variable still there, in the same order
    assert {k: v for k, v in some.items() if v is not None} == {k: full[k] for k in names}
    assert build_context(plan, payer, agency, names={"*"}) == full  # a map that did not parse


def test_goal_views_kept_by_content_are_handed_out_as_copies() -> None:
    """goal_view keeps each objective's and intervention's view by content; changing one it
    gave (the context adds an objective's reviews) changes nothing it gives later."""
    from pipeline.writers.views import goal_view

    goal = _full().goals[0]
    first = goal_view(1, goal, human_date)
    first["objectives"][0]["reviews"] = ["changed"]
    first["objectives"][0]["text"] = "changed"
    first["interventions"][0]["text"] = "changed"
    second = goal_view(1, goal, human_date)
    assert "reviews" not in second["objectives"][0]
    assert second["objectives"][0]["text"] != "changed"
    assert second["interventions"][0]["text"] != "changed"
    assert second["objectives"][0] is not first["objectives"][0]
    renumbered = goal_view(2, goal, human_date)  # the number is part of what is kept by
    assert renumbered["objectives"][0]["number"] == "2.1"
    assert renumbered["interventions"][0]["number"] == "2.a"


def test_a_context_made_as_the_template_reads_it_is_a_new_tree_each_time() -> None:
    """Items kept by content (objectives, interventions, diagnoses, services, measures) and
    sections made by key are handed out as new containers: a change to one context's is not
    in the next one."""
    from pathlib import Path

    from pipeline.writers.docx import fast

    payer, agency = load_payer("clinical"), load_agency("riverside")
    compiled = fast.compiled_for(Path(payer.template), agency, draft=False)
    plan = _full()

    def context() -> dict:
        return build_context(plan, payer, agency, names=compiled.names, fields=compiled.fields)

    def spoil(value: object) -> int:
        """Every string in the containers of ``value`` made "changed"; how many."""
        count = 0
        items = value.items() if isinstance(value, dict) else enumerate(value)  # type: ignore[arg-type]
        for key, item in list(items):
            if isinstance(item, str):
                value[key] = "changed"  # type: ignore[index]
                count += 1
            elif isinstance(item, dict | list):
                count += spoil(item)
        return count

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        inner = value.values() if isinstance(value, dict) else value
        return [s for v in inner for s in strings(v)] if isinstance(value, dict | list) else []

    first = context()
    for name in ("goals", "diagnoses", "services", "measures", "presenting", "client"):
        assert spoil(first[name]) > 0, name
    second = context()
    assert "changed" not in strings(second)
    assert second == build_context(plan, payer, agency, names=compiled.names,
                                   fields=compiled.fields)  # fmt: skip


def test_a_kept_item_is_keyed_by_every_field_of_its_part() -> None:
    from pipeline.writers.cut import model_key

    dx = _full().diagnoses[0]
    assert model_key("diagnosis", dx) != model_key("diagnosis", replace(dx, notes="other"))
    assert len(model_key("diagnosis", dx)[2]) == len(type(dx).model_fields)


def test_a_goal_kept_by_content_is_handed_out_as_a_new_tree() -> None:
    """A goal made as the template reads it is kept whole by its content (cut.cut_tree): the
    one handed out from the table is a copy, so changing it changes nothing later."""
    from pathlib import Path

    from pipeline.writers.docx import fast

    payer, agency = load_payer("clinical"), load_agency("riverside")
    compiled = fast.compiled_for(Path(payer.template), agency, draft=False)
    plan = _full()

    def goals() -> list:
        made = build_context(plan, payer, agency, names=compiled.names, fields=compiled.fields)
        return made["goals"]

    first, kept = goals(), goals()  # the second from the table
    assert kept == first and kept[0] is not first[0]
    kept[0]["objectives"][0]["text_with_target"] = "changed"
    kept[0]["objectives"].append({"changed": "changed"})
    kept[0]["client_words"] = "changed"
    assert goals() == first


def test_a_kept_goal_is_keyed_by_every_field_of_it_and_of_its_items() -> None:
    from pipeline.writers.cut import part_key

    goal = _full().goals[0]
    first = goal.objectives[0]
    changed = [
        replace(goal, client_words="other"),
        replace(goal, objectives=(replace(first, baseline="other"), *goal.objectives[1:])),
        replace(goal, objectives=(replace(first, status="met"), *goal.objectives[1:])),
        replace(goal, interventions=(replace(goal.interventions[0], responsible="x"),)),
    ]
    assert all(part_key(other) != part_key(goal) for other in changed)
    assert part_key(replace(goal)) == part_key(goal)
    assert len(part_key(goal)) == 1 + len(type(goal).model_fields)
    assert len(part_key(goal)[7][0][1]) == len(type(first).model_fields)  # objectives


def test_the_tree_table_is_bounded_and_keeps_only_plain_trees() -> None:
    from pipeline.writers import cut

    for n in range(cut.TREE_CACHE_SIZE + 5):
        cut.cut_tree(("test", n), lambda n=n: {"n": n, "items": [{"x": str(n)}]})
    assert len(cut._TREES) <= cut.TREE_CACHE_SIZE
    odd = cut.cut_tree(("test-odd",), lambda: {"when": dt.date(2026, 1, 1)})
    assert ("test-odd",) not in cut._TREES and odd == {"when": dt.date(2026, 1, 1)}
