"""A worker freezes what outlives each task (no young collection scans it again), collects
the warm-up's, sampled and big tasks' young objects first, and goes back to the collector as
before once a sampled task is seen to leave garbage cycles (nothing piles up)."""

from __future__ import annotations

import gc

import pytest

from pipeline.batch.pool import Freezer


class _Node:
    def __init__(self) -> None:
        self.other: object = None


@pytest.fixture
def collector():
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    gc.enable()
    gc.set_threshold(100_000, *threshold[1:])  # as a build's workers: no young pass mid-task
    gc.collect()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
        gc.collect()
        if not enabled:
            gc.disable()


def _kept(store: list, n: int = 20) -> None:
    store.append([_Node() for _ in range(n)])  # outlives the task, no cycle


def _cycle() -> None:
    a, b = _Node(), _Node()
    a.other, b.other = b, a  # garbage once the task ends


def test_what_outlives_a_task_is_frozen_and_the_freezer_stays_on(collector) -> None:
    freezer, kept = Freezer(), []
    frozen = gc.get_freeze_count()
    for _ in range(Freezer.WARM_UP + 2 * Freezer.SAMPLE + 1):
        _kept(kept)
        freezer.after_task()
        assert gc.get_count()[0] == 0  # nothing left for a young collection to scan
    assert freezer.on
    assert gc.get_freeze_count() >= frozen + 20 * len(kept)


def test_the_warm_up_garbage_is_collected_not_frozen(collector) -> None:
    freezer = Freezer()
    for _ in range(Freezer.WARM_UP):
        _cycle()
        freezer.after_task()
    assert freezer.on  # lazy set-up's cycles do not turn it off
    gc.unfreeze()  # what was frozen, back where the collector sees it: no cycle among it
    assert not any(type(o) is _Node for o in gc.get_objects())


def test_tasks_that_leave_cycles_turn_freezing_off_and_nothing_piles_up(collector) -> None:
    freezer = Freezer()
    for _ in range(Freezer.WARM_UP):
        freezer.after_task()
    frozen = gc.get_freeze_count()
    for _ in range(3 * Freezer.SAMPLE):
        _cycle()
        freezer.after_task()
    assert not freezer.on
    gc.collect()  # the collector finds the cycles made since (none was frozen)
    gc.unfreeze()
    # frozen: at most the cycles of the tasks before the first sampled one
    frozen_nodes = sum(type(o) is _Node for o in gc.get_objects())
    assert 0 < frozen_nodes <= 2 * Freezer.SAMPLE
    assert gc.get_freeze_count() == 0 and frozen >= 0


def test_a_task_that_leaves_many_objects_is_collected_first(collector) -> None:
    freezer = Freezer()
    freezer.tasks = Freezer.WARM_UP  # past the warm-up, not a sampled task
    kept: list = []
    _kept(kept, Freezer.LEFT + 10)
    _cycle()
    freezer.after_task()
    assert not freezer.on  # its cycle was found
    assert not any(type(o) is _Node and o.other is not None for o in gc.get_objects())


def test_a_worker_with_the_collector_off_freezes_nothing(collector) -> None:
    gc.disable()
    try:
        freezer = Freezer()
        frozen = gc.get_freeze_count()
        _kept([])
        freezer.after_task()
        assert not freezer.on and gc.get_freeze_count() == frozen
    finally:
        gc.enable()
