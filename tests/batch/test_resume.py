"""Resumable, incremental builds: unchanged documents skipped, a killed run completed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from pipeline.batch.build import BuildOptions, build
from pipeline.batch.ledger import LEDGER
from pipeline.cli import main
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from tests.support import DATA, ROOT

FULL = DATA / "render" / "full.json"


def plans(count: int, note: str = "") -> list[Plan]:
    base = Plan.model_validate_json(FULL.read_text(encoding="utf-8"))
    out = []
    for n in range(1, count + 1):
        client = base.client.model_copy(update={"id": f"R-{n:04d}"})
        out.append(base.model_copy(update={"client": client}))
    if note:
        first = out[0]
        problem = first.presenting_problem.model_copy(update={"client_words": note})
        out[0] = first.model_copy(update={"presenting_problem": problem})
    return out


def run(out: Path, items: list[Plan], payers=("clinical", "medicare-poc"), **kw):
    options = BuildOptions(out_dir=out, merge=False, **kw)
    return build(items, [load_payer(p) for p in payers], load_agency("riverside"), options)


def files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def test_an_unchanged_rebuild_skips_everything_and_gives_the_same_manifest(tmp_path) -> None:
    first = run(tmp_path, plans(3))
    before = files(tmp_path)
    again = run(tmp_path, plans(3))
    assert first.skipped == 0 and again.skipped == 6
    assert files(tmp_path) == before  # manifest included: byte for byte
    assert [r.as_json() for r in again.rows] == [r.as_json() for r in first.rows]


def test_only_what_changed_is_rendered_again(tmp_path) -> None:
    run(tmp_path, plans(3))
    changed = run(tmp_path, plans(3, note="I want to sleep again."))
    assert changed.skipped == 4  # the first plan's two documents are made again
    (tmp_path / "R-0002_medicare-poc_2025-03-18.docx").write_bytes(b"tampered")
    repaired = run(tmp_path, plans(3, note="I want to sleep again."))
    assert repaired.skipped == 5
    assert Document(tmp_path / "R-0002_medicare-poc_2025-03-18.docx").paragraphs
    rebuilt = run(tmp_path, plans(3, note="I want to sleep again."), resume=False)
    assert rebuilt.skipped == 0


def test_a_changed_option_or_template_renders_again(tmp_path) -> None:
    run(tmp_path, plans(2), payers=("clinical",))
    assert run(tmp_path, plans(2), payers=("clinical",), draft=True).skipped == 0
    copy = tmp_path / "tpl.docx"
    copy.write_bytes(load_payer("clinical").template.read_bytes())
    payer = load_payer("clinical").model_copy(update={"template": copy})
    options = BuildOptions(out_dir=tmp_path, merge=False, draft=True)
    assert build(plans(2), [payer], load_agency("riverside"), options).skipped == 0
    assert build(plans(2), [payer], load_agency("riverside"), options).skipped == 2
    doc = Document(copy)
    doc.add_paragraph("A new closing line.")
    doc.save(copy)
    assert build(plans(2), [payer], load_agency("riverside"), options).skipped == 0


def test_failed_rows_are_always_tried_again(tmp_path) -> None:
    broken = tmp_path / "broken.docx"
    doc = Document()
    doc.add_paragraph("{{ client.nmae }}")
    doc.save(broken)
    bad = load_payer("clinical").model_copy(update={"template": broken, "id": "broken"})
    options = BuildOptions(out_dir=tmp_path / "out", merge=False)
    build(plans(1), [bad], load_agency("riverside"), options)
    again = build(plans(1), [bad], load_agency("riverside"), options)
    assert again.skipped == 0 and again.rows[0].status == "failed"


def test_cli_says_how_many_were_skipped(tmp_path) -> None:
    source = tmp_path / "plans.jsonl"
    source.write_text("".join(p.model_dump_json() + "\n" for p in plans(2)), encoding="utf-8")
    args = ["build", str(source), "--payer", "medicare-poc", "--agency", "riverside", "-o",
            str(tmp_path / "out"), "--workers", "1"]  # fmt: skip
    CliRunner().invoke(main, args)
    again = CliRunner().invoke(main, args)
    assert "skipped 2 unchanged" in again.output
    forced = CliRunner().invoke(main, [*args, "--rebuild"])
    assert "skipped" not in forced.output


def _no_process_left_building(out: Path) -> None:
    """The killed build's workers notice their parent is gone and exit (no orphans)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        left = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and str(out).encode() in (entry / "cmdline").read_bytes():
                    left.append(entry.name)
            except OSError:
                continue
        if not left:
            return
        time.sleep(0.1)
    raise AssertionError(f"worker processes {left} outlived the killed build")


def _build_cli(source: Path, out: Path, store: Path) -> list[str]:
    return [sys.executable, "-c", "from pipeline.cli import main; main()", "build",
            str(source), "--payer", "medicare-poc,clinical", "--agency", "riverside",
            "-o", str(out), "--workers", "2", "--store", str(store)]  # fmt: skip


def test_a_run_killed_mid_batch_is_completed_by_the_next_with_nothing_lost(tmp_path) -> None:
    # Enough plans that the build is still running well after its first ledger sync, however
    # fast rendering gets (a kill must land mid-batch, not after the end).
    count = 800
    source = tmp_path / "plans.jsonl"
    source.write_text("".join(p.model_dump_json() + "\n" for p in plans(count)), encoding="utf-8")
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(_build_cli(source, killed, tmp_path / "k.db"), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    ledger = killed / LEDGER
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if ledger.is_file() and ledger.read_bytes().count(b'"key"') >= 20:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the build finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _no_process_left_building(killed)
    assert not (killed / "manifest.json").exists()
    complete = ledger.read_bytes().split(b"\n")[:-1]  # a torn last line does not count
    recorded = sum(1 for line in complete if b'"key"' in line)
    assert 20 <= recorded < 2 * count
    subprocess.run(_build_cli(source, whole, tmp_path / "w.db"), env=env, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    resumed = subprocess.run(_build_cli(source, killed, tmp_path / "k.db"), env=env,
                             capture_output=True, text=True, check=False)  # fmt: skip
    assert f"skipped {recorded} unchanged" in resumed.stderr
    assert files(killed) == files(whole)  # every document and the manifest, byte for byte
    rows = json.loads((killed / "manifest.json").read_text(encoding="utf-8"))
    assert len(rows) == 2 * count and len({(r["client_id"], r["payer"]) for r in rows}) == 2 * count
    assert not list(killed.glob(".*.part"))
