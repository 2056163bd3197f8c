"""End-to-end batch measurement: wall time, plans/s and peak memory of `txplan build`.

Run: .venv/bin/python benchmarks/batch_scale.py 1000 10000 [--workers N] [--payer clinical]
                                                 [--formats xlsx,csv] [--no-rerun]
For each size and format it writes N synthetic intake rows (benchmarks/synthetic.py): the CSV
with CounselTrack's column names, and the same rows as a real-shaped XLSX export (title rows
above the header, Excel dates, numbers as numbers, both diagnoses in one cell). It runs
``txplan build --draft`` on them (every plan rendered) in a subprocess into a fresh folder
(under $TMPDIR), then the same build again unchanged (the rerun: the input is skipped whole
by its content hash and the build's fingerprint), samples the memory of the build and its
workers every 50 ms, and prints: wall time, CPU time (user + system, the build and its
workers), its kernel share (sys), the main process's own CPU time (reading, sending work, the
sink, ledger, store and manifest: it is serial, so it bounds the build however many
workers) and its kernel share (main sys: SQLite's writes and fsyncs, the ledger and manifest,
page faults; the rest of sys is the workers': writing documents), plans/s, the largest RSS
of any one process (main or worker), and the peak sum of PSS over the process tree (shared
pages counted once: what the build really costs the machine); for the rerun, its time as a
share of the first run's.

The sampler must not take the CPU it measures (the build keeps both cores busy). It reads
each process's RSS from /proc/PID/status every 50 ms (~0.02 ms a read), but its PSS from
/proc/PID/smaps_rollup only once a second: that read walks the process's page tables, ~3 ms
for a 170 MB worker, so reading it every 50 ms for the main process and two workers took
~0.18 of a core from the build (measured in session 8: 2.6 CPU s over a 26 s run). Memory is
flat (bounded caches), so a peak sampled once a second is the same peak. It rescans /proc for
the build's processes twice a second.

On ext4 without a journal (as on the reference machine: /proc/fs/jbd2 is empty), creating a
file skips every free inode of its block group freed in the last 60 s (360 s while its inode
table block is dirty), checking each one's deletion time (``recently_deleted`` in the
kernel's ``find_inode_bit``): after many deletions (a previous run's output, a test suite's
temporary files) each new file costs 0.2-0.7 ms of kernel CPU instead of 0.02-0.08 ms
(measured with ``perf``). Compare runs made on a quiet file system, not right after
``rm -rf`` of a large output folder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_intake_csv, write_intake_xlsx  # noqa: E402

#: txplan as this interpreter runs it (the checkout on PYTHONPATH, or the installed one).
TXPLAN = [sys.executable, "-c", "from pipeline.cli import main; main()"]
#: Seconds between two reads of the process tree's PSS (each walks every page table).
PSS_EVERY = 1.0


def _tree(root: int) -> list[int]:
    """The pid and every descendant (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _kb(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu(pid: int) -> tuple[float, float]:
    """CPU seconds (user, system) a process has used so far, its children apart."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def measure(rows: int, workers: int | None, payer: str, work: Path, draft: bool = True,
            fmt: str = "csv", rerun: bool = False) -> dict[str, float]:  # fmt: skip
    source = work / f"intake-{rows}.{fmt}"
    if not source.exists():
        (write_intake_xlsx if fmt == "xlsx" else write_intake_csv)(source, rows)
    out = work / f"out-{rows}-{fmt}"
    command = [*TXPLAN, "build", str(source), "--payer", payer, "--agency", "riverside",
               "-o", str(out), "--store", str(work / f"store-{rows}-{fmt}.db")]  # fmt: skip
    if not rerun:
        command.append("--rebuild")
    if workers:
        command += ["--workers", str(workers)]
    if draft:  # render every plan, whether or not it passes the payer's rules
        command.append("--draft")
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    max_rss = max_pss = 0
    main_cpu = (0.0, 0.0)  #: the main process alone (reading, sending, the sink, ledger, store)
    pids, scanned, weighed = [proc.pid], 0.0, 0.0
    while True:
        done, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - scanned > 0.5:
            pids, scanned = _tree(proc.pid), time.monotonic()
        rss = [_kb(f"/proc/{p}/status", "VmRSS:") for p in pids]
        max_rss = max(max_rss, *rss, 0)
        if time.monotonic() - weighed > PSS_EVERY:  # costly to read: see the docstring
            max_pss = max(max_pss, sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids))
            weighed = time.monotonic()
        main_cpu = max(main_cpu, _cpu(proc.pid), key=sum)
        time.sleep(0.05)
    wall = time.monotonic() - started
    cpu = usage.ru_utime + usage.ru_stime  # the build and every worker it waited for
    return {"rows": rows, "seconds": wall, "cpu_seconds": cpu, "main_cpu": sum(main_cpu),
            "sys_seconds": usage.ru_stime,  # the kernel's share (file creation: see above)
            "main_sys": main_cpu[1],  # of it, the main process's (SQLite, ledger, manifest)
            "plans_per_s": rows / wall,
            "exit": os.waitstatus_to_exitcode(status), "max_rss_mb": max_rss / 1024,
            "peak_pss_mb": max_pss / 1024}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--payer", default="clinical")
    parser.add_argument("--no-draft", action="store_true",
                        help="do not render plans a payer rule blocks")  # fmt: skip
    parser.add_argument("--formats", default="xlsx,csv", help="xlsx, csv or both")
    parser.add_argument("--no-rerun", action="store_true", help="skip the unchanged rerun")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="txplan-scale-") as tmp:
        print(f"{'rows':>8} {'format':>7} {'run':>6} {'seconds':>8} {'CPU s':>8} {'sys s':>6} "
              f"{'main CPU':>8} {'main sys':>8} "
              f"{'plans/s':>8} "
              f"{'max RSS MB':>11} {'peak PSS MB':>12} {'vs first':>9}")  # fmt: skip
        for rows in args.sizes:
            for fmt in args.formats.split(","):
                runs = ["first"] + ([] if args.no_rerun else ["rerun"])
                first = None
                for run in runs:
                    r = measure(rows, args.workers, args.payer, Path(tmp),
                                draft=not args.no_draft, fmt=fmt, rerun=run == "rerun")  # fmt: skip
                    first = first or r["seconds"]
                    print(f"{r['rows']:>8} {fmt:>7} {run:>6} {r['seconds']:>8.1f} "
                          f"{r['cpu_seconds']:>8.1f} {r['sys_seconds']:>6.1f} "
                          f"{r['main_cpu']:>8.1f} {r['main_sys']:>8.1f} "
                          f"{r['plans_per_s']:>8.0f} "
                          f"{r['max_rss_mb']:>11.0f} {r['peak_pss_mb']:>12.0f} "
                          f"{r['seconds'] / first:>9.2f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
