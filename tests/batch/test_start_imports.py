"""What a DOCX build's main process has loaded when its workers fork (they inherit it all)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support import DATA, ROOT

#: Loaded only by what a DOCX build does not do: convert to PDF (a thread pool and logging),
#: read with openpyxl, serve the web app, fill PDF forms, run on a cluster.
#: (``ctypes`` is loaded: pipeline/model/reads.py sets the parts' attribute lookup with it.)
NEVER = ("concurrent.futures", "logging", "openpyxl", "numpy", "dask", "distributed", "pypdf",
         "pipeline.web")  # fmt: skip
#: Loaded before the fork because every worker renders with them: imported once and shared
#: (a worker's start was 0.21 s of CPU importing them itself, 0.10 s without), templates
#: still compiled only in the workers (issue 16).
SHARED = ("pipeline.writers.docx.render", "docx", "docxtpl", "jinja2", "lxml")

PROBE = """
import json, os, sys
import pipeline.cli
from pipeline.batch import pool

def enter(self):
    print(json.dumps(sorted(sys.modules)))
    sys.stdout.flush()
    os._exit(0)

pool.Pool.__enter__ = enter
pipeline.cli.main()
"""


def test_a_docx_build_forks_its_workers_without_loading_what_it_never_uses(tmp_path) -> None:
    out = tmp_path / "out"
    args = [sys.executable, "-c", PROBE, "build", str(DATA / "intake" / "carepoint_roster.xlsx"),
            "--payer", "clinical", "--agency", "riverside", "--draft", "--workers", "2",
            "-o", str(out), "--store", str(tmp_path / "s.sqlite3")]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "pipeline.batch.job" in loaded  # the probe stood where the workers fork
    assert sorted(loaded & set(NEVER)) == []
    assert sorted(set(SHARED) - loaded) == []


def test_a_build_on_one_process_or_a_cluster_imports_no_writer_before_it_starts(
    tmp_path,
) -> None:
    """Only local workers share what the parent loaded: in-process, the writers are imported
    when the first plan renders (after the estimate and the store's check)."""
    out = tmp_path / "out"
    probe = PROBE.replace("def enter(self):", "def enter(self, items):")
    args = [sys.executable, "-c", probe.replace("pool.Pool.__enter__", "pool.Pool.imap"), "build",
            str(DATA / "intake" / "carepoint_roster.xlsx"), "--payer", "clinical",
            "--agency", "riverside", "--draft", "--workers", "1", "-o", str(out),
            "--store", str(tmp_path / "s.sqlite3")]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "pipeline.batch.job" in loaded
    assert "pipeline.writers.docx.render" not in loaded
