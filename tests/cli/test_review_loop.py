"""End to end through the CLI: build, review, render the stored version for the payer, redline."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.cli import main
from pipeline.profiles import load_agency, load_payer
from pipeline.versions.store import Store
from pipeline.writers import WriterOptions, render
from tests.support import ROOT

INPUTS = ROOT / "inputs"
ISP = "CT-1001_medicaid-isp_2026-01-06_reviewed-2026-04-06.docx"  # never version 1's name


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Path:
    """A store holding CT-1001 built from intake and revised by the sample 90-day review."""
    where = tmp_path_factory.mktemp("loop")
    store = str(where / "store.sqlite3")
    intake = str(INPUTS / "counseltrack_wide.xlsx")
    _run("build", intake, "--payer", "medicaid-isp", "--agency", "riverside", "--draft",
         "--store", store, "-o", str(where / "intake"))  # fmt: skip
    _run("revise", str(INPUTS / "reviews" / "review-90day-CT-1001.csv"), "--payer",
         "medicaid-isp", "--store", store)  # fmt: skip
    return where


def _from_store(where: Path, out: str) -> bytes:
    _run("build", "--from-store", "ct-1001", "--payer", "medicaid-isp", "--agency", "riverside",
         "--draft", "--store", str(where / "store.sqlite3"), "-o", str(where / out))  # fmt: skip
    return (where / out / ISP).read_bytes()


def test_the_stored_review_reaches_the_isp_byte_for_byte_again(reviewed: Path) -> None:
    first, second = _from_store(reviewed, "a"), _from_store(reviewed, "b")
    assert first == second  # an unchanged version renders the same bytes
    with Store(reviewed / "store.sqlite3") as store:
        plan = store.latest("CT-1001").plan
    # the same document the writer registry makes of the stored plan (the intake build's path)
    payer, agency = load_payer("medicaid-isp"), load_agency("riverside")
    (document,) = render(plan, payer, agency, WriterOptions(draft=True))
    assert document.data == first
    opened = Document(io.BytesIO(first))
    cells = [
        row.cells[4].text
        for table in opened.tables
        if table.rows[0].cells[-1].text.startswith("270-day review")
        for row in table.rows[1:]
    ]
    assert any(c.startswith("04/06/2026: In progress. Safety plan made with") for c in cells)
    assert any("PHQ-9 9 (baseline 16; reliable improvement)" in c for c in cells)
    text = "\n".join(p.text for p in opened.paragraphs)
    assert "90-day review, 04/06/2026, by Maya Okafor, LCSW" in text  # the treating clinician


def test_diff_writes_both_redlines(reviewed: Path) -> None:
    store = str(reviewed / "store.sqlite3")
    plain, isp = reviewed / "redline.docx", reviewed / "isp-redline.docx"
    out = _run("diff", "CT-1001", "--redline", str(plain), "--agency", "riverside", "--store",
               store)  # fmt: skip
    assert "    Objective 1.1 status: not started → in progress  (Her safety plan is not" in out
    assert "Goal 5 added" in out and "SAFETY.G1.O1" not in out and "INSOMNIA" not in out
    args = ["diff", "CT-1001", "--redline", str(isp), "--payer", "medicaid-isp", "--agency",
            "riverside", "--store", store]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "blocked; the redline is marked DRAFT" in result.output  # CT-1001's safety plan
    document = Document(io.BytesIO(plain.read_bytes()))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Objective 1.1: " in body and "SAFETY.G1.O1" not in body
    assert [c.text for c in document.tables[-1].rows[0].cells][:2] == ["Signer", "Name"]
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert "Riverside Counseling Collective" in header
    opened = Document(io.BytesIO(isp.read_bytes()))  # the ISP, with the review tracked
    xml = opened.element.xml
    assert "<w:ins " in xml and "<w:del " in xml
    assert "she keeps it on her phone" in xml
    assert any("DRAFT" in p.text for p in opened.sections[0].header.paragraphs)


def test_diff_payer_needs_a_redline_and_an_agency(reviewed: Path) -> None:
    store = str(reviewed / "store.sqlite3")
    alone = CliRunner().invoke(main, ["diff", "CT-1001", "--payer", "medicaid-isp", "--store",
                                      store])  # fmt: skip
    no_agency = CliRunner().invoke(main, ["diff", "CT-1001", "--redline", "x.docx", "--payer",
                                          "medicaid-isp", "--store", store])  # fmt: skip
    assert alone.exit_code == no_agency.exit_code == 2
    assert "--redline" in alone.output and "--agency" in no_agency.output
