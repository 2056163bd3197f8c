"""Shared pieces of the batch tests: a doubling pool job, and copies of the sample plan."""

from __future__ import annotations

from pipeline.model import Plan
from tests.support import DATA

FULL = DATA / "render" / "full.json"


def sample_plans(count: int, prefix: str) -> list[Plan]:
    """``count`` copies of the full sample plan, each its own client (``<prefix>-001`` on)."""
    base = Plan.model_validate_json(FULL.read_text(encoding="utf-8"))
    return [
        base.model_copy(
            update={"client": base.client.model_copy(update={"id": f"{prefix}-{n:03d}"})}
        )
        for n in range(1, count + 1)
    ]


class DoublingJob:
    """A pool job: doubles each task; -1 timed out, -2 crashed."""

    def run(self, task: int) -> int:
        return task * 2

    def budget(self, task: int) -> float:
        return 30.0

    def timed_out(self, task: int, seconds: float) -> int:
        return -1

    def crashed(self, task: int, why: str) -> int:
        return -2
