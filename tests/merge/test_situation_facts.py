"""A situation knows three facts: ``fits`` and ``known`` answer as the table of them does."""

from __future__ import annotations

import itertools

from pipeline.merge.situation import Situation

FACTS = ("employed", "student", "parent", "retired", "sources", "fits", "")


def test_fits_and_known_answer_as_the_table_of_facts() -> None:
    for employed, student, parent in itertools.product((True, False, None), repeat=3):
        fit = Situation(employed, student, parent, {})
        table = {"employed": employed, "student": student, "parent": parent}
        for fact in FACTS:
            assert fit.known(fact) is table.get(fact)
        for size in range(3):
            for presumes in itertools.permutations(FACTS, size):
                expected = all(table.get(p) is True for p in presumes)
                assert fit.fits(presumes) is expected, presumes
