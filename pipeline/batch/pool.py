"""Runs a job over a stream of tasks in worker processes, in order, each task with a time limit.

:class:`Pool` forks ``workers`` processes once (whatever the parent loaded before, such as the
goal bank, the code table and the payer profiles, is shared copy-on-write), keeps at most a
small window of tasks in flight, and yields results in task order. A task that overruns its
budget has its worker killed and replaced: the job's ``timed_out(task)`` stands in for its
result and the batch goes on. ``workers=1`` runs in-process. Either way the job should also
bound each step itself with :func:`time_limit` (a soft limit: the worker survives it).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

#: Seconds a worker gets beyond a task's budget before it is killed (the soft limit goes first).
GRACE = 5.0
#: Tasks queued at a worker at most. A deep queue keeps it busy while the main process is
#: parsing the next rows (10,000 rows: 9.5-10.4 s with 8, 10.8 s with 2, on 2 cores).
PIPELINE = 8


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


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimit` in this thread if the block runs longer than ``seconds``.

    Uses SIGALRM, so it works only in the main thread of a process; elsewhere (or with no
    limit) the block runs unbounded and the pool's hard limit is what is left.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise TimeLimit(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Job(Protocol):
    """What a pool runs: ``run`` in a worker; ``budget`` and ``timed_out`` in the parent."""

    def run(self, task: Any) -> Any: ...

    def budget(self, task: Any) -> float: ...

    def timed_out(self, task: Any, seconds: float) -> Any: ...

    def crashed(self, task: Any, why: str) -> Any: ...


def _serve(conn: Connection, job: Job, private: list[int]) -> None:
    """A worker's loop: receive (seq, task), answer (seq, result), until told to stop or the
    parent is gone (its end of the pipe closes: EOF)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does
    for fd in private:  # the parent's pipe ends and locks must not outlive the parent
        with suppress(OSError):
            os.close(fd)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        seq, task = message
        try:
            result = job.run(task)
        except BaseException as exc:  # noqa: BLE001 - one task must never stop the worker
            result = job.crashed(task, f"{type(exc).__name__}: {exc}")
        conn.send((seq, result))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    queue: deque[tuple[int, Any]] = field(default_factory=deque)
    started: float = 0.0  #: when the head of the queue began (its answer's clock)


class Pool:
    """``with Pool(job, workers=4, timeout=60) as pool: for r in pool.imap(tasks): ...``"""

    def __init__(self, job: Job, *, workers: int, window: int | None = None,
                 private: tuple[int, ...] = ()) -> None:  # fmt: skip
        """``private``: file descriptors of the parent that workers close at once (a lock)."""
        self.job = job
        self.private = private
        self.size = max(1, workers)
        self.window = window or self.size * 8 + 8
        self.replaced = 0  #: workers killed and replaced (time-outs, crashes)
        self._ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        self._workers: list[_Worker] = []

    def __enter__(self) -> Pool:
        if self.size > 1:
            for _ in range(self.size):
                self._workers.append(self._spawn())
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self._workers:
            with suppress(OSError):
                worker.conn.send(None)
        for worker in self._workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._workers = []

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        others = [w.conn.fileno() for w in self._workers if not w.conn.closed]
        private = [*self.private, parent.fileno(), *others]
        process = self._ctx.Process(target=_serve, args=(child, self.job, private), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def imap(self, items: Iterable[tuple[bool, Any]]) -> Iterator[Any]:
        """Results in order. Each item is ``(True, task)`` to run, or ``(False, result)``
        already known (passed through in its place)."""
        if self.size == 1:  # in-process: the job's own time limits still apply
            for run, value in items:
                yield self.job.run(value) if run else value
            return
        source = iter(items)
        pending: deque[tuple[int, Any]] = deque()  #: tasks to (re)send, in order
        done: dict[int, Any] = {}
        next_seq = next_out = 0
        exhausted = False
        while True:
            while not exhausted and next_seq - next_out < self.window and len(pending) < self.size:
                try:
                    run, value = next(source)
                except StopIteration:
                    exhausted = True
                    break
                if run:
                    pending.append((next_seq, value))
                else:
                    done[next_seq] = value
                next_seq += 1
            self._dispatch(pending, done)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if exhausted and next_out == next_seq:
                return
            if any(w.queue for w in self._workers):
                self._collect(done, pending)

    def _dispatch(self, pending: deque[tuple[int, Any]], done: dict[int, Any]) -> None:
        for worker in sorted(self._workers, key=lambda w: len(w.queue)):
            while pending and len(worker.queue) < PIPELINE:
                seq, task = pending.popleft()
                if not worker.queue:
                    worker.started = time.monotonic()
                worker.queue.append((seq, task))
                try:
                    worker.conn.send((seq, task))
                except OSError:  # the worker died (OOM killer, segfault): not a closed stdout
                    self._replace(worker, done, pending, "the worker process died")
                    break

    def _collect(self, done: dict[int, Any], pending: deque[tuple[int, Any]]) -> None:
        """Wait for answers (up to the nearest deadline); kill and replace overdue workers."""
        busy = [w for w in self._workers if w.queue]
        now = time.monotonic()
        deadlines = {id(w): w.started + self.job.budget(w.queue[0][1]) + GRACE for w in busy}
        ready = wait([w.conn for w in busy], timeout=max(0.0, min(deadlines.values()) - now))
        for worker in busy:
            if worker.conn in ready:
                try:
                    seq, result = worker.conn.recv()
                except (EOFError, OSError):
                    self._replace(worker, done, pending, "the worker process died")
                    continue
                worker.queue.popleft()
                worker.started = time.monotonic()
                done[seq] = result
            elif time.monotonic() > deadlines[id(worker)]:
                self._replace(worker, done, pending, None)

    def _replace(self, worker: _Worker, done: dict[int, Any],
                 pending: deque[tuple[int, Any]], crash: str | None) -> None:  # fmt: skip
        """Kill a worker; its head task fails, the rest of its queue is sent again."""
        seq, task = worker.queue.popleft()
        for item in reversed(worker.queue):
            pending.appendleft(item)
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        if crash:
            crash += _how_it_ended(worker.process.exitcode)
        budget = self.job.budget(task)
        done[seq] = self.job.crashed(task, crash) if crash else self.job.timed_out(task, budget)
        self._workers[self._workers.index(worker)] = self._spawn()
        self.replaced += 1


def _how_it_ended(exitcode: int | None) -> str:
    """`` (killed by SIGKILL: out of memory?)`` and the like, from a process's exit code."""
    if exitcode is None or exitcode >= 0:
        return f" (exit code {exitcode})" if exitcode else ""
    try:
        name = signal.Signals(-exitcode).name
    except ValueError:
        name = f"signal {-exitcode}"
    hint = "; out of memory?" if -exitcode == signal.SIGKILL else ""
    return f" (killed by {name}{hint})"
