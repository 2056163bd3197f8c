"""Runs a build's job on a Dask distributed cluster: the same interface as the local Pool.

:class:`ClusterPool` connects to a scheduler (``tcp://host:8786``) or starts a
``LocalCluster`` of N worker processes (``local:N``). The job (payers, agency, goal bank,
options) is pickled once, keyed by its hash, and installed on every worker by a worker plugin,
so it travels once per worker, also to a worker that joins or is restarted mid-batch. Plans go
out as JSON, and documents come back as bytes in the job's answer (the job runs with
``collect`` on): the client writes them and keeps the ledger, manifest and version store, so
a worker never needs the client's disk. Results come back in task order with a bounded window
of futures in flight. A task that overruns its budget has its worker restarted (Dask cannot
stop a thread) and fails its rows; a worker that dies is rescheduled by Dask, so nothing is
lost; a lost scheduler stops the build with an error (the ledger keeps what was recorded and
the next run resumes from there).
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import logging
import pickle
import time
from collections import deque
from collections.abc import Iterable, Iterator
from types import MappingProxyType
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin

from pipeline.batch.pool import GRACE, Job
from pipeline.errors import TxplanError

#: Jobs installed on this worker process, by hash (filled by :class:`JobPlugin`).
_JOBS: dict[str, Any] = {}
#: Tasks in flight per worker thread: enough to keep each busy while results travel.
PER_WORKER = 6
#: Seconds to wait for a scheduler (and its first worker) before giving up.
CONNECT_TIMEOUT = 30


class JobPlugin(WorkerPlugin):
    """A Dask worker plugin carrying one pickled job, unpickled once when a worker starts."""

    def __init__(self, key: str, blob: bytes) -> None:
        self.name = key  # Dask replaces a plugin of the same name: one per job hash
        self.key = key
        self.blob = blob

    def setup(self, worker: Any) -> None:
        if self.key not in _JOBS:
            _JOBS[self.key] = pickle.loads(self.blob)  # noqa: S301 - our own job, from the client

    def teardown(self, worker: Any) -> None:
        _JOBS.pop(self.key, None)


def _proxy(mapping: MappingProxyType) -> tuple[Any, tuple[dict]]:
    return read_only, (dict(mapping),)


def read_only(mapping: dict) -> MappingProxyType:
    """A ``MappingProxyType`` again, on the worker (the type itself cannot be pickled)."""
    return MappingProxyType(mapping)


def dumps(job: Any) -> bytes:
    """Pickle a job, its goal bank's read-only mappings (``MappingProxyType``) included."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _proxy}
    pickler.dump(job)
    return buffer.getvalue()


def _run(key: str, task: Any) -> Any:
    """On a worker: run one task with the job installed under ``key``."""
    return _JOBS[key].run(task)


def parse_address(address: str) -> tuple[str, int | None]:
    """``("local", N)`` for ``local:N``; ``(address, None)`` for a scheduler's address."""
    address = address.strip()
    if address.startswith("local"):
        _, _, count = address.partition(":")
        try:
            workers = int(count) if count else 2
        except ValueError:
            workers = 0
        if workers < 1:
            raise TxplanError(f"{address!r}: use local:N with N >= 1 worker processes", "--cluster")
        return "local", workers
    if not address:
        raise TxplanError("give a scheduler address (tcp://host:8786) or local:N", "--cluster")
    return address, None


class ClusterPool:
    """``with ClusterPool(job, "local:2") as pool: for r in pool.imap(items): ...``"""

    def __init__(self, job: Job, address: str, *, window: int | None = None) -> None:
        self.job = job
        self.address, self.local_workers = parse_address(address)
        self.window = window
        self.replaced = 0  #: workers restarted after a time-out
        self.client: Any = None
        self._cluster: Any = None
        self._key = ""

    def __enter__(self) -> ClusterPool:
        try:
            if self.local_workers is not None:
                self._cluster = LocalCluster(
                    n_workers=self.local_workers, threads_per_worker=1, processes=True,
                    dashboard_address=None, silence_logs=logging.ERROR,
                )  # fmt: skip
                self.client = Client(self._cluster)
            else:
                self.client = Client(self.address, timeout=CONNECT_TIMEOUT)
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            self.__exit__(None, None, None)
            raise TxplanError(f"cannot reach a Dask cluster at {self.address}: {exc}",
                              "--cluster") from exc  # fmt: skip
        self.job.collect = True  # documents come back as bytes; this process writes them
        try:
            blob = dumps(self.job)
        finally:
            self.job.collect = False
        self._key = "txplan-job-" + hashlib.sha256(blob).hexdigest()[:20]
        self.client.register_plugin(JobPlugin(self._key, blob), name=self._key)
        threads = sum(self.client.nthreads().values()) or 1
        self.window = self.window or max(4, threads * PER_WORKER)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def imap(self, items: Iterable[tuple[bool, Any]]) -> Iterator[Any]:
        """Results in order. Each item is ``(True, task)`` to run, or ``(False, result)``
        already known (passed through in its place)."""
        source = iter(items)
        flight: deque[tuple[Any, Any]] = deque()  #: (future or None, task or known result)
        exhausted = False
        head_since = time.monotonic()
        while True:
            while not exhausted and len(flight) < self.window:
                try:
                    run, value = next(source)
                except StopIteration:
                    exhausted = True
                    break
                future = self.client.submit(_run, self._key, value, pure=False) if run else None
                flight.append((future, value))
            if not flight:
                return
            future, value = flight.popleft()
            if future is None:
                yield value
            else:
                yield self._result(future, value, head_since)
            head_since = time.monotonic()

    def _result(self, future: Any, task: Any, since: float) -> Any:
        """The head task's answer; its budget counts from when it reached the head."""
        budget = self.job.budget(task)
        remaining = since + budget + GRACE - time.monotonic()
        try:
            return future.result(timeout=max(remaining, 0.1))
        except TimeoutError:
            self._stop(future)
            return self.job.timed_out(task, budget)
        except Exception as exc:  # noqa: BLE001 - a task's failure is that plan's rows
            if self.client is None or self.client.status not in ("running", "connecting"):
                raise TxplanError(
                    f"lost the Dask scheduler at {self.address} ({exc}); the ledger keeps "
                    "every row recorded so far: run the same build again to resume",
                    "--cluster",
                ) from exc
            return self.job.crashed(task, f"{type(exc).__name__}: {exc}")
        finally:
            future.release()

    def _stop(self, future: Any) -> None:
        """Cancel an overrunning task and restart the worker running it (its thread cannot
        be stopped otherwise); Dask reschedules that worker's other tasks."""
        key = future.key
        future.cancel()
        try:
            busy = self.client.processing()
            workers = [w for w, keys in busy.items() if key in keys]
            if workers:
                self.client.restart_workers(workers)
                self.replaced += len(workers)
        except Exception:  # noqa: BLE001 - a worker without a nanny cannot be restarted
            pass
