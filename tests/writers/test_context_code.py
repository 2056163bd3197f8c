"""The context made by the function generated for a template (context_code.py) equals the
whole context made key by key, then tidied and cut to what the template reads; its source
holds none of the template's text."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields

import pytest
from jinja2 import nodes

from pipeline.model import Plan, replace
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.context import VARIABLES, build_context, template_code, untidied_context
from pipeline.writers.progress import Progress, progress_of
from pipeline.writers.sandbox import make_env
from pipeline.writers.usage import fields_used
from pipeline.writers.variables import MEASURE, PROGRESS, SECTIONS
from pipeline.writers.wording import tidy_used
from tests.support import DATA

ENV = make_env()
AGENCY = load_agency("riverside")
FULL = Plan.model_validate_json((DATA / "render" / "full.json").read_text(encoding="utf-8"))


def _every_key() -> str:
    """A template reading every key of every section by key, in reverse table order, and a
    key no section has."""
    reads = [f"{{{{ {name}.{key} }}}}" for name, (_, keys, _) in SECTIONS.items()
             for key in reversed(keys)]  # fmt: skip
    progress = "".join(f"{{{{ x.{key} }}}}" for key in reversed(PROGRESS) if key != "count")
    items = "".join(f"{{{{ x.{key} }}}}" for key in reversed(MEASURE)
                    if key != "items")  # a list method's name: reading it reads all  # fmt: skip
    return ("".join(reads) + "{{ client.no_such_key }}{{ goals[0].number }}{{ draft }}"
            f"{{% for x in measures %}}{items}{{{{ x.no_such_key }}}}{{% endfor %}}"
            f"{{% for x in progress %}}{progress}{{% endfor %}}")  # fmt: skip


TEMPLATES = {
    "every key": _every_key(),
    "whole and iterated": "{{ client }}{% for k in risk %}{{ k }}{% endfor %}{{ review.points }}"
    "{{ signatures.lines[0].title }}{{ safety_plan.means_safety }}",
    "iso and lists": "{{ client.date_of_birth_iso }}{{ assessment.symptoms[0] }}"
    "{% for p in review.points %}{{ p.date }}{% endfor %}{{ signatures.clinician.line }}",
    "measures whole": "{% for x in measures %}{{ x }}{% endfor %}",
    "measures and their text": "{{ measures_text }}{{ measures[0].score }}{{ measures[1].date }}",
}

PLANS = {
    "full": FULL,
    "charted": replace(FULL, measures=(*FULL.measures, *(
        replace(m, date=m.date - dt.timedelta(days=40), total=m.total + 6)
        for m in FULL.measures))),
    "no safety plan": replace(FULL, safety_plan=None),
    "bare client": replace(FULL, client=replace(FULL.client, date_of_birth=None,
                                                first_name=None, pronouns="  they ;; them ,")),
}  # fmt: skip


@pytest.mark.parametrize("plan", PLANS.values(), ids=PLANS.keys())
@pytest.mark.parametrize("source", TEMPLATES.values(), ids=TEMPLATES.keys())
@pytest.mark.parametrize("payer", ["clinical", "medicare-poc"])
def test_the_generated_context_equals_the_whole_context_cut(plan, source, payer) -> None:
    payer = load_payer(payer)
    names = frozenset(n.name for n in ENV.parse(source).find_all(nodes.Name)) & set(VARIABLES)
    fields = fields_used([ENV.parse(source)], names)
    assert fields is not None
    raw, date = untidied_context(plan, payer, AGENCY, names, draft=True)
    expected = tidy_used(raw, date, fields)
    made = build_context(plan, payer, AGENCY, draft=True, names=names, fields=fields)
    assert made == expected
    assert list(made) == list(expected)
    for name, value in made.items():  # same keys in the same order, read by key or not
        if isinstance(value, dict):
            assert list(value) == list(expected[name]), name
    again = build_context(plan, payer, AGENCY, draft=True, names=names, fields=fields)
    assert again == expected


def test_the_source_holds_no_text_of_the_template() -> None:
    source = "{{ client['x = 1; import os'] }}{{ client.name }}{{ risk['\\'\\n'] }}{{ risk.level }}"
    names = frozenset({"client", "risk"})
    fields = fields_used([ENV.parse(source)], names)
    code = template_code(names, fields).source
    assert "import os" not in code and "x = 1" not in code and "\\n'" not in code
    assert "'name'" in code and "'level'" in code
    made = build_context(FULL, load_payer("clinical"), AGENCY, names=names, fields=fields)
    assert list(made["client"]) == ["name"] and list(made["risk"]) == ["level"]


def test_a_new_context_each_time() -> None:
    source = "{{ client.name }}{{ assessment.symptoms }}{{ review.points }}"
    names = frozenset({"client", "assessment", "review"})
    fields = fields_used([ENV.parse(source)], names)
    payer = load_payer("clinical")
    first = build_context(FULL, payer, AGENCY, names=names, fields=fields)
    first["assessment"]["symptoms"].append("changed")
    first["review"]["points"][0]["date"] = "changed"
    first["client"]["name"] = "changed"
    again = build_context(FULL, payer, AGENCY, names=names, fields=fields)
    assert "changed" not in str(again)


def test_progress_made_at_once_is_the_dataclass_made() -> None:
    found = progress_of(FULL)
    assert found
    for made in found:
        assert list(vars(made)) == [f.name for f in fields(Progress)]  # every field, in order
        expected = Progress(**vars(made))
        assert made == expected and repr(made) == repr(expected) and made.key == expected.key
        with pytest.raises(AttributeError):  # still frozen
            made.title = "changed"  # type: ignore[misc]
