"""Build hook: the wheel ships the checkout's templates/ and goalbank.xlsx as package data,
and the XLSX sheet scanner is compiled (C, optional).

In a checkout they live at the top level, where scripts generate them and people edit them;
an installed txplan finds them inside the package (``pipeline/data/``) through
``pipeline/resources.py``. The scanner (pipeline/readers/sheetxml/cscan.c) needs a C compiler
and Python's headers (Debian: gcc, python3-dev; ``make setup`` installs them); without them
the build goes on and workbooks are read by calamine as before. An editable install
(``pip install -e .``) builds it in place. Everything else about the package is in
pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: (what, in the checkout) -> where, inside the package
DATA = {"templates": "pipeline/data/templates", "goalbank.xlsx": "pipeline/data/goalbank.xlsx"}
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".*", "~$*")


class BuildWithData(build_py):
    """build_py, then copy the bundled templates and goal bank into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's own files
        for source, target in DATA.items():
            src, dst = ROOT / source, Path(self.build_lib) / target
            if not src.exists():
                raise SystemExit(f"setup.py: {src} is missing; cannot ship it in the package")
            if dst.exists():
                shutil.rmtree(dst) if dst.is_dir() else dst.unlink()
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst, ignore=SKIP)
            else:
                shutil.copy2(src, dst)


#: One-pass reading of plain worksheets (readers/sheetxml); optional: a failed build is skipped.
SCANNER = Extension(
    "pipeline.readers.sheetxml.cscan",
    ["pipeline/readers/sheetxml/cscan.c"],
    extra_compile_args=["-O2"],
    optional=True,
)

setup(cmdclass={"build_py": BuildWithData}, ext_modules=[SCANNER])
