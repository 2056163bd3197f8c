"""``txplan build --format fhir``: one bundle per plan and payer, in the manifest, read back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.readers import read
from tests.support import ROOT


def test_build_writes_a_bundle_per_plan_and_payer(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = str(ROOT / "inputs" / "mindledger_long.csv")
    args = ["build", source, "--payer", "medicaid-isp,clinical", "--agency", "northstar",
            "--format", "fhir", "--draft", "--client-copy", "-o", str(out),
            "--store", str(tmp_path / "s.sqlite3")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    rows = list(csv.DictReader((out / "manifest.csv").open(encoding="utf-8")))
    bundles = sorted(out.glob("*.fhir.json"))
    payer_rows = [r for r in rows if r["payer"] != "client-copy"]
    assert len(bundles) == len(payer_rows) > 0
    assert not list(out.glob("*.docx")) or all("client-copy" in p.name for p in out.glob("*.docx"))
    for row in payer_rows:
        name = next(n for n in row["outputs"].split(";") if n.endswith(".fhir.json"))
        bundle = json.loads((out / name).read_text(encoding="utf-8"))
        careplan = next(e["resource"] for e in bundle["entry"]
                        if e["resource"]["resourceType"] == "CarePlan")  # fmt: skip
        assert careplan["status"] == ("draft" if row["status"] == "blocked" else "active")
        (back,) = [r.plan for r in read(out / name) if r.plan]
        assert back.client.id == row["client_id"]
