"""ICD-10-CM codes: normalizing, official-table lookups, billability and range specs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipeline.clinical.icd10 import (
    CodeInfo,
    billable_children,
    describe,
    find_codes,
    in_range,
    is_billable,
    is_valid,
    lookup,
    normalize_code,
    parse_range,
)
from pipeline.errors import ValueProblem


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("F41.1", "F41.1"),
        ("f411", "F41.1"),
        (" F41.1 ", "F41.1"),
        ("F41.1,", "F41.1"),
        ("(f43.10);", "F43.10"),
        ('"F32"', "F32"),
        ("F32.", "F32"),
        ("f32a", "F32.A"),
        ("F 41.1", "F41.1"),
        ("t7411xa", "T74.11XA"),
        ("Z63.0\u00a0", "Z63.0"),
        ("xyz", "XYZ"),
        ("", ""),
        (" .;", ""),
        (None, ""),
    ],
)
def test_normalize_code(raw: str | None, expected: str) -> None:
    assert normalize_code(raw) == expected


@pytest.mark.parametrize(
    ("code", "billable", "description"),
    [
        ("F32", False, "Depressive episode"),
        ("F32.1", True, "Major depressive disorder, single episode, moderate"),
        ("F32.A", True, "Depression, unspecified"),
        ("F41.1", True, "Generalized anxiety disorder"),
        ("F43.1", False, "Post-traumatic stress disorder (PTSD)"),
        ("F43.10", True, "Post-traumatic stress disorder, unspecified"),
        ("F10.20", True, "Alcohol dependence, uncomplicated"),
        ("Z63", False, None),
        ("Z63.0", True, "Problems in relationship with spouse or partner"),
        ("Z71.9", True, "Counseling, unspecified"),
        ("R45.851", True, "Suicidal ideations"),
        ("T74.11XA", True, "Adult physical abuse, confirmed, initial encounter"),
    ],
)
def test_lookup_billable_and_description(code: str, billable: bool, description: str) -> None:
    info = lookup(code)
    assert info is not None
    assert info.code == code
    assert info.billable is billable
    assert is_billable(code) is billable
    assert is_valid(code)
    if description is not None:
        assert info.description == description
        assert describe(code) == description


def test_lookup_normalizes_its_input() -> None:
    assert lookup(" f411 ") == CodeInfo("F41.1", "Generalized anxiety disorder", True)


@pytest.mark.parametrize(
    "code",
    ["F99.99", "XYZ", "F32.7", "F41.10", "", "F3", "123", "F30-F39", "Z55-Z65", "5", "F41.1 GAD"],
)
def test_not_a_code(code: str) -> None:
    assert lookup(code) is None
    assert not is_valid(code)
    assert not is_billable(code)
    assert describe(code) is None


def test_billable_children_suggests_leaves_of_a_category() -> None:
    assert billable_children("F32")[:3] == ("F32.0", "F32.1", "F32.2")
    assert all(lookup(c).billable for c in billable_children("F43.1"))
    assert billable_children("F41.1") == ()
    assert billable_children("XYZ") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("F41.1 Generalized anxiety disorder; F43.10", ("F41.1", "F43.10")),
        ("f32.1, F41.1 / Z63.0", ("F32.1", "F41.1", "Z63.0")),
        ("F411 F411", ("F41.1",)),
        ("T74.11XA initial", ("T74.11XA",)),
        ("Depression, unspecified", ()),
        ("", ()),
    ],
)
def test_find_codes(text: str, expected: tuple[str, ...]) -> None:
    assert find_codes(text) == expected


@pytest.mark.parametrize(
    ("code", "spec", "inside"),
    [
        # a bare code: itself and everything under it
        ("F33", "F33", True),
        ("F33.1", "F33", True),
        ("F33.40", "F33", True),
        ("F32.1", "F33", False),
        ("F34.1", "F33", False),
        ("F40.10", "F40.1", True),
        ("F40.0", "F40.1", False),
        # a prefix with *
        ("F40.10", "F40.1*", True),
        ("F40.1", "F40.1*", True),
        ("F40.2", "F40.1*", False),
        ("F41.1", "F4*", True),
        ("F50.0", "F4*", False),
        # ranges, both ends included with what is under them
        ("F32", "F32-F33", True),
        ("F32.A", "F32-F33", True),
        ("F33.9", "F32-F33", True),
        ("F31.9", "F32-F33", False),
        ("F34.1", "F32-F33", False),
        ("F32.0", "F32.0-F32.9", True),
        ("F32.89", "F32.0-F32.9", True),
        ("F32.9", "F32.0-F32.9", True),
        ("F32.A", "F32.0-F32.9", False),
        ("F32", "F32.0-F32.9", False),
        ("F43.10", "F43.0 - F43.12", True),
        ("F43.2", "F43.0 - F43.12", False),
        # lists, case, missing dots
        ("F41.1", "F32-F33, F41.1; F43.1*", True),
        ("F43.12", "F32-F33, F41.1; F43.1*", True),
        ("F41.0", "F32-F33, F41.1; F43.1*", False),
        ("f331", "f32 - f33", True),
        ("", "F32", False),
    ],
)
def test_in_range(code: str, spec: str, inside: bool) -> None:
    assert in_range(code, spec) is inside


@pytest.mark.parametrize("spec", ["", " , ", "F33-F32", "F3?", "32-33", "F32-"])
def test_malformed_range_is_a_value_problem(spec: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_range(spec)
    assert "range" in str(caught.value)


def test_range_that_ends_before_it_starts_says_what_to_write() -> None:
    with pytest.raises(ValueProblem, match="F32-F33"):
        in_range("F32.1", "F33-F32")


def test_importing_codes_does_not_load_the_table() -> None:
    code = "import sys, pipeline.clinical.icd10; sys.exit('simple_icd_10_cm' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_table_is_built_once_in_a_child_process_and_cached(tmp_path) -> None:
    code = (
        "import sys, pipeline.clinical.icd10 as c; info = c.lookup('F41.1');"
        "assert info.description == 'Generalized anxiety disorder' and info.billable;"
        "assert c.billable_children('F32', 2) == ('F32.0', 'F32.1');"
        "sys.exit('simple_icd_10_cm' in sys.modules)"
    )
    env = {**os.environ, "TXPLAN_CACHE": str(tmp_path)}
    for _ in range(2):  # the first run builds the cache, the second only reads it
        assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0
    assert [p.name.startswith("icd10cm-") for p in tmp_path.iterdir()] == [True]
