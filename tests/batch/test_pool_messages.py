"""Tasks go to a busy worker several to a message, not one a message as its answers return."""

from __future__ import annotations

from collections import deque
from types import SimpleNamespace
from typing import Any

from pipeline.batch.pool import BATCH, LOW, PIPELINE, Pool
from tests.batch.jobs import DoublingJob


class Conn:
    """A worker's end as the parent sees it: what it was sent."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def send(self, tasks: list[Any]) -> None:
        self.sent.append(len(tasks))


def _pool(*queued: int) -> Pool:
    """A pool (never entered: no process) whose workers have these many tasks queued."""
    pool = Pool(DoublingJob(), workers=len(queued))
    pool._workers = [SimpleNamespace(conn=Conn(), queue=deque((-1, 0) for _ in range(n)))
                     for n in queued]  # type: ignore[misc]  # fmt: skip
    return pool


def _sent(pool: Pool, pending: int, *, final: bool = False) -> tuple[list[list[int]], int]:
    tasks: deque[tuple[int, Any]] = deque((n, n) for n in range(pending))
    pool._dispatch(tasks, {}, final=final)
    return [w.conn.sent for w in pool._workers], len(tasks)  # type: ignore[attr-defined]


def test_a_busy_worker_waits_for_a_batch_of_tasks() -> None:
    busy = PIPELINE - BATCH - 4  # room for more than a batch
    assert _sent(_pool(busy, busy), BATCH) == ([[], []], BATCH)  # half a batch each: not yet
    assert _sent(_pool(busy, PIPELINE - 2), 2 * BATCH) == ([[BATCH], []], BATCH)
    assert _sent(_pool(busy, busy), 2 * BATCH) == ([[BATCH], [BATCH]], 0)


def test_a_worker_short_of_work_and_the_last_tasks_go_at_once() -> None:
    assert _sent(_pool(LOW - 1, PIPELINE - 2), 1) == ([[1], []], 0)  # the start, a slow stretch
    busy = PIPELINE - BATCH - 4
    assert _sent(_pool(busy, busy), 5, final=True) == ([[3], [2]], 0)  # shared evenly
