"""The same build locally and on 1 and 2 Dask workers: documents a second and the efficiency.

    python benchmarks/cluster.py [--plans 1000] [--payer managed-care-otr] [--format docx]

Each set-up builds --plans and a tenth of them: the whole build's documents a second, and the
steady rate from the difference of the two (what the fixed costs, such as compiling templates
and shipping the job to each worker, leave aside). Plans are read once (synthetic rows,
benchmarks/synthetic.py); each build renders them into a fresh folder. The Dask workers run
in a LocalCluster started before the timed builds, as a standing cluster would be (`dask
scheduler` / `dask worker`); each timed cluster build includes shipping the job to the
workers. PDF conversion (``--format pdf``) runs on the client, so it does not scale here.
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
    parser.add_argument("--plans", type=int, default=1000)
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
        small = plans[: max(1, len(plans) // 10)]
        figures: dict[str, tuple[float, float]] = {}
        for workers in (1, 2):
            figures[f"local, {workers} process(es)"] = tuple(
                _build(batch, args.payer, formats, work / f"local{workers}-{len(batch)}",
                       workers=workers)
                for batch in (small, plans)
            )  # fmt: skip
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
                    Client(cluster) as client:  # fmt: skip
                client.wait_for_workers(workers)
                figures[f"dask, {workers} worker(s)"] = tuple(
                    _build(batch, args.payer, formats, work / f"dask{workers}-{len(batch)}",
                           cluster=cluster.scheduler_address)
                    for batch in (small, plans)
                )  # fmt: skip
        extra = len(plans) - len(small)
        rates = {}
        print(f"{'':24} {'whole build':>22}   steady (the last {extra} plans)")
        for name, (short, full) in figures.items():
            rates[name] = extra / max(full - short, 1e-9)
            print(
                f"{name:24} {full:7.2f} s {len(plans) / full:8.1f} docs/s   "
                f"{rates[name]:8.1f} docs/s"
            )
        one, two = rates["dask, 1 worker(s)"], rates["dask, 2 worker(s)"]
        print(f"2 Dask workers vs 1, steady: {two / one:.2f}x (efficiency {two / one / 2:.0%})")


if __name__ == "__main__":
    main()
