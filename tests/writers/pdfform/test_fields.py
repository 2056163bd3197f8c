"""A form's expressions evaluated together give what one at a time gives; errors stay located."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import TemplateError
from pipeline.profiles import load_agency
from pipeline.readers import read
from pipeline.rules import load_payer
from pipeline.writers.context import build_context
from pipeline.writers.pdfform.fields import (
    FIELDS_FILE,
    FormField,
    addendum_lines,
    evaluate,
    field_values,
    load_addendum,
    load_fields,
    variables,
)
from tests.support import ROOT

PAYER, AGENCY = load_payer("bluepeak-pdf"), load_agency("riverside")
MAP = Path(PAYER.directory) / FIELDS_FILE
FIELDS, SECTIONS = load_fields(MAP), load_addendum(MAP)
PLANS = [r.plan for r in read(ROOT / "inputs" / "counseltrack_wide.xlsx") if r.plan is not None]


def test_together_is_the_same_as_one_at_a_time_for_every_sample() -> None:
    names = variables(FIELDS, SECTIONS)
    assert "goals" in names and "plain" not in names and "grid" not in names
    for plan in PLANS:
        context = build_context(plan, PAYER, AGENCY, names=names)
        full = build_context(plan, PAYER, AGENCY)
        expected = (field_values(FIELDS, full, "x"), addendum_lines(SECTIONS, full, "x"))
        assert evaluate(FIELDS, SECTIONS, context, "x") == expected


def test_an_error_names_its_field() -> None:
    fields = (*FIELDS, FormField("broken", "client.no_such_thing.deeper"))
    context = build_context(PLANS[0], PAYER, AGENCY)
    with pytest.raises(TemplateError) as caught:
        evaluate(fields, SECTIONS, context, "fields.yaml")
    assert "field 'broken'" in str(caught.value.where)


def test_a_result_name_in_an_expression_is_not_captured() -> None:
    fields = (FormField("a", "client.id"), FormField("b", "txplan_result_0"))
    context = build_context(PLANS[0], PAYER, AGENCY)
    values, _ = evaluate(fields, (), context, "fields.yaml")
    assert (
        values
        == field_values(fields, context, "fields.yaml")
        == {"a": context["client"]["id"], "b": ""}
    )
