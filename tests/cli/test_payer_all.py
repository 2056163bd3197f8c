"""`--payer all`: each client's own payers and the clinical plan, not every payer for all."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pipeline.cli import main
from tests.support import ROOT

INPUTS = ROOT / "inputs"
#: The MindLedger sample's clients, their payers (the export's "Payer" column) and documents.
MINDLEDGER = {
    "2041": "bluepeak-pdf",  # BluePeak Health
    "2042": "medicaid-isp",  # Medicaid (Northstar County)
    "2043": "bluepeak-pdf",
    "2044": "managed-care-otr",  # Cigna
    "2045": "medicaid-isp",
    "2046": "medicare-poc",  # Medicare
    "2047": "bluepeak-pdf",
}

COLUMNS = "Client ID,First Name,Last Name,DOB,Diagnosis,GAD-7 Total,Intake Date,Payer,Member #"


def _build(tmp_path, *files: str, payer: str = "all") -> tuple[int, str, list[dict]]:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "build", *files, "--payer", payer, "--agency", "northstar", "-o", str(out),
        "--workers", "1", "--store", str(tmp_path / "s.db"), "--client-copy"])  # fmt: skip
    rows = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return result.exit_code, result.output, rows


def test_all_builds_each_clients_own_payer_the_clinical_plan_and_the_copy(tmp_path) -> None:
    code, output, rows = _build(tmp_path, str(INPUTS / "mindledger_long.csv"))
    assert code in (0, 1), output
    made: dict[str, set[str]] = {}
    for row in rows:
        made.setdefault(row["client_id"], set()).add(row["payer"])
        assert "TXR017" not in {f["code"] for f in row["findings"]}  # never a non-member's
    assert made == {
        client: {payer, "clinical", "client-copy"} for client, payer in MINDLEDGER.items()
    }


def test_a_client_without_coverage_gets_the_clinical_plan_and_a_finding(tmp_path) -> None:
    intake = tmp_path / "intake.csv"
    intake.write_text(
        f"{COLUMNS}\n"
        "N-1,Ada,Byrne,1990-02-03,F41.1,12,2026-01-05,,\n"
        "N-2,Bo,Chen,1985-06-07,F41.1,11,2026-01-05,Medicare,1EG4-TE5-MK72\n"
        "N-3,Cy,Dahl,1979-09-10,F41.1,13,2026-01-05,Humana Gold,H12345678\n",
        encoding="utf-8",
    )
    code, output, rows = _build(tmp_path, str(intake))
    assert code in (0, 1), output
    payers = {(r["client_id"], r["payer"]) for r in rows if r["payer"] != "client-copy"}
    assert payers == {("N-1", "clinical"), ("N-2", "clinical"), ("N-2", "medicare-poc"),
                      ("N-3", "clinical")}  # fmt: skip
    codes = {r["client_id"]: {f["code"] for f in r["findings"]} for r in rows
             if r["payer"] == "clinical"}  # fmt: skip
    assert "PAY001" in codes["N-1"] and "PAY002" in codes["N-3"]
    assert not {"PAY001", "PAY002"} & codes["N-2"]
    # the quiet line of the plan names it, so the agency sees what to fill in
    assert any(line.startswith("N-1: ") and "PAY001" in line for line in output.splitlines())
    # an explicit payer is still built for everyone asked, and payer identity blocks it
    _, _, rows = _build(tmp_path, str(intake), payer="medicare-poc")
    status = {r["client_id"]: (r["status"], {f["code"] for f in r["findings"]}) for r in rows
              if r["payer"] == "medicare-poc"}  # fmt: skip
    assert status["N-1"][0] == "blocked" and status["N-3"][0] == "blocked"
    assert "TXR017" in status["N-3"][1]
    assert "TXR017" not in status["N-2"][1]


def test_all_stands_alone_and_help_says_what_it_means() -> None:
    runner = CliRunner()
    sample = str(INPUTS / "mindledger_long.csv")
    for verb in ("build", "check"):
        result = runner.invoke(main, [verb, sample, "--payer", "all,clinical",
                                      "--agency", "riverside"])  # fmt: skip
        assert result.exit_code == 2
        assert "stands alone" in result.output
        help_text = " ".join(runner.invoke(main, [verb, "--help"]).output.split())
        assert "each client, the payers their intake's coverage names" in help_text or (
            "each client's own payers" in help_text
        )
        assert "clinical plan" in help_text
