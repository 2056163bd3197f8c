"""Goal fields a system cannot record, over generated exports: one IN045 a file exactly when a
goal field has no column, and a MERGE022/MERGE033 warning on a plan only where its system has
the column and this plan's cell is blank (else an info)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.findings import Severity
from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.readers import ReadOptions
from pipeline.readers.export import read_paths, said_once
from tests.support import write_csv

BANK = load_bank()
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GOALS = (
    ("F32.1", "I want to enjoy things again", "Depressed mood and loss of interest"),
    ("F41.1", "I want to stop worrying so much", "Excessive worry"),
    ("F43.10", "I want the nightmares to stop", "Trauma memories and reactions"),
)
CODE = {"problem": "MERGE022", "description": "MERGE033"}


@st.composite
def exports(draw: st.DrawFn) -> tuple[set[str], list[dict[str, bool]], list[list[str]]]:
    """Which goal columns the export has, each row's blank cells, and the rows."""
    columns = set(draw(st.sets(st.sampled_from(("problem", "description")))))
    rows, blanks = [], []
    for n in range(draw(st.integers(1, 4))):
        code, words, problem = draw(st.sampled_from(GOALS))
        blank = {c: draw(st.booleans()) for c in columns}
        row = [f"C-{n}", "2026-01-05", code, words]
        if "problem" in columns:
            row.append("" if blank["problem"] else problem)
        if "description" in columns:
            row.append("" if blank["description"] else f"Less {problem.lower()}")
        rows.append(row)
        blanks.append(blank)
    return columns, blanks, rows


@PROPERTY
@given(export=exports())
def test_a_field_the_system_lacks_is_said_once_and_a_blank_one_on_its_plan(export) -> None:
    columns, blanks, rows = export
    header = ["Client ID", "Intake Date", "Dx Code", "Goal 1"]
    header += [h for c, h in (("problem", "Goal 1 Problem"),
                              ("description", "Goal 1 Clinical Goal")) if c in columns]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "export.csv", header, *rows)
        options = ReadOptions()
        results = [r for n, rs in read_paths([path], options) for r in said_once(n, rs, options)]
    said = [f for r in results if r.plan is None for f in r.findings if f.code == "IN045"]
    assert len(said) == (0 if columns == {"problem", "description"} else 1), said
    plans = [r.plan for r in results if r.plan is not None]
    assert len(plans) == len(rows)
    for plan, blank in zip(plans, blanks, strict=True):
        _, found = merge(plan, BANK)
        for field, code in CODE.items():
            warned = [f for f in found if f.code == code and f.severity is Severity.WARNING]
            if field not in columns:  # the system cannot record it: never a warning
                assert not warned, (field, plan.client.id)
            elif not blank[field]:  # recorded: nothing to fill, nothing to say
                assert not [f for f in found if f.code == code], (field, plan.client.id)
            else:  # the system has it, this plan left it blank: whatever is filled warns
                assert all(f.severity is Severity.WARNING for f in found if f.code == code)
