"""The real-shaped corpus (tests/data/real/): every shape read with no profile recovers >= 95 %
of its expected fields, the README's table says what was measured, the files are reproducible."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from tests.readers.real_corpus import REAL, score, shapes, table
from tests.support import ROOT

SHAPES = shapes()


def test_the_corpus_has_at_least_twenty_shapes() -> None:
    assert len(SHAPES) >= 20


@pytest.mark.parametrize("folder", SHAPES, ids=lambda p: p.name)
def test_each_shape_recovers_95_percent_with_no_profile(folder: Path) -> None:
    hit, total, misses = score(folder)
    assert total >= 10, "an expected file too small to measure anything"
    assert hit / total >= 0.95, f"{folder.name}: {hit}/{total}; missed: {misses}"


def test_readme_cites_every_shape_and_shows_the_measured_table() -> None:
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for folder in SHAPES:
        assert f"`{folder.name}`" in readme, f"README has no line for {folder.name}"
    assert table() in readme, "README table is stale: run python -m tests.readers.real_corpus"


def test_the_suicide_item_is_kept_in_every_shape_that_carries_items() -> None:
    for folder in SHAPES:
        spec = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        for client in spec["clients"]:
            if any(i.startswith("PHQ-9") for i in client["fields"].get("items", [])):
                assert client["fields"].get("risk.suicidal_ideation") is True, folder.name


def test_the_generator_reproduces_every_file(tmp_path: Path) -> None:
    scripts = ROOT / "scripts"
    sys.path.insert(0, str(scripts))
    try:
        spec = importlib.util.spec_from_file_location(
            "make_real_corpus", scripts / "make_real_corpus.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(scripts))
    for name, make in module.SHAPES.items():
        folder = tmp_path / name
        folder.mkdir()
        make(folder)
        for made in folder.iterdir():
            assert made.read_bytes() == (REAL / name / made.name).read_bytes(), (
                f"{name}/{made.name}"
            )
