"""The client copy goes out only for a plan in force (TXR031), with the demo's own samples:
CT-1008 and NS-2207 (the treating clinician has not signed, TXR018) are blocked for every
payer, so their copy is too (CT-1003 and CT-1004 were, until the sample named each goal's
problem: now their payer documents are ok, and so is their copy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.support import ROOT

NOT_IN_FORCE = {"CT-1008"}


def _build(out: Path, store: Path, *args: str) -> tuple[str, dict[str, dict]]:
    result = CliRunner().invoke(main, ["build", *args, "--format", "docx", "--client-copy",
                                       "--store", str(store), "-o", str(out)])  # fmt: skip
    assert result.exit_code == 1, result.output  # some plans are blocked
    rows = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = rows["rows"] if isinstance(rows, dict) else rows
    return result.output, {r["client_id"]: r for r in rows if r["payer"] == "client-copy"}


def _codes(row: dict) -> list[str]:
    return [f["code"] for f in row["findings"] if f["severity"] == "error"]


@pytest.mark.parametrize(("draft", "payers"), [(False, "all"), (True, "clinical,managed-care-otr")])
def test_riverside_copies_wait_for_a_payer_document(tmp_path, draft: bool, payers: str) -> None:
    intake = str(ROOT / "inputs" / "counseltrack_wide.xlsx")
    args = [intake, "--payer", payers, "--agency", "riverside", *(["--draft"] if draft else [])]
    output, copies = _build(tmp_path / "out", tmp_path / "s.sqlite3", *args)
    for client in NOT_IN_FORCE:
        row = copies[client]
        assert row["status"] == "blocked" and _codes(row) == ["TXR031"], row
        assert row["draft"] is draft and bool(row["outputs"]) is draft
        (line,) = [x for x in output.splitlines() if x.startswith(f"{client}: ")]
        assert "ok for" not in line and "TXR031" in line  # the summary line shows it
    message = next(f["message"] for f in copies["CT-1008"]["findings"] if f["code"] == "TXR031")
    assert "every payer document of this plan is blocked by " in message and "TXR018" in message
    assert "the treating clinician, and a required co-signer, sign and date the plan" in message
    for client in ("CT-1002", "CT-1003", "CT-1004", "CT-1005", "CT-1007"):  # ok for a payer
        assert copies[client]["status"] == "ok" and copies[client]["outputs"], client
    for client in ("CT-1001", "CT-1006"):  # at risk, safety plan incomplete: never, not a draft
        assert copies[client]["outputs"] == [] and "TXR030" in _codes(copies[client])
    csv = (tmp_path / "out" / "manifest.csv").read_text(encoding="utf-8")
    assert "CT-1008,client-copy,riverside,blocked," in csv and "TXR031" in csv


def test_northstar_copy_of_an_unsigned_plan_is_withheld(tmp_path) -> None:
    intake = str(ROOT / "inputs" / "assessment-summary-flat.pdf")
    _, copies = _build(tmp_path / "out", tmp_path / "s.sqlite3", intake, "--payer", "all",
                       "--agency", "northstar")  # fmt: skip
    assert _codes(copies["NS-2207"]) == ["TXR031"] and copies["NS-2207"]["outputs"] == []
