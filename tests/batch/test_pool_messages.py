"""Tasks go to a busy worker several to a message, not one a message as its answers return."""

from __future__ import annotations

import time
from multiprocessing.connection import Connection

from pipeline.batch.pool import BATCH, LOW, Pool
from tests.batch.jobs import DoublingJob


class SlowJob(DoublingJob):
    """A task takes a moment, so the parent tops the queues up as answers return."""

    def run(self, task: int) -> int:
        time.sleep(0.001)
        return task * 2


def test_a_busy_worker_is_sent_tasks_several_at_a_time(monkeypatch) -> None:
    sent: list[int] = []
    send = Connection.send

    def counted(self: Connection, obj: object) -> None:
        if isinstance(obj, list):
            sent.append(len(obj))
        send(self, obj)

    with Pool(SlowJob(), workers=2) as pool:
        monkeypatch.setattr(Connection, "send", counted)  # the parent's sends only
        got = list(pool.imap((True, n) for n in range(400)))
    assert got == [n * 2 for n in range(400)]
    assert sum(sent) == 400
    # One task a message only while a worker is short of work (the start) or at the end;
    # topped up as answers came back, a worker was sent about one task a message.
    small = [n for n in sent[2 * LOW :] if n < BATCH]
    assert len(small) <= 2, repr(sent)
    assert len(sent) <= 400 // BATCH + 2 * LOW + 2, repr(sent)
