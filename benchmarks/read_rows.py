"""Intake reading per row: the same synthetic rows as a real-shaped XLSX export and as a CSV.

Run: .venv/bin/python benchmarks/read_rows.py [ROWS] [--repeat N]
It writes ROWS synthetic rows (benchmarks/synthetic.py) as the XLSX export (title rows above
the header, Excel dates, numbers as numbers, both diagnoses in one cell) and as the CSV, then
reads each file ``--repeat`` times in this one process, alternating the formats, and prints
the CPU time (``time.process_time``, so other load on the machine counts little) per row of
the best run of each: the rows as the format gives them (the file's own reading), and the
whole read (rows grouped by client, mapped into plans, codes checked, measures scored), with
the XLSX/CSV ratio of each. The first read of each format is a warm-up (imports, the ICD-10-CM
table) and is not counted. Every plan of both files must be the same but for its sources.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import machine  # noqa: E402
from synthetic import write_intake_csv, write_intake_xlsx  # noqa: E402

from pipeline.readers import ReadOptions, read  # noqa: E402
from pipeline.readers.delimited import detect_encoding  # noqa: E402
from pipeline.readers.xlsx import sheets  # noqa: E402


def _rows_xlsx(path: Path) -> int:
    book, found = sheets(path, None)
    return sum(1 for sheet in found for _row in sheet.rows())


def _rows_csv(path: Path) -> int:
    import csv

    with path.open(encoding=detect_encoding(path), newline="") as handle:
        return sum(1 for _row in csv.reader(handle))


def _plans(path: Path) -> int:
    return sum(1 for result in read(path, ReadOptions()) if result.plan is not None)


def _contents(path: Path) -> list[dict[str, object]]:
    """Every plan of the file as JSON, its provenance (file, sheet, row, column) aside."""
    return [
        result.plan.model_dump(mode="json", exclude={"provenance"})
        for result in read(path, ReadOptions())
        if result.plan is not None
    ]


def _cpu(work: Callable[[Path], int], path: Path) -> float:
    gc.collect()
    started = time.process_time()
    work(path)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (best counted)")
    args = parser.parse_args()
    rows = args.rows
    with tempfile.TemporaryDirectory(prefix="txplan-read-") as tmp:
        files = {
            "xlsx": write_intake_xlsx(Path(tmp) / "intake.xlsx", rows),
            "csv": write_intake_csv(Path(tmp) / "intake.csv", rows),
        }
        plans = {fmt: _contents(path) for fmt, path in files.items()}  # warm-up, and a check
        counts = {fmt: len(found) for fmt, found in plans.items()}
        if counts["xlsx"] != rows or counts["csv"] != rows:
            raise SystemExit(f"expected {rows} plans from each file, got {counts}")
        if plans["xlsx"] != plans["csv"]:
            raise SystemExit("the XLSX and CSV plans differ (beyond their sources)")
        del plans
        stages = {
            "rows": {"xlsx": _rows_xlsx, "csv": _rows_csv},
            "read": dict.fromkeys(files, _plans),
        }
        best: dict[tuple[str, str], float] = {}
        for _ in range(args.repeat):
            for stage, works in stages.items():
                for fmt, path in files.items():
                    took = _cpu(works[fmt], path)
                    best[(stage, fmt)] = min(best.get((stage, fmt), took), took)
    print(f"{rows} rows, best of {args.repeat}, CPU ms a row ({machine()})")
    print(f"{'stage':<8} {'xlsx':>8} {'csv':>8} {'xlsx/csv':>9}")
    for stage in stages:
        xlsx, csv = (best[(stage, fmt)] * 1000 / rows for fmt in ("xlsx", "csv"))
        print(f"{stage:<8} {xlsx:>8.3f} {csv:>8.3f} {xlsx / csv:>9.2f}")


if __name__ == "__main__":
    main()
