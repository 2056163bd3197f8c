"""Every hostile input ends cleanly: exit 0, 1 or 2, within the time limit, under 1 GB more
memory, with no traceback and no "bug in txplan". ``make test`` runs the fast subset;
``make fuzz`` (``TXPLAN_FUZZ=all``) runs every case."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.corpus import Case, cases
from tests.hostile.harness import run

ALL = os.environ.get("TXPLAN_FUZZ") == "all"
CASES = [c for c in cases() if ALL or c.fast]
#: Cases known to fail until the fix named lands (strict: the test says when it does).
KNOWN: dict[str, str] = {}


def _materialise(case: Case, folder: Path) -> list[str]:
    paths = []
    for name, maker in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(maker())
        paths.append(str(path))
    return [a.replace("{f}", paths[0]) for a in case.argv]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_ends_cleanly(case: Case, tmp_path: Path, request) -> None:
    if case.id in KNOWN:
        request.applymarker(pytest.mark.xfail(reason=KNOWN[case.id], strict=True))
    argv = _materialise(case, tmp_path)
    outcome = run(argv, tmp_path)
    assert not outcome.problems(), f"{case.id}: {outcome.problems()}"
    assert not (tmp_path / "pwned.txt").exists()


def test_the_corpus_covers_every_category_with_500_inputs() -> None:
    every = cases()
    assert len(every) >= 500
    assert {c.category for c in every} >= {"values", "csv", "json", "xlsx", "docx", "pdf",
                                            "yaml", "review", "template", "watch"}  # fmt: skip
    assert len({c.id for c in every}) == len(every)
