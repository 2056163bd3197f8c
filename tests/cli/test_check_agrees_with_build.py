"""One decision: `txplan check` and `txplan build` agree on every sample input and payer.

Both call pipeline.batch.decision; this test holds them to it end to end, through the CLI:
the status and the finding codes of every (client, payer) that check prints are the ones
build writes in its manifest. `check --no-merge` checks the input as given and so differs.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.profiles import list_payers
from tests.support import ROOT

INPUTS = ROOT / "inputs"
#: The sample inputs by the agency they belong to (as `make demo` builds them).
SAMPLES = {
    "riverside": ("counseltrack_wide.xlsx", "practiceflow_workbook.xlsx",
                  "intake-form-fillable.pdf", "intake-questionnaire.docx"),
    "northstar": ("mindledger_long.csv", "assessment-summary-flat.pdf"),
}  # fmt: skip


def _decisions_of_check(files: list[str], agency: str, *extra: str, payer: str = "all") -> dict:
    result = CliRunner().invoke(
        main, ["check", *files, "--payer", payer, "--agency", agency, "--json", *extra]
    )
    assert result.exit_code in (0, 1), result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {
        (r["client_id"], r["payer"]): (r["status"], sorted(f["code"] for f in r["findings"]))
        for r in records
    }


def _decisions_of_build(files: list[str], agency: str, out, payer: str = "all") -> dict:
    args = ["build", *files, "--payer", payer, "--agency", agency, "-o", str(out),
            "--workers", "1", "--store", str(out / "plans.sqlite3")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    rows = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {
        (r["client_id"], r["payer"]): (r["status"], sorted(f["code"] for f in r["findings"]))
        for r in rows
    }


@pytest.mark.parametrize("payer", ["all", ",".join(list_payers())])
@pytest.mark.parametrize("agency", sorted(SAMPLES))
def test_check_decides_as_build_for_every_sample_and_payer(agency, payer, tmp_path) -> None:
    """Both with ``all`` (each client's own payers and the clinical plan: the same payers
    chosen for the same plans) and with every payer named (every payer for every plan)."""
    files = [str(INPUTS / name) for name in SAMPLES[agency]]
    checked = _decisions_of_check(files, agency, payer=payer)
    built = _decisions_of_build(files, agency, tmp_path, payer=payer)
    clients = {client for client, _ in built}
    assert len(checked) == len(built)
    if payer == "all":  # the clinical plan and at least one payer's document for each
        assert len(built) >= 2 * len(clients)
        assert not any("TXR017" in codes for _, codes in built.values())
    else:
        assert len(built) == len(list_payers()) * len(clients)
    disagree = {
        key: (checked[key], built.get(key)) for key in checked if checked[key] != built.get(key)
    }
    assert disagree == {}
    assert {status for status, _ in built.values()} == {"ok", "blocked"}  # both kinds are held


#: Error codes a merged sample plan can still carry.
ERRORS = {f"TXR{n:03d}" for n in range(1, 31)} | {"SMART007", "MERGE028"}


def test_counseltrack_medicare_check_is_not_stricter_than_build() -> None:
    """The case the issue names: check blocked all 8 plans (no merge), build rendered them."""
    files = [str(INPUTS / "counseltrack_wide.xlsx")]
    merged = _decisions_of_check(files, "riverside", payer="medicare-poc")
    as_given = _decisions_of_check(files, "riverside", "--no-merge", payer="medicare-poc")
    medicare = [k for k in merged if k[1] == "medicare-poc"]
    assert len(medicare) == 8
    assert all(as_given[k][0] == "blocked" for k in medicare)  # the intake alone lacks goals
    # the one Medicare member is CT-1004; the other seven are not Medicare
    # members, so their plans of care are blocked by payer identity (TXR017) either way
    status, codes = merged[("CT-1004", "medicare-poc")]
    assert "TXR017" not in codes  # its identity passes
    # its goal names its problem (the export's "Goal 1 Problem"), so it is ok: before the
    # sample carried problems, TXR020 blocked it
    assert status == "ok" and not set(codes) & ERRORS
    assert all("TXR017" in merged[k][1] for k in medicare if k[0] != "CT-1004")
