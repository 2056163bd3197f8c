"""The same PDF build locally and on 1 and 2 Dask workers: documents a second and efficiency.

    python benchmarks/cluster.py [--plans 200] [--payer managed-care-otr] [--format pdf]

The plans (synthetic rows, benchmarks/synthetic.py) are read once. Each set-up builds them into
a fresh folder: locally with 1 and 2 worker processes (PDFs through 1 and 2 LibreOffice
processes), then on a standing Dask cluster started as separate processes (`dask scheduler`,
`dask worker --nthreads 1`, as on real machines) with 1 and then 2 workers. A cluster is
warmed up first with a small build (files shipped, each worker's LibreOffice profile made), as
a standing cluster is; each timed build still includes shipping and unpickling its job and
compiling templates on every worker. Printed per set-up: wall time, documents a second, this
process's own CPU seconds (reading, writing documents and the ledger, the Dask client) and the
load average (the machine may be shared). Efficiency: 2 workers' rate / one worker's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_intake_csv  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def timed_build(plans: list, payer: str, formats: tuple[str, ...], out: Path,
                **how: object) -> tuple[float, float]:  # fmt: skip
    """Wall and this process's CPU seconds of one build (any failed document stops the run)."""
    from pipeline.batch.build import BuildOptions, build
    from pipeline.profiles import load_agency, load_payer

    shutil.rmtree(out, ignore_errors=True)
    options = BuildOptions(
        out_dir=out, formats=formats, draft=True, resume=False, estimate=len(plans), **how
    )  # as the CLI does
    wall, cpu = time.perf_counter(), time.process_time()
    result = build(plans, [load_payer(payer)], load_agency("riverside"), options)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    failed = [r for r in result.rows if r.status == "failed"]
    if failed:
        raise SystemExit(f"{len(failed)} documents failed in {out}: {failed[0].findings[-1]}")
    return wall, cpu


class Cluster:
    """``dask scheduler`` and ``workers`` ``dask worker`` processes on this machine."""

    def __init__(self, root: Path, workers: int) -> None:
        dask = str(Path(sys.executable).parent / "dask")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        root.mkdir(parents=True, exist_ok=True)
        scheduler_file = root / "scheduler.json"
        self.procs = [subprocess.Popen([dask, "scheduler", "--port", "0", "--no-dashboard",
                                        "--scheduler-file", str(scheduler_file)], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True)]  # fmt: skip
        for n in range(workers):
            self.procs.append(subprocess.Popen(
                [dask, "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                 "--nworkers", "1", "--no-dashboard", "--local-directory", str(root / f"w{n}")],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True))  # fmt: skip
        from distributed import Client

        deadline = time.monotonic() + 120
        while not scheduler_file.exists():
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit("the Dask scheduler did not start within 120 s")
            time.sleep(0.1)
        with Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
            self.address = client.scheduler.address

    def stop(self) -> None:
        for proc in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--payer", default="managed-care-otr")
    parser.add_argument("--format", default="pdf")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the clusters on the way out
    from pipeline.cli.common import Tally, iter_plans

    formats = tuple(args.format.split(","))
    figures: dict[str, tuple[float, float, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = write_intake_csv(work / "intake.csv", args.plans)
        plans = list(iter_plans([str(source)], tally=Tally()))
        docs = len(plans)
        print(f"{docs} plans, payer {args.payer}, format {args.format}; load before: {load()}")
        for workers in (1, 2):
            before = load()
            wall, cpu = timed_build(plans, args.payer, formats, work / "out", workers=workers)
            figures[f"local, {workers} process(es)"] = (wall, cpu, before)
        for workers in (1, 2):
            cluster = Cluster(work / f"dask{workers}", workers)
            try:
                timed_build(plans[:8], args.payer, formats, work / "warm", cluster=cluster.address)
                before = load()
                wall, cpu = timed_build(plans, args.payer, formats, work / "out",
                                        cluster=cluster.address)  # fmt: skip
                figures[f"dask, {workers} worker(s)"] = (wall, cpu, before)
            finally:
                cluster.stop()
    print(f"{'':22} {'wall':>8} {'docs/s':>8} {'client CPU':>11}   load average (1, 5, 15 min)")
    for name, (wall, cpu, before) in figures.items():
        print(f"{name:22} {wall:7.2f}s {docs / wall:8.1f} {cpu:10.2f}s   {before}")
    one, two = (docs / figures[f"dask, {n} worker(s)"][0] for n in (1, 2))
    print(f"2 Dask workers vs 1: {two / one:.2f}x (efficiency {two / one / 2:.0%}); "
          f"load after: {load()}")  # fmt: skip


if __name__ == "__main__":
    main()
