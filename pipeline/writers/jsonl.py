"""Writes plans as JSON: one deterministic line per plan (JSON Lines)."""

from __future__ import annotations

import json

from pipeline.model import Plan


def plan_to_json(plan: Plan, indent: int | None = None) -> str:
    """The plan's JSON form: stable key order, ISO dates, no defaults dropped."""
    return json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, indent=indent)
