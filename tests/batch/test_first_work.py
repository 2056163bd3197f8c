"""The pool hands each worker its first tasks as soon as they are read, not once a window of
tasks has been read (the workers start while the parent is still reading the batch)."""

from __future__ import annotations

from pathlib import Path

from pipeline.batch.pool import LOW, PIPELINE, Pool
from tests.batch.jobs import DoublingJob


class LoggedJob(DoublingJob):
    """Writes each task it runs to a file (one per worker: appends never interleave)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def run(self, task: int) -> int:
        import os

        with (self.folder / str(os.getpid())).open("a") as handle:
            handle.write(f"{task}\n")
        return task * 2


def _ran(folder: Path) -> set[int]:
    return {int(n) for p in folder.iterdir() for n in p.read_text().split()}


def test_the_first_tasks_run_before_the_window_is_read(tmp_path) -> None:
    """The source waits, before giving its task number ``LOW * 2 + 1``, until the workers have
    run the first one: a pool that reads a whole window before sending anything waits for
    ever (the source gives up after a while and the test fails)."""
    import time

    seen_running: list[bool] = []

    def source():
        for n in range(PIPELINE * 3):
            if n == LOW * 2 + 1:
                deadline = time.monotonic() + 60  # a failure's time-out, not a timing
                while 0 not in _ran(tmp_path) and time.monotonic() < deadline:
                    time.sleep(0.01)
                seen_running.append(0 in _ran(tmp_path))
            yield True, n

    with Pool(LoggedJob(tmp_path), workers=2) as pool:
        assert list(pool.imap(source())) == [n * 2 for n in range(PIPELINE * 3)]
    assert seen_running == [True]
    assert _ran(tmp_path) == set(range(PIPELINE * 3))


def test_known_results_between_tasks_keep_their_places(tmp_path) -> None:
    """Results passed through (``(False, value)``) and tasks sent one at a time at the start
    come back in input order."""
    items = [(n % 3 != 0, n if n % 3 else -n) for n in range(100)]
    with Pool(LoggedJob(tmp_path), workers=2) as pool:
        got = list(pool.imap(iter(items)))
    assert got == [v * 2 if run else v for run, v in items]


def test_a_worker_sees_a_waiting_message_as_connection_poll_does() -> None:
    import multiprocessing as mp

    from pipeline.batch.pool import message_waiting

    mine, theirs = mp.Pipe()
    waiting = message_waiting(mine)
    seen = [(waiting(), mine.poll(0))]
    theirs.send([(0, 1)])
    seen.append((waiting(), mine.poll(0)))
    mine.recv()
    seen.append((waiting(), mine.poll(0)))
    theirs.close()  # the parent gone: there is an end to read (EOF)
    seen.append((waiting(), mine.poll(0)))
    assert seen == [(False, False), (True, True), (False, False), (True, True)]
