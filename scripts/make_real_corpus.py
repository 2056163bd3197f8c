"""Writes tests/data/real/: synthetic exports shaped like real systems, byte for byte the same.

Run: .venv/bin/python scripts/make_real_corpus.py
Each shape is a folder with the export file(s), written from the system's public
documentation (tests/data/real/README.md cites the source of each), and expected.json: the
values of the three fictional people (scripts/real_corpus_people.py) a correct reader recovers.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_corpus_ehr  # noqa: E402, F401  (registers its shapes)
import real_corpus_practice  # noqa: E402, F401
from real_corpus_io import REAL, SHAPES  # noqa: E402


def main() -> None:
    for name, make in sorted(SHAPES.items()):
        folder = REAL / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        clients = make(folder)
        text = json.dumps({"shape": name, "clients": clients}, indent=1, ensure_ascii=False)
        (folder / "expected.json").write_text(text + "\n", encoding="utf-8")
    print(f"{len(SHAPES)} shapes written to {REAL}")


if __name__ == "__main__":
    main()
