"""Every finding code is unique, defined once, and in the README's table with its severity."""

from __future__ import annotations

import re

from pipeline.rules import kinds
from tests.finding_codes import collect
from tests.support import ROOT

ROW = re.compile(r"^\| `([A-Z]{2,6}[0-9]{3})` \| [^|]+ \| ([^|]+) \| [^|]+ \|$", re.M)


def _readme_table() -> dict[str, set[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Finding codes") :]
    section = section[: section.index("\n## ", 3)]
    rows = ROW.findall(section)
    codes = [code for code, _ in rows]
    duplicates = {c for c in codes if codes.count(c) > 1}
    assert not duplicates, f"listed twice in the README: {sorted(duplicates)}"
    return {code: {s.strip() for s in severity.split("/")} for code, severity in rows}


def test_every_code_is_documented_with_its_severity() -> None:
    severities, _ = collect(ROOT / "pipeline")
    documented = _readme_table()
    missing = sorted(set(severities) - set(documented))
    assert not missing, f"finding codes missing from README's 'Finding codes' table: {missing}"
    stale = sorted(set(documented) - set(severities))
    assert not stale, f"README lists codes the source no longer has: {stale}"
    for code, seen in severities.items():
        assert documented[code] <= {"error", "warning", "info"}, code
        said = documented[code]
        assert seen <= said, f"{code} is raised as {seen}, README says {said}"


def test_rule_codes_are_unique_and_documented_with_their_default_severity() -> None:
    documented = _readme_table()
    codes = [k.code for k in kinds().values()]
    assert len(codes) == len(set(codes)), "two rule kinds share a code"
    for rule_kind in kinds().values():
        assert rule_kind.severity.value in documented[rule_kind.code], rule_kind.code


def test_each_code_constant_is_defined_in_one_place() -> None:
    _, defined = collect(ROOT / "pipeline")
    twice = {code: places for code, places in defined.items() if len(places) > 1}
    assert not twice, f"codes defined in more than one place: {twice}"
