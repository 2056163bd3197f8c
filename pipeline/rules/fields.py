"""Presence rules: fields a payer requires, and scored measures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args, get_origin

from pydantic import BaseModel, Field, field_validator

from pipeline.model import Plan
from pipeline.rules.registry import Context, Params, rule


def _model_field(model: type[BaseModel], name: str) -> Any:
    info = model.model_fields.get(name)
    return None if info is None else info.annotation


def path_exists(path: str, *, through_lists: bool = True) -> bool:
    """Whether a dotted path names a field of the plan model (e.g. client.date_of_birth).

    ``through_lists=False`` refuses paths that pass through a list (``goals.client_words``).
    """
    model: Any = Plan
    for part in path.split("."):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return False
        annotation = _model_field(model, part)
        if annotation is None:
            return False
        if get_origin(annotation) is tuple:
            if not through_lists and part != path.split(".")[-1]:
                return False
            model = get_args(annotation)[0]
        else:
            args = [a for a in get_args(annotation) if a is not type(None)]
            model = args[0] if args else annotation
    return True


def _value(plan: Plan, path: str) -> Any:
    value: Any = plan
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


class RequiredFields(Params):
    fields: tuple[str, ...] = Field(min_length=1)  #: dotted plan paths
    reason: str | None = None  #: said in the message, e.g. "for the authorization request"

    @field_validator("fields")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for path in value:
            if not path_exists(path, through_lists=False):
                raise ValueError(
                    f"{path!r} is not a field of the plan model outside a list "
                    "(e.g. client.member_id, assessment.prognosis)"
                )
        return value


@rule("required_fields", "TXR015", RequiredFields)
def required_fields(plan: Plan, p: RequiredFields, ctx: Context) -> Iterator[tuple[str, str]]:
    """Each named plan field is filled in."""
    why = p.reason or "this payer requires it"
    for path in p.fields:
        value = _value(plan, path)
        if value is None or (isinstance(value, str | tuple) and not value):
            yield path, f"missing; {why}"
        elif isinstance(value, str) and not value.strip():
            yield path, f"blank; {why}"


class MeasuresScored(Params):
    min: int = Field(1, ge=1)  #: scored measures needed
    instruments: tuple[str, ...] | None = None  #: only these count (None = any)
    require_date: bool = True


@rule("measures_scored", "TXR014", MeasuresScored)
def measures_scored(plan: Plan, p: MeasuresScored, ctx: Context) -> Iterator[tuple[str, str]]:
    """Symptom severity is shown by scored, dated standard measures."""
    wanted = {i.casefold() for i in p.instruments} if p.instruments else None
    counted = 0
    known = plan.measures_known()  # a score after the plan date is not on the document
    for m, measure in enumerate(plan.measures, start=1):
        if wanted is not None and measure.instrument.casefold() not in wanted:
            continue
        if measure not in known:
            continue
        if measure.total is None:
            yield f"measures[{m}].total", f"missing; give the {measure.instrument} score"
            continue
        if p.require_date and measure.date is None:
            yield f"measures[{m}].date", f"missing; date the {measure.instrument} administration"
            continue
        counted += 1
    if counted < p.min:
        names = ", ".join(p.instruments) if p.instruments else "a standard measure"
        yield (
            "measures",
            (
                f"{counted} scored; this payer needs at least {p.min} scored "
                f"measure{'s' * (p.min != 1)} ({names}) to show symptom severity"
            ),
        )
