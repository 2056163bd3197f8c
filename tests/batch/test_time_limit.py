"""The soft time limit: the SIGALRM handler installed once in a worker, put back in-process,
and each limit reporting its own seconds."""

from __future__ import annotations

import signal
import threading

import pytest

from pipeline.batch import limits
from pipeline.batch.limits import TimeLimit, time_limit
from pipeline.batch.pool import Pool


def _spin() -> None:
    while True:
        pass


def test_in_process_the_previous_handler_is_put_back() -> None:
    def mine(signum, frame) -> None:  # pragma: no cover - never fires
        raise AssertionError

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        with pytest.raises(TimeLimit) as raised, time_limit(0.05):
            _spin()
        assert raised.value.args == (0.05,)
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        with time_limit(None):
            assert signal.getsignal(signal.SIGALRM) is mine  # no limit: nothing installed
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_with_the_handler_installed_each_limit_says_its_seconds_and_leaves_it() -> None:
    previous = signal.signal(signal.SIGALRM, limits.on_alarm)  # as a worker has it
    try:
        for seconds in (0.05, 0.08):
            with pytest.raises(TimeLimit) as raised, time_limit(seconds):
                _spin()
            assert raised.value.args == (seconds,)
            assert signal.getsignal(signal.SIGALRM) is limits.on_alarm
        with time_limit(5):  # an inner limit that ends in time stops the timer (as before)
            with time_limit(0.05):
                pass
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert limits._LIMITS == []
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_a_block_runs_unbounded() -> None:
    seen = []

    def body() -> None:
        with time_limit(0.01):
            seen.append(signal.getitimer(signal.ITIMER_REAL))

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert seen == [(0.0, 0.0)]


class _Sleepy:
    """Each task spins past its soft limit; the worker reports the limit's seconds."""

    def run(self, seconds: float) -> tuple[object, str]:
        try:
            with time_limit(seconds):
                _spin()
        except TimeLimit as exc:
            return exc.args[0], repr(signal.getsignal(signal.SIGALRM))
        return None, ""

    def budget(self, task: float) -> float:
        return 30.0

    def timed_out(self, task: float, seconds: float) -> object:
        return "timed out"

    def crashed(self, task: float, why: str) -> object:
        return why


def test_a_worker_keeps_its_handler_across_tasks() -> None:
    with Pool(_Sleepy(), workers=2) as workers:
        results = list(workers.imap((True, s) for s in (0.03, 0.05, 0.04, 0.06)))
    assert [seconds for seconds, _ in results] == [0.03, 0.05, 0.04, 0.06]
    assert all("on_alarm" in handler for _, handler in results)
