"""``txplan schema``: print the JSON Schema of the plan model."""

from __future__ import annotations

import json

import click

from pipeline.cli.common import CONTEXT
from pipeline.model import plan_json_schema


@click.command(context_settings=CONTEXT)
def schema() -> None:
    """Print the JSON Schema of the plan JSON (schema_version included).

    Example: txplan schema > plan.schema.json
    """
    click.echo(json.dumps(plan_json_schema(), indent=2, sort_keys=True))


COMMANDS = [schema]
