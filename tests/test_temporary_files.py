"""Every temporary file or folder txplan makes is known, and removed at exit or by the next run.

Known today: ``pipeline/atomic.py`` (``mkstemp`` beside the target, renamed into place or
deleted; a killed writer's ``.part`` file is removed by the next build of that folder) and
``pipeline/writers/libreoffice.py`` (the converter's ``txplan-pdf-<pid>-*`` folder, removed at
exit, and by the next run when its process is gone) and ``pipeline/batch/remote.py`` (on a
Dask worker, the shipped templates and agency files, no client data, in a folder under the
worker's own ``local_directory``: removed by the plugin's teardown when the worker leaves, and
Dask purges the directories of killed workers). The build's own work folder
``.txplan-work`` is removed at the start and the end of every build. A new use of ``tempfile``
must say how it is cleaned up, here, with a test.
"""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time

from tests.support import DATA, ROOT

KNOWN = {
    "pipeline/atomic.py": {"mkstemp"},
    "pipeline/writers/libreoffice.py": {"mkdtemp", "gettempdir", "TemporaryDirectory"},
    "pipeline/batch/remote.py": {"mkdtemp"},
}


def _tempfile_uses() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            direct = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            if direct and node.value.id == "tempfile":
                names.add(node.attr)
            if isinstance(node, ast.ImportFrom) and node.module == "tempfile":
                names.update(a.name for a in node.names)
        if names:
            found[str(path.relative_to(ROOT))] = names
    return found


def test_every_temporary_file_or_folder_is_a_known_one() -> None:
    unknown = {p: n - KNOWN.get(p, set()) for p, n in _tempfile_uses().items()}
    unknown = {p: n for p, n in unknown.items() if n}
    assert not unknown, f"new temporary files or folders: say how they are removed: {unknown}"


def test_a_build_killed_mid_conversion_leaves_folders_the_next_run_removes(tmp_path):
    """kill -9 while LibreOffice converts: the documents waiting in .txplan-work and the
    converter's txplan-pdf-<pid>-* folder stay behind (nothing runs at a SIGKILL); the next
    build removes both, whatever format it makes."""
    plans = "".join(
        (DATA / "render" / "full.json").read_text(encoding="utf-8").replace("RC-1001", f"RC-{i}")
        .replace("\n", " ") + "\n" for i in range(40)
    )  # fmt: skip
    source = tmp_path / "plans.jsonl"
    source.write_text(plans, encoding="utf-8")
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)}
    build = [sys.executable, "-c", "from pipeline.cli import main; main()", "build", str(source),
             "--payer", "medicare-poc", "--agency", "riverside", "-o", str(out),
             "--store", str(tmp_path / "s.db"), "--workers", "1"]  # fmt: skip
    proc = subprocess.Popen([*build, "--format", "pdf"], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    work = out / ".txplan-work"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        if list(tmp.glob("txplan-pdf-*")) and len(list(work.glob("*.docx"))) >= 40:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the build ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the run and what it started in its group
    proc.wait()
    assert len(list(work.glob("*.docx"))) >= 40  # client documents left behind by the kill
    assert list(tmp.glob("txplan-pdf-*"))  # and the converter's folder (no atexit on SIGKILL)
    done = subprocess.run([*build, "--format", "docx"], env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not work.exists()
    assert not list(tmp.glob("txplan-pdf-*"))  # removed by the next build, even a DOCX one
    assert not list(out.glob(".*.part"))
