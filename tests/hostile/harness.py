"""Runs one ``txplan`` command line on a hostile input in a forked child with resource limits.

The child inherits this process (txplan already imported, so a run costs milliseconds, not a
second of imports), sets its address-space limit to what it has now plus :data:`MEMORY`,
its CPU limit, and an alarm; the parent reaps it with ``wait4``, which gives its peak
resident memory. A run is clean when it exits 0, 1 or 2 in time, under the memory limit,
with no traceback and no "bug in txplan" message.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

#: Memory a run may add to what the parent already holds (the issue's 1 GB).
MEMORY = 1 << 30
#: Seconds a run may take (a hostile input must fail fast, not eventually).
TIME_LIMIT = 20.0


@dataclass(frozen=True)
class Outcome:
    code: int | None  #: exit code, None when killed
    signal: int | None
    seconds: float
    peak_mb: float  #: what the child's peak resident memory added to the parent's
    stdout: str
    stderr: str

    def problems(self, time_limit: float = TIME_LIMIT) -> list[str]:
        """Why this run was not clean (empty when it was)."""
        found = []
        if self.signal is not None:
            found.append(f"killed by signal {self.signal} after {self.seconds:.1f} s")
        elif self.code not in (0, 1, 2):
            found.append(f"exit code {self.code}")
        if self.seconds > time_limit:
            found.append(f"took {self.seconds:.1f} s (limit {time_limit:g} s)")
        if self.peak_mb * (1 << 20) > MEMORY:
            found.append(f"peak memory {self.peak_mb:.0f} MB")
        for marker in ("Traceback (most recent call last)", "bug in txplan", "out of memory"):
            if marker in self.stderr or marker in self.stdout:
                found.append(f"stderr says {marker!r}: {self.stderr[-600:]}")
        return found


def warm_up() -> None:
    """Import what every run needs once, here, so each forked run starts warm."""
    import pipeline.cli  # noqa: F401
    from pipeline.clinical.icd10 import lookup
    from pipeline.readers import reader_for

    lookup("F41.1")
    for suffix in (".csv", ".xlsx", ".json", ".pdf", ".docx"):
        reader_for(Path(f"x{suffix}"))


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) * 1024
    return 0


def run(argv: list[str], workdir: Path, *, time_limit: float = TIME_LIMIT) -> Outcome:
    """``txplan ARGV`` in a forked, limited child; its outcome."""
    out, err = workdir / "stdout.txt", workdir / "stderr.txt"
    warm_up()
    base, resident = _status("VmSize:"), _status("VmRSS:")
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 70
        try:
            fd_out = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            fd_err = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd_out, 1)
            os.dup2(fd_err, 2)
            os.chdir(workdir)
            resource.setrlimit(resource.RLIMIT_AS, (base + MEMORY, base + MEMORY))
            cpu = int(time_limit) + 2
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(int(time_limit) + 5)
            from pipeline.cli import main

            try:
                main.main(args=argv, prog_name="txplan", standalone_mode=True)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # noqa: BLE001 - a traceback is what the test looks for
            traceback.print_exc()
            code = 71
        finally:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(BaseException):
                    stream.flush()
            os._exit(code)
    deadline = started + time_limit + 10
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            done, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.005)
    seconds = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    text = {
        p: p.read_text(encoding="utf-8", errors="replace") if p.exists() else "" for p in (out, err)
    }
    return Outcome(
        code=code if code >= 0 else None,
        signal=-code if code < 0 else None,
        seconds=seconds,
        peak_mb=max(0.0, usage.ru_maxrss * 1024 - resident) / (1 << 20),
        stdout=text[out],
        stderr=text[err],
    )
