"""The canonical model: immutability, versioned JSON, stable public names."""

import datetime as dt
import json
from typing import ClassVar

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from pipeline.cli import main
from pipeline.model import SCHEMA_VERSION, STABLE_FIELDS, Client, Measure, Plan, replace


def _resolve(schema: dict, path: str) -> None:
    defs = schema["$defs"]
    node = schema
    for part in path.split("."):
        name = part.removesuffix("[]")
        props = node["properties"]
        assert name in props, f"{path}: {name} missing"
        node = props[name]
        if part.endswith("[]"):
            node = node.get("items", node)
        ref = node.get("$ref") or next(
            (a["$ref"] for a in node.get("anyOf", []) if "$ref" in a), None
        )
        if ref:
            node = defs[ref.split("/")[-1]]


def test_stable_fields_exist_in_schema() -> None:
    schema = Plan.model_json_schema()
    for path in STABLE_FIELDS:
        _resolve(schema, path)


def test_plan_is_immutable() -> None:
    plan = Plan(client=Client(id="C1"))
    with pytest.raises(ValidationError):
        plan.client.first_name = "X"  # type: ignore[misc]
    changed = replace(plan.client, first_name="Zoë")
    assert changed.first_name == "Zoë" and plan.client.first_name is None


def test_json_round_trip_carries_schema_version() -> None:
    plan = Plan(client=Client(id="C1"), measures=(Measure(instrument="PHQ-9", total=14),))
    data = json.loads(plan.model_dump_json())
    assert data["schema_version"] == SCHEMA_VERSION
    assert Plan.model_validate(data) == plan


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Plan.model_validate({"client": {"id": "1", "firstname": "typo"}})


def test_schema_command_prints_json_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert "schema_version" in schema["properties"]


def test_part_model_copy_is_pydantics():
    """Part.model_copy (a faster shallow copy) gives what pydantic's own gives: the same
    values, fields set and JSON, the original unchanged; deep copies are pydantic's."""
    from pydantic import BaseModel

    from pipeline.model import Objective, Origin

    original = Objective(id="o1", text="Reduce PHQ-9 from 16 to 9", origin=Origin.BANK)
    for update in (None, {}, {"target": "9", "target_date": dt.date(2026, 4, 6)}):
        ours = original.model_copy(update=update)
        theirs = BaseModel.model_copy(original, update=update)
        assert type(ours) is Objective and ours == theirs
        assert ours.model_fields_set == theirs.model_fields_set
        assert ours.model_dump_json() == theirs.model_dump_json()
        assert ours is not original and ours.__dict__ is not original.__dict__
        assert ours.model_fields_set is not original.model_fields_set
        assert ours.__pydantic_extra__ is None and ours.__pydantic_private__ is None
    assert original.target is None and "target" not in original.model_fields_set
    deep = original.model_copy(update={"id": "o2"}, deep=True)
    assert deep.id == "o2" and deep.text == original.text


def test_a_part_made_another_way_is_copied_and_assembled_by_pydantic_or_not_at_all():
    """A part class with its own ``__new__`` is not "plain": ``model_copy`` leaves it to
    pydantic and ``assemble`` refuses it (it would skip that ``__new__``)."""
    from pydantic import BaseModel

    from pipeline.model.base import Part
    from pipeline.model.build import assemble, plain

    class Counted(Part):
        made: ClassVar[list[str]] = []
        name: str

        def __new__(cls, *args: object, **kwargs: object) -> "Counted":  # noqa: UP037
            cls.made.append("new")
            return super().__new__(cls)

    original = Counted(name="a")
    assert not plain(Counted) and plain(Part) and plain(BaseModel)
    copied = original.model_copy(update={"name": "b"})
    assert copied.name == "b" and Counted.made == ["new", "new"]
    with pytest.raises(TypeError):
        assemble(Counted, {"name": "c"})
