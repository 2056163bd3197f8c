"""What a template reads of the context: the keys its Jinja reaches, and the whole of any value
it uses otherwise; a context cut to them renders every template exactly as the whole one."""

from __future__ import annotations

import json

import pytest

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.context import VARIABLES, build_context, date_format
from pipeline.writers.sandbox import make_env
from pipeline.writers.usage import NOT_READ, WHOLE, fields_used, reads
from pipeline.writers.wording import tidy_all, tidy_used
from tests.support import DATA

ENV = make_env()
NAMES = frozenset(VARIABLES)


def used(*sources: str):
    return fields_used([ENV.parse(s) for s in sources], NAMES)


def _plain(fields):
    """Fields as plain data: None for whole, "*" for a value looped over, "[]" its items."""
    if fields is WHOLE:
        return None
    out = {k: _plain(v) for k, v in fields.items()}
    if fields.each is not NOT_READ:
        out["[]"] = _plain(fields.each)
    return {"*": True, **out} if fields.iterated else out


def test_attribute_chains_and_loop_variables_are_followed() -> None:
    fields = used("{% for g in goals %}{% for o in g.objectives %}{{ o.text }}{% endfor %}"
                  "{{ g['number'] }}{{ goals[0].id }}{% endfor %}{{ client.name }}")  # fmt: skip
    assert _plain(fields) == {
        "goals": {"*": True, "[]": {"objectives": {"*": True, "[]": {"text": None}},
                                    "number": None, "id": None}},
        "client": {"name": None},
    }  # fmt: skip


@pytest.mark.parametrize(
    "source",
    [
        "{{ client }}",  # printed
        "{% if client %}x{% endif %}",  # its truth: a dict cut to nothing would be false
        "{{ client|length }}",  # a filter sees it all
        "{{ client.items() }}",  # a dict method
        "{% for k in client %}x{% endfor %}",  # looped over: a dict gives its keys
        "{{ client[empty] }}",  # a key that is not a constant
        "{{ client == 1 }}",
        "{{ [client] }}",
        "{{ client is mapping }}",
        "{% for a, b in client %}{% endfor %}",
        "{% set x = client %}{{ x.name }}",
        "{{ 'a' if empty else client }}",
    ],
)
def test_any_other_use_reads_the_value_whole(source: str) -> None:
    fields = used(source)["client"]
    # read whole, or looped over with its items whole (a dict looped over is kept whole)
    assert fields is WHOLE or (fields.iterated and fields.each in (WHOLE, NOT_READ))


def test_loop_items_reached_through_loop_previtem_are_recorded() -> None:
    fields = used("{% for g in goals %}{{ loop.previtem.number if not loop.first }}{% endfor %}")
    assert fields["goals"].each == {"number": WHOLE}


@pytest.mark.parametrize(
    "source",
    [
        "{% macro m(x) %}{{ x.name }}{% endmacro %}{{ m(client) }}",
        "{% set client = goals %}{{ client.name }}",
        "{% if empty %}{% set client = 1 %}{% endif %}{{ client.name }}",
        "{% for g in goals %}{% set g = 1 %}{{ g.name }}{% endfor %}",
        "{% with c = client %}{{ c.name }}{% endwith %}",
        "{% for g in goals recursive %}{{ loop(g.children) }}{% endfor %}",
    ],
)
def test_what_the_walk_does_not_follow_reads_the_whole_context(source: str) -> None:
    assert used(source) is None


def _full_context() -> dict:
    plan = Plan.model_validate(json.loads((DATA / "render" / "full.json").read_text("utf-8")))
    return build_context(plan, load_payer("clinical"), load_agency("riverside"))


@pytest.mark.parametrize(
    "source",
    [
        "{% for g in goals %}{{ g.number }}. {{ g.client_words }}{% for o in g.objectives %}"
        "{{ o.text }} {{ o.target_date_iso }}{% endfor %}{% endfor %}",
        "{% if signatures.client %}{{ signatures.client.line }}{% endif %}{{ client.born }}",
        "{{ measures|map(attribute='score')|join(', ') }}{{ review.points[1].date }}",
        "{% for d in diagnoses if d.primary %}{{ d.label }}{% else %}none{% endfor %}",
        "{% for k, v in client.items() %}{{ k }}={{ v }};{% endfor %}",
        "{% if client %}yes{% endif %}{% if goals %}{{ goals[0].number }}{% endif %}"
        "{% if not safety_plan %}none{% endif %}{{ 'x' if presenting.onset else 'y' }}",
        # a string method's name: an item of a dict, the method of a string (never cut)
        "{% for s in signatures.lines %}{{ s.title }}: {{ s.who }}{% endfor %}"
        "{{ client.name.upper() }}{{ client.name.title }}{{ presenting.onset.split }}",
    ],
)
def test_a_context_cut_to_what_the_template_reads_renders_the_same(source: str) -> None:
    raw = _full_context()
    fields = used(source)
    assert fields is not None
    template = ENV.from_string(source)
    date = date_format(load_payer("clinical"))
    cut = tidy_used(raw, date, fields)
    assert template.render(cut) == template.render(tidy_all(raw, date))
    assert set(cut) == set(raw)  # every variable is there; those not read are None


def test_an_iso_date_is_left_as_it_is_and_other_text_tidied() -> None:
    source = "{{ a.x_iso }}{{ a.y }}{% for i in b %}{{ i.z_iso }}{% endfor %}"
    fields = fields_used([ENV.parse(source)], {"a", "b", "c"})
    cut = tidy_used({"a": {"x_iso": "2025-03-04", "y": " a ;; b ", "w": "gone"},
                     "b": [{"z_iso": "2025-03-04"}], "c": 1}, date_format(None),
                    fields)  # fmt: skip
    assert cut == {"a": {"x_iso": "2025-03-04", "y": "a; b"}, "b": [{"z_iso": "2025-03-04"}],
                   "c": None}  # fmt: skip


def test_a_list_tested_for_truth_keeps_only_what_its_items_read() -> None:
    fields = used("{% if goals %}{% for g in goals %}{{ g.number }}{% endfor %}{% endif %}"
                  "{% if client and not empty %}{{ client.name }}{% endif %}")  # fmt: skip
    assert _plain(fields) == {
        "goals": {"*": True, "[]": {"number": None}},
        "client": {"*": True, "name": None},
        "empty": {"*": True},
    }


def test_reads_says_false_only_for_what_is_known_unread() -> None:
    fields = used("{% for g in goals %}{{ g.number }}{% endfor %}{% for k in client %}{% endfor %}"
                  "{{ review }}")  # fmt: skip
    assert reads(fields, ["goals", "[]", "number"])
    assert not reads(fields, ["goals", "[]", "outline"])
    assert reads(fields, ["client", "name"])  # a dict looped over: all of it
    assert reads(fields, ["review", "recorded"])
    assert not reads(fields, ["signatures"])
    assert reads(None, ["signatures", "lines"])


def test_a_string_method_name_read_of_a_dict_is_one_of_its_keys() -> None:
    """``s.title`` of a signature line is its item (Jinja finds no such attribute on a dict),
    so the lines are cut to what is printed; a dict or list method still reads all."""
    fields = used("{% for s in signatures.lines %}{{ s.title }} {{ s.date }}{% endfor %}"
                  "{{ client.name.upper() }}{{ goals.count }}")  # fmt: skip
    assert fields["signatures"]["lines"].each == {"title": WHOLE, "date": WHOLE}
    assert fields["client"] == {"name": {"upper": WHOLE}}
    assert fields["goals"] is WHOLE


def test_a_shape_number_stands_for_one_way_of_reading_only() -> None:
    from pipeline.writers import usage

    a = used("{{ client.name }}{{ client.id }}")["client"]
    same = used("{{ client.name }}{{ client.id }}")["client"]
    other = used("{{ client.id }}{{ client.name }}")["client"]  # another order, another shape
    assert usage.shape(a) == usage.shape(same) != usage.shape(other)
    assert usage.shape(WHOLE) == usage.shape(None) != usage.shape(NOT_READ)
    before = usage.shape(a)
    usage._SHAPES.clear()  # the table starts anew: no number is given to another way
    fresh = used("{{ client.id }}{{ client.name }}{{ client.born }}")["client"]
    assert usage.shape(fresh) not in (before, usage.shape(other))
