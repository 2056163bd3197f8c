"""Runs a build's job on a Dask distributed cluster: the same interface as the local Pool.

:class:`ClusterPool` connects to a scheduler (``tcp://host:8786``) or starts a
``LocalCluster`` of N worker processes (``local:N``). The job (payers, agency, goal bank,
options) is pickled once, keyed by its hash, and installed on every worker by a worker plugin
(:mod:`pipeline.batch.remote`) together with the files it reads (payer and agency folders, the
client-copy template) as bytes, so a worker needs neither the client's disk nor its own
``templates/``; also a worker that joins or is restarted mid-batch gets them. Plans go out as
JSON in chunks (one Dask task per ``chunk`` plans: the per-task overhead and each LibreOffice
start are paid once a chunk), PDFs are converted on the workers, each with one warm
LibreOffice (a worker plugin), and documents come back as bytes: the client writes them and
keeps the ledger, manifest and version store. Results come back in task order with a bounded
window of chunks in flight. A chunk that overruns its budget has its worker restarted (Dask
cannot stop a thread) and fails its rows; a worker that dies is rescheduled by Dask, so nothing
is lost; a lost scheduler stops the build with an error (the ledger keeps what was recorded
and the next run resumes from there).
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import logging
import os
import pickle
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError
from pathlib import Path, PosixPath
from types import MappingProxyType
from typing import Any

from distributed import Client, LocalCluster

from pipeline.batch.pool import GRACE, Job
from pipeline.batch.remote import FilesPlugin, JobPlugin, LibreOfficePlugin, run_chunk, shipped
from pipeline.errors import TxplanError

#: Chunks in flight per worker thread: one running, one queued while results travel.
PER_WORKER = 2
#: Plans per Dask task (``$TXPLAN_CLUSTER_CHUNK``); PDF builds take bigger chunks, as each
#: chunk's documents go through one LibreOffice start.
CHUNK = 16
PDF_CHUNK = 40
#: Seconds to wait for a scheduler (and its first worker) before giving up.
CONNECT_TIMEOUT = 30
#: The most bytes of payer and agency files shipped to each worker.
MAX_FILES = 64 * 1024 * 1024


def _proxy(mapping: MappingProxyType) -> tuple[Any, tuple[dict]]:
    return read_only, (dict(mapping),)


def read_only(mapping: dict) -> MappingProxyType:
    """A ``MappingProxyType`` again, on the worker (the type itself cannot be pickled)."""
    return MappingProxyType(mapping)


def dumps(job: Any, roots: dict[str, str] | None = None, files_key: str = "") -> bytes:
    """Pickle a job, its goal bank's read-only mappings included; a path under one of
    ``roots`` (absolute folder -> name it is shipped under) becomes that shipped file's path on
    the worker."""
    table: dict[Any, Any] = {**copyreg.dispatch_table, MappingProxyType: _proxy}
    if roots:

        def path(value: PosixPath) -> tuple[Any, tuple[Any, ...]]:
            absolute = os.path.abspath(value)
            for root, name in roots.items():
                if absolute == root or absolute.startswith(root + os.sep):
                    return shipped, (files_key, name + absolute[len(root) :])
            return value.__reduce__()

        table[PosixPath] = path
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = table
    pickler.dump(job)
    return buffer.getvalue()


def bundle(job: Any) -> tuple[dict[str, str], dict[str, bytes]]:
    """The folders a job reads (absolute path -> shipped name) and their files as bytes."""
    roots = {os.path.abspath(p.directory): f"payers/{p.id}" for p in job.payers}
    agency = getattr(job.agency, "directory", None)
    if agency is not None:
        roots[os.path.abspath(agency)] = f"agencies/{job.agency.id}"
    roots[os.path.abspath(Path(job.client_copy_writer.template).parent)] = "client-copy"
    files: dict[str, bytes] = {}
    for root, name in sorted(roots.items()):
        for path in sorted(Path(root).rglob("*")):
            if path.is_file():
                files[f"{name}/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    if sum(map(len, files.values())) > MAX_FILES:
        raise TxplanError(f"the payer and agency folders hold more than {MAX_FILES} bytes; "
                          "too much to ship to every worker", "--cluster")  # fmt: skip
    return roots, files


def files_digest(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


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


def chunk_size(job: Any, given: int | None = None, threads: int = 1) -> int:
    """Plans a task: ``given``, else ``$TXPLAN_CLUSTER_CHUNK``, else at most CHUNK (PDF_CHUNK
    with PDF), made even when the build's size is known (``options.estimate``): the fewest
    chunks that are a multiple of the worker threads, so no worker is left with one more
    chunk than the others at the end."""
    value = given or os.environ.get("TXPLAN_CLUSTER_CHUNK", "").strip()
    if value:
        try:
            size = int(value)
        except ValueError:
            size = 0
        if size < 1:
            raise TxplanError(f"TXPLAN_CLUSTER_CHUNK={value!r}: give a number of plans >= 1",
                              "--cluster")  # fmt: skip
        return size
    most = PDF_CHUNK if "pdf" in job.options.formats else CHUNK
    plans = getattr(job.options, "estimate", None)
    if not plans:
        return most
    rounds = -(-plans // (threads * most))  # chunks each thread runs
    return max(1, -(-plans // (rounds * threads)))


class ClusterPool:
    """``with ClusterPool(job, "local:2") as pool: for r in pool.imap(items): ...``"""

    def __init__(self, job: Job, address: str, *, window: int | None = None,
                 chunk: int | None = None) -> None:  # fmt: skip
        self.job = job
        self.address, self.local_workers = parse_address(address)
        self.window = window
        self.chunk = 0
        self._given_chunk = chunk
        self.replaced = 0  #: workers restarted after a time-out
        self.client: Any = None
        self._cluster: Any = None
        self._key = ""

    def __enter__(self) -> ClusterPool:
        try:
            if self.local_workers is not None:
                self._cluster = LocalCluster(
                    n_workers=self.local_workers, threads_per_worker=1, processes=True,
                    dashboard_address=":0", silence_logs=logging.ERROR,
                )  # fmt: skip
                self.client = Client(self._cluster)
            else:
                self.client = Client(self.address, timeout=CONNECT_TIMEOUT)
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            self.__exit__(None, None, None)
            raise TxplanError(f"cannot reach a Dask cluster at {self.address}: {exc}",
                              "--cluster") from exc  # fmt: skip
        job: Any = self.job
        roots, files = bundle(job)
        files_key = files_digest(files)
        job.collect = True  # documents come back as bytes; this process writes them
        try:
            blob = dumps(job, roots, files_key)
        finally:
            job.collect = False
        self._key = "txplan-job-" + hashlib.sha256(blob + files_key.encode()).hexdigest()[:20]
        self.client.register_plugin(FilesPlugin(files_key, files))  # once: idempotent
        self.client.register_plugin(JobPlugin(self._key, blob), name=self._key)
        if "pdf" in job.options.formats:
            plugin = LibreOfficePlugin(job.options.pdf_stall)
            self.client.register_plugin(plugin, name=plugin.name)
        threads = sum(self.client.nthreads().values()) or 1
        self.window = self.window or max(2, threads * PER_WORKER)
        self.chunk = chunk_size(job, self._given_chunk, threads)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            try:
                if self._key and self.client.status == "running":
                    self.client.unregister_worker_plugin(self._key)  # the job leaves the workers
            except Exception:  # noqa: BLE001, S110 - closing anyway
                pass
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def imap(self, items: Iterable[tuple[bool, Any]]) -> Iterator[Any]:
        """Results in order. Each item is ``(True, task)`` to run, or ``(False, result)``
        already known (passed through in its place)."""
        source = iter(items)
        #: (future or None, the group's items in order): a future runs the group's tasks
        flight: deque[tuple[Any, list[tuple[bool, Any]]]] = deque()
        exhausted = False
        head_since = time.monotonic()
        while True:
            while not exhausted and len(flight) < self.window:
                group: list[tuple[bool, Any]] = []
                tasks = 0
                while tasks < self.chunk:
                    try:
                        run, value = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    group.append((run, value))
                    tasks += run
                if not group:
                    break
                runs = [value for run, value in group if run]
                future = (self.client.submit(run_chunk, self._key, runs, pure=False)
                          if runs else None)  # fmt: skip
                flight.append((future, group))
            if not flight:
                return
            future, group = flight.popleft()
            answers = iter(self._results(future, group, head_since) if future is not None else ())
            for run, value in group:
                yield next(answers) if run else value
            head_since = time.monotonic()

    def _results(self, future: Any, group: list[tuple[bool, Any]], since: float) -> list[Any]:
        """The head chunk's answers; its budget counts from when it reached the head."""
        tasks = [value for run, value in group if run]
        budget = sum(self.job.budget(task) for task in tasks)
        if "pdf" in self.job.options.formats:  # type: ignore[attr-defined]
            budget += 120.0 + 60.0 * len(tasks)  # LibreOffice: start-up and stall limits
        remaining = since + budget + GRACE - time.monotonic()
        try:
            return future.result(timeout=max(remaining, 0.1))
        except TimeoutError:
            self._stop(future)
            return [self.job.timed_out(task, budget) for task in tasks]
        except (CancelledError, Exception) as exc:  # noqa: BLE001 - a failure is its rows'
            # A task's own error (or Dask's KilledWorker) fails its rows; a cancelled future,
            # a broken connection or a client no longer running means the scheduler is gone.
            lost = (isinstance(exc, (CancelledError, OSError))
                    or self.client.status != "running")  # fmt: skip
            if lost:
                raise TxplanError(
                    f"lost the Dask scheduler at {self.address} ({type(exc).__name__}); the "
                    "ledger keeps every row recorded so far: run the same build again to resume",
                    "--cluster",
                ) from exc
            return [self.job.crashed(task, f"{type(exc).__name__}: {exc}") for task in tasks]
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
        except Exception:  # noqa: BLE001, S110 - a worker without a nanny cannot be restarted
            pass
