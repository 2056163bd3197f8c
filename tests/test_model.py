"""The canonical model: immutability, versioned JSON, stable public names."""

import json

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
