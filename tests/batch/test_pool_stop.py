"""The build's tail: the workers are told to stop before the last rows are recorded, so they
wind down meanwhile; the pool's exit then only waits for them."""

from __future__ import annotations

import time

from pipeline.batch.pool import Pool
from tests.batch.jobs import DoublingJob


def test_stopped_workers_exit_before_the_pool_does() -> None:
    with Pool(DoublingJob(), workers=2) as pool:
        assert list(pool.imap((True, n) for n in range(40))) == [n * 2 for n in range(40)]
        processes = [w.process for w in pool._workers]
        pool.stop()
        pool.stop()  # once is enough; again is harmless
        deadline = time.monotonic() + 30
        while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not any(p.is_alive() for p in processes)
        assert [p.exitcode for p in processes] == [0, 0]
    assert pool._workers == []
