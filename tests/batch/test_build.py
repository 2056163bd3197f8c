"""txplan build: render or block per plan and payer, manifest rows and digests, exit codes."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.batch.build import BuildOptions, build
from pipeline.cli import main
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.marking import DRAFT_MARK
from tests.support import TEST_DATA

DATA = TEST_DATA / "render"
FULL, MINIMAL = str(DATA / "full.json"), str(DATA / "minimal.json")


def run(*args: str):
    return CliRunner().invoke(main, ["build", *args])


def manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_build_writes_documents_and_a_manifest_whose_digests_match(tmp_path) -> None:
    out = tmp_path / "out"
    bluepeak = json.loads(Path(FULL).read_text(encoding="utf-8"))  # RC-1001: a Medicare member
    bluepeak["client"].update(id="RC-2001", payer_name="BluePeak Health", member_id="BPH-4400-1177")
    (tmp_path / "bluepeak.json").write_text(json.dumps(bluepeak), encoding="utf-8")
    result = run(FULL, str(tmp_path / "bluepeak.json"), "--payer",
                 "clinical,medicare-poc,bluepeak-pdf", "--agency", "riverside", "-o", str(out),
                 "--client-copy")  # fmt: skip
    assert result.exit_code == 1, result.output  # each plan is blocked for the other's payer
    rows = manifest(out)
    assert [(r["client_id"], r["payer"], r["status"]) for r in rows] == [
        ("RC-1001", "clinical", "ok"),
        ("RC-1001", "medicare-poc", "ok"),
        ("RC-1001", "bluepeak-pdf", "blocked"),
        ("RC-1001", "client-copy", "ok"),
        ("RC-2001", "clinical", "ok"),
        ("RC-2001", "medicare-poc", "blocked"),
        ("RC-2001", "bluepeak-pdf", "ok"),
        ("RC-2001", "client-copy", "ok"),
    ]
    assert [f["code"] for f in rows[2]["findings"] if f["severity"] == "error"] == ["TXR017"]
    identity = next(f for f in rows[5]["findings"] if f["code"] == "TXR017")
    assert "BPH-4400-1177" in identity["message"]
    for row in rows:
        assert bool(row["outputs"]) == (row["status"] == "ok"), row
        for output in row["outputs"]:
            data = (out / output["path"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == output["sha256"]
    assert rows[6]["outputs"][0]["path"].endswith(".pdf")
    csv_text = (out / "manifest.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0].startswith("client_id,payer,agency,status")
    assert rows[0]["outputs"][0]["sha256"] in csv_text
    assert not list(out.glob(".*.part"))  # nothing half-written is left


def test_a_rule_error_blocks_the_document_and_exits_1(tmp_path) -> None:
    out = tmp_path / "out"
    result = run(FULL, MINIMAL, "--payer", "clinical", "--agency", "northstar", "-o", str(out))
    assert result.exit_code == 1
    rows = {r["client_id"]: r for r in manifest(out)}
    assert rows["RC-1001"]["status"] == "ok"
    blocked = rows["NB-2002"]
    assert blocked["status"] == "blocked" and blocked["outputs"] == []
    assert any(f["severity"] == "error" and f["where"] == "goals" for f in blocked["findings"])
    # the minimal plan: no goals, no credentials, no formulation, risk never assessed
    line = "NB-2002: blocked for clinical · 4 errors (TXR002, TXR010, TXR012, TXR021)"
    assert line in result.output
    assert "RC-1001: ok for clinical" in result.output
    verbose = run(FULL, MINIMAL, "--payer", "clinical", "--agency", "northstar", "-o",
                  str(tmp_path / "v"), "-v")  # fmt: skip
    assert "NB-2002 / clinical: blocked -> no document" in verbose.output
    assert "  goals: error TXR002" in verbose.output
    assert not list(out.glob("NB-2002*"))


def test_draft_renders_a_blocked_plan_marked_draft(tmp_path) -> None:
    out = tmp_path / "out"
    result = run(MINIMAL, "--payer", "medicaid-isp", "--agency", "riverside", "-o", str(out),
                 "--draft")  # fmt: skip
    assert result.exit_code == 1  # still blocked for submission
    (row,) = manifest(out)
    assert row["status"] == "blocked" and row["draft"] is True
    doc = Document(out / row["outputs"][0]["path"])
    assert all(DRAFT_MARK in s.header.paragraphs[0].text for s in doc.sections)


def test_two_builds_give_byte_identical_documents(tmp_path) -> None:
    for name in ("a", "b"):
        assert run(FULL, "--payer", "all", "--agency", "riverside", "-o", str(tmp_path / name),
                   "--client-copy").exit_code in (0, 1)  # fmt: skip
    first = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert first == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert any(name.endswith(".docx") for name in first)
    for name in first:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--payer", "nosuchpayer", "--agency", "riverside"], "nosuchpayer"),
        (["--payer", "clinical", "--agency", "nosuchagency"], "nosuchagency"),
        (["--payer", "clinical", "--agency", "riverside", "--format", "rtf"], "rtf"),
    ],
)
def test_bad_payer_agency_or_format_exits_2(tmp_path, args, message) -> None:
    result = run(FULL, *args, "-o", str(tmp_path))
    assert result.exit_code == 2 and message in result.output


def test_a_missing_input_exits_2_before_anything_is_written(tmp_path) -> None:
    out = tmp_path / "out"
    args = ("--payer", "clinical", "--agency", "riverside", "-o", str(out))
    assert run(FULL, *args).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    result = run(str(tmp_path / "missing.json"), FULL, *args)
    assert result.exit_code == 2 and "missing.json" in result.output
    assert "nothing was written" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_broken_template_fails_that_document_only(tmp_path) -> None:
    plan = Plan.model_validate(json.loads(Path(FULL).read_text(encoding="utf-8")))
    broken = tmp_path / "broken.docx"
    doc = Document()
    doc.add_paragraph("{{ client.nmae }}")
    doc.save(broken)
    bad = load_payer("clinical").model_copy(update={"template": broken, "id": "broken"})
    payers = [bad, load_payer("medicare-poc")]
    result = build([plan], payers, load_agency("riverside"),
                   BuildOptions(out_dir=tmp_path / "out", merge=False))  # fmt: skip
    assert [r.status for r in result.rows] == ["failed", "ok"]
    assert "nmae" in result.rows[0].findings[-1].message


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
def test_pdf_format_uses_one_libreoffice_for_the_whole_build(tmp_path) -> None:
    plan = Plan.model_validate(json.loads(Path(FULL).read_text(encoding="utf-8")))
    payers = [load_payer("clinical"), load_payer("medicare-poc")]
    result = build([plan], payers, load_agency("northstar"), BuildOptions(
        out_dir=tmp_path, formats=("pdf",), merge=False, client_copy=True))  # fmt: skip
    assert result.pdf_processes == 1
    paths = [o.path for r in result.rows for o in r.outputs]
    assert len(paths) == 3 and all(p.endswith(".pdf") for p in paths)
    assert (tmp_path / paths[0]).read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob("*.docx"))


def test_draft_marks_only_the_blocked_plans(tmp_path) -> None:
    out = tmp_path / "out"
    run(FULL, MINIMAL, "--payer", "clinical", "--agency", "riverside", "-o", str(out), "--draft")
    rows = {r["client_id"]: r for r in manifest(out)}
    assert rows["RC-1001"]["draft"] is False and rows["NB-2002"]["draft"] is True
    ok = Document(out / rows["RC-1001"]["outputs"][0]["path"])
    assert DRAFT_MARK not in ok.sections[0].header.paragraphs[0].text
