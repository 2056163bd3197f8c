"""Every version keeps its own documents (session 6, fix-revise #4): ``build --from-store``
wrote the reviewed ISP of CT-1001 under version 1's name (``CT-1001_medicaid-isp_2026-01-06``)
in the same folder, so the reviewed document replaced the first. A version made by a review
names it; the manifest and the ledger keep a row for each."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.model import Revision
from pipeline.versions.naming import version_tag
from pipeline.versions.reviews import ReviewRow
from pipeline.versions.revise import apply_review
from tests.support import ROOT
from tests.versions.versions_helpers import sample_plan

REVIEWS = ROOT / "inputs" / "reviews"
STEM = "CT-1001_medicaid-isp_2026-01-06"


def _run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output


def test_each_version_of_the_demo_review_has_its_own_file_manifest_row_and_ledger_key(
    tmp_path: Path,
) -> None:
    store, out = str(tmp_path / "store.sqlite3"), tmp_path / "out"
    isp = ("--payer", "medicaid-isp", "--agency", "riverside", "--draft", "--store", store)
    _run("build", str(ROOT / "inputs" / "counseltrack_wide.xlsx"), *isp, "-o", str(out))
    for review in ("review-90day-CT-1001.csv", "review-90day-CT-1001-signed.csv"):
        _run("revise", str(REVIEWS / review), "--payer", "medicaid-isp", "--store", store)
        _run("build", "--from-store", "CT-1001", *isp, "-o", str(out))
    stems = [STEM, f"{STEM}_reviewed-2026-04-06", f"{STEM}_reviewed-2026-04-06_signed-2026-04-08"]
    files = sorted(p.name for p in out.glob("CT-1001_*.docx"))
    assert files == [f"{s}.docx" for s in stems]
    assert len({(out / f).read_bytes() for f in files}) == 3  # three documents, none replaced
    rows = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    shown = sorted(o["path"] for r in rows if r["client_id"] == "CT-1001" for o in r["outputs"])
    assert shown == files
    keys = [json.loads(line).get("key", "") for line in (out / ".txplan-ledger.jsonl").open()]
    assert all(f"medicaid-isp/{s}" in keys for s in stems)


def test_the_tag_names_the_review_or_update_and_the_signature() -> None:
    plan = sample_plan()
    assert version_tag(plan) == ""  # version 1: the payer's name as it was
    rows = [ReviewRow(where="r.csv, row 2", client_id="C-1001", date=dt.date(2024, 4, 1),
                      objective_id=o.id, status=o.status, rationale="continue")
            for g in plan.goals for o in g.objectives]  # fmt: skip
    reviewed, _ = apply_review(plan, rows)
    assert reviewed is not None and version_tag(reviewed) == "_reviewed-2024-04-01"
    signed = reviewed.signatures.model_copy(
        update={
            "clinician": reviewed.signatures.clinician.model_copy(
                update={"signed_date": dt.date(2024, 4, 3)}
            )
        }  # fmt: skip
    )
    assert version_tag(reviewed.model_copy(update={"signatures": signed})) == (
        "_reviewed-2024-04-01_signed-2024-04-03"
    )
    updated = plan.model_copy(update={"revision": reviewed.revision})
    assert version_tag(updated) == "_updated-2024-04-01"  # not a review of the plan
    update = Revision(date=dt.date(2024, 4, 1), reason="intake update from intake.xlsx")
    later = reviewed.model_copy(update={"revision": update})  # the same day, after the review
    assert version_tag(later) == "_updated-2024-04-01"


def test_a_notes_only_file_for_the_same_review_gets_its_own_name(tmp_path: Path) -> None:
    """A later file of the demo's review that adds a progress note alone (no signature) made a
    version whose documents took the name of the signed version before, and replaced it."""
    store, out = str(tmp_path / "store.sqlite3"), tmp_path / "out"
    isp = ("--payer", "medicaid-isp", "--agency", "riverside", "--draft", "--store", store)
    _run("build", str(ROOT / "inputs" / "counseltrack_wide.xlsx"), *isp, "-o", str(out))
    notes = tmp_path / "review-90day-CT-1001-notes.csv"
    notes.write_text(
        "Client ID,Review Date,Reviewer,Objective,Status,Progress Note,Rationale\n"
        'CT-1001,2026-04-06,"Maya Okafor, LCSW",1.1,in progress,'
        "Safety plan entered into the record with her on April 9,Still in progress\n",
        encoding="utf-8",
    )
    for review in (REVIEWS / "review-90day-CT-1001.csv",
                   REVIEWS / "review-90day-CT-1001-signed.csv", notes):  # fmt: skip
        _run("revise", str(review), "--payer", "medicaid-isp", "--store", store)
        _run("build", "--from-store", "CT-1001", *isp, "-o", str(out))
    signed = f"{STEM}_reviewed-2026-04-06_signed-2026-04-08"
    stems = [STEM, f"{STEM}_reviewed-2026-04-06", signed, f"{signed}_part-2"]
    files = sorted(p.name for p in out.glob("CT-1001_*.docx"))
    assert files == sorted(f"{s}.docx" for s in stems)
    assert len({(out / f).read_bytes() for f in files}) == 4  # none replaced


def test_two_updates_or_later_files_of_one_day_are_numbered() -> None:
    plan = sample_plan()
    rows = [ReviewRow(where="r.csv, row 2", client_id="C-1001", date=dt.date(2024, 4, 1),
                      objective_id=o.id, status=o.status, rationale="continue")
            for g in plan.goals for o in g.objectives]  # fmt: skip
    reviewed, _ = apply_review(plan, rows)
    assert reviewed is not None and version_tag(reviewed) == "_reviewed-2024-04-01"
    tags = [version_tag(reviewed)]
    for n in (1, 2):
        o = reviewed.goals[0].objectives[0]
        note = ReviewRow(where="n.csv, row 2", client_id="C-1001", date=dt.date(2024, 4, 1),
                         objective_id=o.id, status=o.status, note=f"note {n}")  # fmt: skip
        reviewed, _ = apply_review(reviewed, [note])
        assert reviewed is not None and reviewed.revision is not None
        assert reviewed.reviews[-1] == reviewed.revision  # still the review's own record
        tags.append(version_tag(reviewed))
    assert tags == ["_reviewed-2024-04-01", "_reviewed-2024-04-01_part-2",
                    "_reviewed-2024-04-01_part-3"]  # fmt: skip
