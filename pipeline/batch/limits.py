"""Time limits of a step and the cores a process may use: what a batch's workers bound and size.

:func:`time_limit` is a soft limit (SIGALRM raises :class:`TimeLimit` in the block); the pool's
hard limit (:mod:`pipeline.batch.pool`) kills a worker that overruns it anyway.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Any


class TimeLimit(BaseException):
    """A step ran past its time limit (a BaseException, so no ``except Exception`` eats it)."""


def available_cpus() -> int:
    """The cores this process may run on (its affinity mask, not the machine's total)."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return counter() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


#: The limits running in this process, innermost last (what :func:`on_alarm` reports).
_LIMITS: list[float] = []

try:  # the handler as set: ``signal.getsignal`` looks each one up in an enum first, which
    # for a function fails with an exception (a third of a worker's time in time_limit)
    from _signal import getsignal as _handler
except ImportError:  # pragma: no cover - another Python
    _handler = signal.getsignal


def on_alarm(signum: int, frame: Any) -> None:
    raise TimeLimit(_LIMITS[-1] if _LIMITS else None)


class time_limit:  # noqa: N801 - used as a function: ``with time_limit(60): ...``
    """Raise :class:`TimeLimit` in this thread if the block runs longer than ``seconds``.

    Uses SIGALRM, so it works only in the main thread of a process; elsewhere (or with no
    limit) the block runs unbounded and the pool's hard limit is what is left. A worker
    installs the handler once (:func:`_serve`); elsewhere each block installs it and puts
    the previous one back.
    """

    __slots__ = ("previous", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.previous: Any = on_alarm

    def __enter__(self) -> None:
        seconds = self.seconds
        if not seconds or threading.get_ident() != threading.main_thread().ident:
            self.seconds = None
            return
        if _handler(signal.SIGALRM) is not on_alarm:
            self.previous = signal.signal(signal.SIGALRM, on_alarm)
        _LIMITS.append(seconds)
        signal.setitimer(signal.ITIMER_REAL, seconds)

    def __exit__(self, *exc: object) -> None:
        if self.seconds is None:
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        _LIMITS.pop()
        if self.previous is not on_alarm:
            signal.signal(signal.SIGALRM, self.previous)
