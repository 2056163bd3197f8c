"""Installable: the wheel carries the templates and goal bank, and builds outside a checkout.

Builds the wheel from a copy of the checkout's sources, installs it into a fresh venv in a
temporary folder (the shared venv's dependencies made visible by a .pth line, so nothing is
downloaded), and runs the installed ``txplan build`` on a sample from another folder. The
documents and manifest must be those the checkout itself makes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.slow

SOURCES = ["pipeline", "templates", "goalbank.xlsx", "pyproject.toml", "setup.py", "MANIFEST.in",
           "README.md", "LICENSE"]  # fmt: skip
SAMPLE = ROOT / "inputs" / "counseltrack_wide.xlsx"
BUILD = ["build", "--payer", "clinical,bluepeak-pdf", "--agency", "riverside", "--draft",
         "--client-copy", "--workers", "1", "-o", "out", "--store", "plans.sqlite3"]  # fmt: skip


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "TXPLAN_"))}
    return {**env, **extra}


def _run(args: list[str], cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=_env(**extra), capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built (no download: --no-build-isolation) from a copy of the sources."""
    src = tmp_path_factory.mktemp("src")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=skip)
        else:
            shutil.copy2(ROOT / name, src / name)
    dist = tmp_path_factory.mktemp("dist")
    made = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "--no-index", "-q", "-w", str(dist), str(src)], src)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "warning" not in made.stderr.lower(), made.stderr
    (found,) = dist.glob("txplan-*.whl")
    return found


def test_the_wheel_carries_templates_goal_bank_and_web_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*") if p.is_file()
    }
    assert {f"pipeline/data/{n}" for n in shipped} <= names
    assert "pipeline/data/goalbank.xlsx" in names
    assert {"pipeline/web/templates/base.html", "pipeline/web/static/app.css"} <= names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)


def test_installed_txplan_builds_a_sample_from_another_folder(wheel: Path, tmp_path) -> None:
    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                     tmp_path).stdout.strip())  # fmt: skip
    # The shared venv's packages (not its editable txplan: .pth lines there are not run).
    (site / "shared-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    installed = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                      "--no-deps", "--no-index", str(wheel)], tmp_path)  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    assert "warning" not in installed.stderr.lower(), installed.stderr

    probe = ("import pipeline, pipeline.resources as r; print(pipeline.__file__); "
             "print(r.templates_dir()); print(r.default_goalbank())")  # fmt: skip
    where = _run([str(python), "-c", probe], tmp_path)
    module, templates, goalbank = where.stdout.split("\n")[:3]
    assert Path(module).is_relative_to(site), where.stdout + where.stderr  # the wheel, not ROOT
    assert Path(templates) == site / "pipeline" / "data" / "templates"
    assert Path(goalbank) == site / "pipeline" / "data" / "goalbank.xlsx"

    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    shutil.copy2(SAMPLE, elsewhere / SAMPLE.name)
    built = _run([str(venv / "bin" / "txplan"), *BUILD, SAMPLE.name], elsewhere)
    assert built.returncode in (0, 1), built.stderr  # 1: a plan blocked for a payer (drafted)
    assert "Traceback" not in built.stderr

    reference = tmp_path / "checkout"
    reference.mkdir()
    shutil.copy2(SAMPLE, reference / SAMPLE.name)
    _run([sys.executable, "-c", "from pipeline.cli import main; main()", *BUILD, SAMPLE.name],
         reference, PYTHONPATH=str(ROOT))  # fmt: skip
    rows = json.loads((elsewhere / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert rows and any(r["outputs"] for r in rows)  # a blocked client copy has none
    assert rows == json.loads((reference / "out" / "manifest.json").read_text(encoding="utf-8"))
    for row in rows:
        for output in row["outputs"]:
            assert (elsewhere / "out" / output["path"]).is_file()
