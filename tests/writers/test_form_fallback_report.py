"""A form the fast path hands to the stock pypdf path is said: on its row and in the summary."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.cli.build import stock_path_lines
from pipeline.profiles import load_agency
from pipeline.readers import read
from pipeline.rules import load_payer
from pipeline.writers import WriterOptions, pdf_form, render
from tests.support import ROOT

PAYER, AGENCY = load_payer("bluepeak-pdf"), load_agency("northstar")
SAMPLE = ROOT / "inputs" / "mindledger_long.csv"
#: A first name the form's font (WinAnsi Helvetica) cannot spell: the fast path gives way.
FOREIGN = "Ωmega 李"


def _plans():
    return [r.plan for r in read(SAMPLE) if r.plan is not None]


def test_a_form_on_the_stock_path_carries_a_note_and_one_on_the_fast_path_none() -> None:
    plan = _plans()[0]
    foreign = plan.model_copy(
        update={"client": plan.client.model_copy(update={"first_name": FOREIGN})}
    )
    options = WriterOptions(draft=True)
    assert render(plan, PAYER, AGENCY, options)[0].notes == ()
    (document,) = render(foreign, PAYER, AGENCY, options)
    (note,) = document.notes
    assert note.code == pdf_form.STOCK_PATH == "TPL012"
    assert note.severity.value == "info"
    assert note.where == f"client {plan.client.id}"
    assert "bluepeak-pdf" in note.message and "cannot encode" in note.message
    assert FOREIGN not in note.message  # the reason names the field, never the value
    stock = pdf_form.fill_form(foreign, PAYER, AGENCY, draft=True, renderer="stock")
    assert document.data == stock  # the same document the stock path makes


def test_the_summary_lines_count_each_reason() -> None:
    assert stock_path_lines(Counter()) == []
    lines = stock_path_lines(Counter({"bluepeak-pdf: x: a": 2, "bluepeak-pdf: y: b": 1}))
    assert lines[0].startswith("3 forms filled by the stock pypdf path")
    assert lines[1:] == ["  2 × bluepeak-pdf: x: a", "  1 × bluepeak-pdf: y: b"]


def test_a_build_says_how_many_forms_took_the_stock_path_and_why(tmp_path: Path) -> None:
    client = _plans()[0].client
    original = f'"{client.last_name}, {client.first_name}"'
    text = SAMPLE.read_text(encoding="utf-8")
    assert original in text
    intake = tmp_path / "intake.csv"
    intake.write_text(text.replace(original, f'"{client.last_name}, {FOREIGN}"'), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "build", str(intake), "--payer", "bluepeak-pdf", "--agency", "northstar", "--draft",
        "-o", str(out), "--store", str(tmp_path / "s.db")])  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    assert "1 form filled by the stock pypdf path" in result.output, result.output
    assert "1 × bluepeak-pdf: filled by the stock pypdf path" in result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = manifest["rows"] if isinstance(manifest, dict) else manifest
    noted = [r for r in rows if any(f["code"] == "TPL012" for f in r["findings"])]
    assert [r["client_id"] for r in noted] == [client.id]
