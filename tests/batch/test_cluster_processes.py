"""A Dask scheduler and two workers as separate processes: remote-shaped builds and faults.

The workers run in another folder with ``$TXPLAN_TEMPLATES`` pointing at an empty one, so a
build that works proves the templates travel with the job. A worker killed mid-batch loses
nothing; a scheduler killed mid-batch leaves a ledger the next run resumes from.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import ROOT, TEST_DATA

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow

from distributed import Client  # noqa: E402

from pipeline.batch import sink  # noqa: E402
from pipeline.batch.build import BuildOptions, build  # noqa: E402
from pipeline.cli import main  # noqa: E402
from pipeline.cli.common import Tally, iter_plans  # noqa: E402
from pipeline.errors import TxplanError  # noqa: E402
from pipeline.profiles import load_agency, load_payer  # noqa: E402

DASK = str(Path(sys.executable).parent / "dask")


class Cluster:
    """A scheduler and ``workers`` worker processes (each under a nanny) on localhost."""

    def __init__(self, root: Path, workers: int = 2) -> None:
        self.root = root
        self.file = root / "scheduler.json"
        elsewhere = root / "elsewhere"
        (elsewhere / "templates").mkdir(parents=True)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TXPLAN_TEMPLATES": str(elsewhere /
               "templates"), "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}  # fmt: skip
        self.procs: list[subprocess.Popen[bytes]] = []
        command = [DASK, "scheduler", "--port", "0", "--no-dashboard", "--scheduler-file",
                   str(self.file)]  # fmt: skip
        self.scheduler = self._start(command, env, elsewhere)
        for n in range(workers):
            self._start([DASK, "worker", "--scheduler-file", str(self.file), "--nthreads", "1",
                         "--nworkers", "1", "--no-dashboard", "--death-timeout", "10",
                         "--name", f"w{n}", "--local-directory", str(root / f"w{n}")],
                        env, elsewhere)  # fmt: skip
        deadline = time.monotonic() + 120
        while not self.file.exists():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        with Client(scheduler_file=str(self.file), timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
            self.address = client.scheduler.address

    def _start(self, command: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        self.procs.append(proc)
        return proc

    def worker_pids(self, workers: int = 2) -> dict[str, int]:
        """Each worker's pid, once ``workers`` are up and each answers: just after a worker
        was killed the scheduler may still list it (a call to it then fails) or its nanny's
        new worker may not have joined yet, so ask again until the view settles."""
        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(self.address, timeout=30) as client:
                    client.wait_for_workers(workers, timeout=30)
                    return client.run(os.getpid)
            except (OSError, TimeoutError):  # CommClosedError is an OSError
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def stop(self) -> None:
        for proc in self.procs:  # each in its own group: nanny, worker, LibreOffice
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    running = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        yield running
    finally:
        running.stop()


def files(out: Path) -> dict[str, bytes]:
    """Every document and the manifests (the ledger names the store, so it is left out)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())
            if p.is_file() and not p.name.startswith(".")}  # fmt: skip


def synthetic(tmp_path: Path, count: int) -> list:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import write_intake_csv

    source = write_intake_csv(tmp_path / "intake.csv", count)
    return list(iter_plans([str(source)], tally=Tally()))


def local_build(plans: list, out: Path, **how) -> dict[str, bytes]:  # noqa: ANN003
    options = BuildOptions(out_dir=out, draft=True, workers=1, **how)
    build(plans, [load_payer("clinical")], load_agency("riverside"), options)
    return files(out)


def test_remote_workers_build_pdfs_byte_identical_without_templates(
    cluster, tmp_path, monkeypatch
) -> None:
    samples = (
        str(TEST_DATA / "render" / "full.json"),
        str(ROOT / "inputs" / "mindledger_long.csv"),
    )
    args = ("--payer", "clinical,bluepeak-pdf", "--agency", "riverside", "--draft",
            "--client-copy", "--format", "docx,pdf")  # fmt: skip
    local, remote = tmp_path / "local", tmp_path / "remote"
    store = ("--store", str(tmp_path / "a.sqlite3"))
    result = CliRunner().invoke(main, ["build", *samples, *args, *store, "--workers", "1",
                                       "-o", str(local)])  # fmt: skip
    assert result.exit_code == 1, result.output  # some plans are drafts: blocked
    monkeypatch.setenv("TXPLAN_CLUSTER_CHUNK", "5")
    store = ("--store", str(tmp_path / "b.sqlite3"))
    result = CliRunner().invoke(main, ["build", *samples, *args, *store, "--cluster",
                                       cluster.address, "-o", str(remote)])  # fmt: skip
    assert result.exit_code == 1, result.output
    expected, got = files(local), files(remote)
    assert sum(name.endswith(".pdf") for name in expected) >= 20  # LibreOffice and forms
    assert sorted(got) == sorted(expected)
    for name, data in expected.items():
        assert got[name] == data, name
    assert not (remote / ".txplan-work").exists()


def test_a_worker_killed_mid_batch_loses_nothing(cluster, tmp_path, monkeypatch) -> None:
    plans = synthetic(tmp_path, 120)
    expected = local_build(plans, tmp_path / "local")
    pids = cluster.worker_pids()
    victim = sorted(pids.values())[0]
    rows: list[str] = []

    def on_row(row) -> None:  # noqa: ANN001
        rows.append(f"{row.client_id}/{row.payer}")
        if len(rows) == 20:
            os.kill(victim, signal.SIGKILL)  # its chunk is rescheduled, its nanny restarts it

    monkeypatch.setenv("TXPLAN_CLUSTER_CHUNK", "4")
    monkeypatch.setattr(sink, "FLUSH", 8)  # rows reach on_row every 8 plans: mid-batch
    out = tmp_path / "cluster"
    options = BuildOptions(out_dir=out, draft=True, cluster=cluster.address, on_row=on_row)
    result = build(plans, [load_payer("clinical")], load_agency("riverside"), options)
    assert len(rows) == len(set(rows)) == len(plans)  # every plan once: the ledger is exact
    assert not any(r.status == "failed" for r in result.rows)
    assert files(out) == expected
    after = cluster.worker_pids()
    assert victim not in after.values() and len(after) == 2  # killed mid-batch, and replaced


def test_a_lost_scheduler_leaves_a_resumable_ledger(tmp_path, monkeypatch) -> None:
    plans = synthetic(tmp_path, 150)
    expected = local_build(plans, tmp_path / "local")
    doomed = Cluster(tmp_path / "doomed", workers=1)
    rows: list[str] = []

    def on_row(row) -> None:  # noqa: ANN001
        rows.append(row.client_id)
        if len(rows) == 70:  # 64 are on record; 8 plans at most in flight, 70 to go
            os.kill(doomed.scheduler.pid, signal.SIGKILL)

    monkeypatch.setenv("TXPLAN_CLUSTER_CHUNK", "4")
    # Rows reach on_row when the sink flushes: every 256 plans or half a second, so on a fast
    # machine the whole batch could be done before the first flush and the kill would come
    # too late. Every 16 plans instead: the kill always lands mid-batch.
    monkeypatch.setattr(sink, "FLUSH", 16)
    out = tmp_path / "out"
    try:
        options = BuildOptions(out_dir=out, draft=True, cluster=doomed.address, on_row=on_row)
        with pytest.raises(TxplanError, match="lost the Dask scheduler"):
            build(plans, [load_payer("clinical")], load_agency("riverside"), options)
    finally:
        doomed.stop()
    assert 70 <= len(rows) < len(plans)  # stopped mid-batch
    rerun = build(plans, [load_payer("clinical")], load_agency("riverside"),
                  BuildOptions(out_dir=out, draft=True, workers=1))  # fmt: skip
    assert rerun.skipped >= 64  # what was recorded is reused, not built again
    assert files(out) == expected
