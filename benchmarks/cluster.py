"""The same build locally and on 1 and 2 Dask workers: documents a second and the efficiency.

    python benchmarks/cluster.py [--plans 200] [--payer managed-care-otr] [--format docx]

Plans are read once (synthetic rows, benchmarks/synthetic.py); each build then renders them
into a fresh folder. The Dask workers run in a LocalCluster started once, before the timed
builds, as a standing cluster would be (`dask scheduler` / `dask worker`); each timed cluster
build includes shipping the job to the workers. PDF conversion (``--format pdf``) runs on the
client in every case, so it does not scale with workers.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_intake_csv  # noqa: E402


def _build(plans: list, payer: str, formats: tuple[str, ...], out: Path, **how) -> float:
    from pipeline.batch.build import BuildOptions, build
    from pipeline.profiles import load_agency, load_payer

    options = BuildOptions(out_dir=out, formats=formats, draft=True, resume=False, **how)
    start = time.perf_counter()
    result = build(plans, [load_payer(payer)], load_agency("riverside"), options)
    seconds = time.perf_counter() - start
    failed = sum(row.status == "failed" for row in result.rows)
    if failed:
        raise SystemExit(f"{failed} documents failed in {out}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--payer", default="managed-care-otr")
    parser.add_argument("--format", default="docx")
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    from pipeline.cli.common import Tally, iter_plans

    formats = tuple(args.format.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = write_intake_csv(work / "intake.csv", args.plans)
        plans = list(iter_plans([str(source)], tally=Tally()))
        print(f"{len(plans)} plans, payer {args.payer}, format {args.format}")
        figures: dict[str, float] = {}
        for workers in (1, 2):
            seconds = _build(plans, args.payer, formats, work / f"local{workers}", workers=workers)
            figures[f"local, {workers} process(es)"] = seconds
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
                    Client(cluster) as client:  # fmt: skip
                client.wait_for_workers(workers)
                address = cluster.scheduler_address
                seconds = _build(plans, args.payer, formats, work / f"dask{workers}",
                                 cluster=address)  # fmt: skip
            figures[f"dask, {workers} worker(s)"] = seconds
        for name, seconds in figures.items():
            print(f"{name:24} {seconds:7.2f} s  {len(plans) / seconds:8.1f} documents/s")
        one, two = figures["dask, 1 worker(s)"], figures["dask, 2 worker(s)"]
        print(f"2 Dask workers vs 1: {one / two:.2f}x (efficiency {one / two / 2:.0%})")


if __name__ == "__main__":
    main()
