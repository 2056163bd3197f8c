"""Filling a form from the once-parsed form gives the same bytes as parsing it for every plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.profiles import load_agency
from pipeline.readers import read
from pipeline.rules import load_payer
from pipeline.writers import pdf_form
from tests.support import ROOT

PLANS = [
    r.plan
    for name in ("mindledger_long.csv", "counseltrack_wide.xlsx", "practiceflow_workbook.xlsx")
    for r in read(Path(ROOT / "inputs" / name))
    if r.plan is not None
]


@pytest.mark.parametrize("flatten", [True, False])
def test_cached_form_path_gives_the_stock_bytes_for_every_sample(flatten: bool) -> None:
    payer, agency = load_payer("bluepeak-pdf"), load_agency("northstar")
    pdf_form.clear_cache()
    pdf_form.prepare(payer, agency, None)
    cached = [pdf_form.fill_form(p, payer, agency, flatten=flatten) for p in PLANS]
    stock = []
    for plan in PLANS:
        pdf_form.clear_cache()
        stock.append(pdf_form.fill_form(plan, payer, agency, flatten=flatten))
    assert cached == stock
