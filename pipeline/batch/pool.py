"""Runs a job over a stream of tasks in worker processes, in order, each task with a time limit.

:class:`Pool` forks ``workers`` processes once (whatever the parent loaded before, such as the
goal bank, the code table and the payer profiles, is shared copy-on-write), keeps at most a
small window of tasks in flight, and yields results in task order. Tasks go to a worker and
results come back several to a message (the main process is serial: one message a plan each
way cost it more than the sink); each worker says in shared memory which task it is running
and since when, so a task that overruns its budget is known exactly: its worker is killed and
replaced, the job's ``timed_out(task)`` stands in for its result, the worker's other tasks
are sent again, and the batch goes on. ``workers=1`` runs in-process. Either way the job
should also bound each step itself with :func:`~pipeline.batch.limits.time_limit` (a soft
limit: the worker survives it).
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import select
import signal
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from pipeline.batch.limits import on_alarm

#: Seconds a worker gets beyond a task's budget before it is killed (the soft limit goes first).
GRACE = 5.0
#: Tasks queued at a worker at most. A deep queue keeps it busy while the main process is
#: parsing the next rows (10,000 rows: 9.5-10.4 s with 8, 10.8 s with 2, on 2 cores), and
#: lets tasks and results travel several to a message. Up to :data:`BATCH` of them may be
#: done and not yet sent, so 32 leaves a worker 24 or more tasks (about 0.1 s of work) while
#: the main process flushes a batch of rows (the store's inserts, the ledger and manifest
#: rows of ~200 plans: 50-70 ms of its CPU, at two thirds of a core beside two workers).
PIPELINE = 32
#: A worker sends its results when it has this many, when it has no task left, or when the
#: oldest has waited :data:`HOLD` seconds (so the sink never waits long for a finished plan).
BATCH = 8
HOLD = 0.2
#: A worker with fewer tasks than this (sent, not yet answered) is sent the next one read at
#: once (one message a task while it is this short of work), not once the reading has filled
#: the window: at the start of a batch the workers get work from the first plan read on.
LOW = 4
#: Bytes a worker's connection may hold unread each way (the kernel caps it at its
#: ``net.core.wmem_max``/``rmem_max``): a full queue of tasks or of results, unread.
SOCKET_BUFFER = 1 << 20
#: The shared state slot of a worker between tasks.
IDLE = -1.0


class Job(Protocol):
    """What a pool runs: ``run`` in a worker; ``budget`` and ``timed_out`` in the parent. A
    job may also have ``start()``, which each worker runs once when it starts (it must not
    raise: its failures are the tasks' to report)."""

    def run(self, task: Any) -> Any: ...

    def budget(self, task: Any) -> float: ...

    def timed_out(self, task: Any, seconds: float) -> Any: ...

    def crashed(self, task: Any, why: str) -> Any: ...


def _serve(conn: Connection, job: Job, private: list[int], state: Any) -> None:
    """A worker's loop: receive lists of (seq, task), answer lists of (seq, result), until told
    to stop or the parent is gone (its end of the pipe closes: EOF). While a task runs,
    ``state`` (shared with the parent) holds its seq and when it began."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does
    signal.signal(signal.SIGALRM, on_alarm)  # once: each time_limit then only sets a timer
    for fd in private:  # the parent's pipe ends and locks must not outlive the parent
        with suppress(OSError):
            os.close(fd)
    start = getattr(job, "start", None)
    if start is not None:  # the job's once-per-worker work, while the parent reads its rows
        start()
    freezer = Freezer()
    inbox: deque[tuple[int, Any]] = deque()
    outbox: list[tuple[int, Any]] = []
    held = 0.0  #: when the oldest result in the outbox was made
    waiting = message_waiting(conn)
    while True:
        try:
            while not inbox or waiting():  # block only with nothing to do or to send
                if outbox and not inbox:
                    conn.send(outbox)
                    outbox = []
                message = conn.recv()
                if message is None:
                    return
                inbox.extend(message)
        except (EOFError, OSError):
            return
        seq, task = inbox.popleft()
        began = state[1] = time.monotonic()  # the start first: the parent reads seq first
        state[0] = float(seq)
        try:
            result = job.run(task)
        except BaseException as exc:  # noqa: BLE001 - one task must never stop the worker
            result = job.crashed(task, f"{type(exc).__name__}: {exc}")
        state[0] = IDLE
        freezer.after_task()
        if not outbox:
            held = time.monotonic()
        outbox.append((seq, result))
        now = time.monotonic()
        if not inbox or len(outbox) >= BATCH or now - held >= HOLD or now - began >= HOLD / 2:
            try:
                conn.send(outbox)
            except OSError:
                return
            outbox = []


class Freezer:
    """What a worker keeps from one task to the next (filled caches, its queues) is frozen
    (``gc.freeze``: moved out of the collector's generations, in constant time) when the task
    ends. Objects left by each plan (~100-150, and references to big shared ones) otherwise
    made every young collection in a worker take 3-7 ms, and every tenth 45-55 ms, finding
    nothing: 0.33 CPU s a worker in a 10,000-plan build, all of it in scanning survivors.

    Frozen objects are still freed when nothing refers to them; only garbage cycles would stay.
    So the first :data:`WARM_UP` tasks (lazy set-up makes some), every :data:`SAMPLE`-th task
    and any task that leaves more than :data:`LEFT` new objects are collected before the
    freeze; should such a collection after the warm-up find a cycle, tasks make them, and the
    worker stops freezing (the collector works as before from then on)."""

    WARM_UP = 32
    SAMPLE = 64
    LEFT = 1000

    def __init__(self) -> None:
        self.on = gc.isenabled()
        self.tasks = 0

    def after_task(self) -> None:
        if not self.on:
            return
        self.tasks += 1
        tasks = self.tasks
        look = tasks <= self.WARM_UP or not tasks % self.SAMPLE or gc.get_count()[0] > self.LEFT
        if look and gc.collect(0) and tasks > self.WARM_UP:
            self.on = False  # this worker's tasks leave cycles: collected as before
            return
        gc.freeze()


def message_waiting(conn: Connection) -> Callable[[], bool]:
    """``conn.poll(0)``: whether a message (or the end of the connection) is waiting, asked of
    one poll object made once (``poll`` makes, fills and closes a selector each time: a
    worker asks after every task)."""
    try:
        poller = select.poll()
        poller.register(conn.fileno(), select.POLLIN)
    except (AttributeError, OSError):  # pragma: no cover - no poll(2) here
        return lambda: conn.poll(0)
    return lambda: bool(poller.poll(0))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    state: Any  #: shared with the worker: [seq of the task it runs or IDLE, when it began]
    queue: deque[tuple[int, Any]] = field(default_factory=deque)  #: sent, not yet answered
    idle_seen: float | None = None  #: when the parent saw it between tasks with a queue
    stopped: bool = False  #: told there are no more tasks

    def running(self) -> int | None:
        """The seq of the task the worker is running, if it is one of its queue's."""
        seq = int(self.state[0])
        return seq if self.state[0] != IDLE and any(s == seq for s, _ in self.queue) else None


class Pool:
    """``with Pool(job, workers=4, timeout=60) as pool: for r in pool.imap(tasks): ...``"""

    def __init__(self, job: Job, *, workers: int, window: int | None = None,
                 private: tuple[int, ...] = ()) -> None:  # fmt: skip
        """``private``: file descriptors of the parent that workers close at once (a lock)."""
        self.job = job
        self.private = private
        self.size = max(1, workers)
        self.window = window or (self.size + 1) * PIPELINE
        self.replaced = 0  #: workers killed and replaced (time-outs, crashes)
        self._ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        self._workers: list[_Worker] = []

    def __enter__(self) -> Pool:
        if self.size > 1:
            for _ in range(self.size):
                self._workers.append(self._spawn())
        return self

    def stop(self) -> None:
        """Tell the workers there is nothing more (they wind down while the caller goes on);
        ``__exit__`` then only waits for them."""
        for worker in self._workers:
            if not worker.stopped:
                worker.stopped = True
                with suppress(OSError):
                    worker.conn.send(None)

    def __exit__(self, *exc: object) -> None:
        self.stop()
        for worker in self._workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._workers = []

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        for end in (parent, child):
            _roomy(end)
        state = self._ctx.RawArray("d", [IDLE, 0.0])
        others = [w.conn.fileno() for w in self._workers if not w.conn.closed]
        private = [*self.private, parent.fileno(), *others]
        process = self._ctx.Process(target=_serve, args=(child, self.job, private, state),
                                    daemon=True)  # fmt: skip
        process.start()
        child.close()
        return _Worker(process, parent, state)

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
            room = sum(PIPELINE - len(w.queue) for w in self._workers)
            hungry = False
            while not exhausted and next_seq - next_out < self.window and len(pending) < room:
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
                if run and self._hungry(len(pending)):
                    hungry = True  # a worker is (nearly) out of work: send it this one now
                    break
            self._dispatch(pending, done, final=exhausted)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if exhausted and next_out == next_seq:
                return
            if any(w.queue for w in self._workers):
                # a worker was hungry and there is room for more tasks: only pick up the
                # answers already there, and go on reading
                self._collect(done, pending, block=not hungry)

    def _hungry(self, pending: int) -> bool:
        """Whether some worker has fewer than :data:`LOW` tasks (sent and ``pending``, shared
        as :meth:`_dispatch` shares them): at the start of a batch (while the parent reads
        its first rows) or after a slow stretch, a worker then gets its next task at once,
        not once a whole window of them has been read."""
        low = min(len(w.queue) for w in self._workers)
        return low + pending // len(self._workers) < LOW

    def _dispatch(self, pending: deque[tuple[int, Any]], done: dict[int, Any], *,
                  final: bool = False) -> None:  # fmt: skip
        """Share the pending tasks among the workers, least loaded first, one message each.
        A worker with :data:`LOW` tasks or more queued is sent :data:`BATCH` or more at once
        (else they wait for more to be read or for its queue to go down): topped up as each
        answer came back, a worker got one task a message, each costing both sides a
        message's pickling, system calls and a read. ``final``: nothing more will be read."""
        share = -(-len(pending) // len(self._workers))  # the pending tasks shared evenly
        while pending:
            worker = min(self._workers, key=lambda w: len(w.queue))
            take = min(PIPELINE - len(worker.queue), share, len(pending))
            if take <= 0 or (take < BATCH and len(worker.queue) >= LOW and not final):
                return
            batch = [pending.popleft() for _ in range(take)]
            worker.queue.extend(batch)
            try:
                worker.conn.send(batch)
            except OSError:  # the worker died (OOM killer, segfault): not a closed stdout
                self._replace(worker, done, pending, "the worker process died")

    def _deadline(self, worker: _Worker) -> float:
        """When the worker is overdue: its task's start (which it wrote) plus the task's
        budget; between tasks, the head's budget from when the parent first saw it so."""
        seq = worker.running()
        if seq is not None:
            worker.idle_seen = None
            task = next(t for s, t in worker.queue if s == seq)
            return worker.state[1] + self.job.budget(task) + GRACE
        if worker.idle_seen is None:
            worker.idle_seen = time.monotonic()
        return worker.idle_seen + self.job.budget(worker.queue[0][1]) + GRACE

    def _collect(self, done: dict[int, Any], pending: deque[tuple[int, Any]], *,
                 block: bool = True) -> None:  # fmt: skip
        """Wait for answers (up to the nearest deadline; not at all unless ``block``); kill
        and replace overdue workers."""
        busy = [w for w in self._workers if w.queue]
        deadlines = {id(w): self._deadline(w) for w in busy}
        timeout = max(0.0, min(deadlines.values()) - time.monotonic()) if block else 0.0
        ready = wait([w.conn for w in busy], timeout=min(timeout, 1.0))
        for worker in busy:
            if worker.conn in ready:
                try:
                    answers = worker.conn.recv()
                except (EOFError, OSError):
                    self._replace(worker, done, pending, "the worker process died")
                    continue
                for seq, result in answers:
                    head, _task = worker.queue.popleft()
                    if head != seq:  # never: a worker answers its tasks in order
                        raise RuntimeError(f"worker answered task {seq}, expected {head}")
                    done[seq] = result
                worker.idle_seen = None
            elif time.monotonic() > self._deadline(worker):
                self._replace(worker, done, pending, None)

    def _replace(self, worker: _Worker, done: dict[int, Any],
                 pending: deque[tuple[int, Any]], crash: str | None) -> None:  # fmt: skip
        """Kill a worker; the task it was running (else its queue's head) fails, the rest
        of its queue is sent again (results it made but had not sent are made again)."""
        worker.process.kill()
        worker.process.join()
        running = worker.running()
        culprit = running if running is not None else worker.queue[0][0]
        task = next(t for s, t in worker.queue if s == culprit)
        for item in reversed(worker.queue):
            if item[0] != culprit:
                pending.appendleft(item)
        worker.queue.clear()
        worker.conn.close()
        if crash:
            crash += _how_it_ended(worker.process.exitcode)
        budget = self.job.budget(task)
        done[culprit] = self.job.crashed(task, crash) if crash else self.job.timed_out(task, budget)
        self._workers[self._workers.index(worker)] = self._spawn()
        self.replaced += 1


def _roomy(conn: Connection) -> None:
    """Let a connection hold :data:`SOCKET_BUFFER` bytes unread (a socket pair's default,
    about 200 KB, is one message of results: a worker then waited on every pause of the
    parent, a store commit or a slow row, instead of going on with its queue)."""
    try:
        end = socket.socket(fileno=os.dup(conn.fileno()))
    except OSError:  # not a socket (a platform's pipe): its own buffer stands
        return
    with end, suppress(OSError):
        end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
        end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_BUFFER)


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
