"""Batch builds: worker processes, per-render time limits, order and determinism, progress."""

from __future__ import annotations

import dataclasses
import json
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.batch import pool as batch
from pipeline.batch.build import BuildOptions, build
from pipeline.batch.limits import TimeLimit, time_limit
from pipeline.batch.pool import Pool
from pipeline.cli import main
from pipeline.cli.progress_view import ProgressView
from pipeline.profiles import load_agency, load_payer
from tests.batch.jobs import sample_plans


def looping_payer(tmp_path: Path):
    """A payer whose template runs 10^10 loop iterations: it never finishes in time."""
    template = tmp_path / "looping.docx"
    doc = Document()
    doc.add_paragraph("{{ client.name }}")
    doc.add_paragraph(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    doc.save(template)
    return load_payer("clinical").model_copy(update={"template": template, "id": "looping"})


def manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_looping_template_fails_its_document_and_the_batch_goes_on(tmp_path, workers) -> None:
    payers = [looping_payer(tmp_path), load_payer("medicare-poc")]
    options = BuildOptions(out_dir=tmp_path / "out", merge=False, workers=workers, timeout=1)
    started = time.monotonic()
    result = build(sample_plans(2, "B"), payers, load_agency("riverside"), options)
    assert time.monotonic() - started < 20
    assert [(r.client_id, r.payer, r.status) for r in result.rows] == [
        ("B-001", "looping", "failed"),
        ("B-001", "medicare-poc", "ok"),
        ("B-002", "looping", "failed"),
        ("B-002", "medicare-poc", "ok"),
    ]
    message = result.rows[0].findings[-1]
    assert message.code == "BLD003" and "render timed out after 1 s" in message.message
    assert not list((tmp_path / "out").glob("*looping*"))


class _Sleepy:
    """A job whose odd tasks hang where SIGALRM cannot reach them (the hard limit's case)."""

    def run(self, task: int) -> str:
        if task % 2:
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            time.sleep(60)
        return f"done {task}"

    def budget(self, task: int) -> float:
        return 0.3

    def timed_out(self, task: int, seconds: float) -> str:
        return f"timed out {task}"

    def crashed(self, task: int, why: str) -> str:
        return f"crashed {task}: {why}"


def test_the_pool_kills_and_replaces_a_stuck_worker_and_keeps_order(monkeypatch) -> None:
    monkeypatch.setattr(batch, "GRACE", 0.2)
    items = [(True, n) for n in range(6)] + [(False, "known")]
    with Pool(_Sleepy(), workers=2) as pool:
        results = list(pool.imap(items))
        assert pool.replaced == 3
    assert results == ["done 0", "timed out 1", "done 2", "timed out 3", "done 4",
                       "timed out 5", "known"]  # fmt: skip


def test_time_limit_interrupts_python_code_in_process() -> None:
    with pytest.raises(TimeLimit), time_limit(0.2):
        while True:
            pass
    with time_limit(5):  # a block that finishes in time is untouched
        total = sum(range(1000))
    assert total == 499500


def test_workers_give_the_same_manifest_and_files_as_one_process(tmp_path) -> None:
    payers = [load_payer("clinical"), load_payer("bluepeak-pdf")]
    for workers in (1, 2):
        build(sample_plans(5, "B"), payers, load_agency("northstar"),
              BuildOptions(out_dir=tmp_path / str(workers), merge=False, workers=workers,
                           client_copy=True))  # fmt: skip
    one, two = manifest(tmp_path / "1"), manifest(tmp_path / "2")
    assert one == two and len(one) == 15
    names = sorted(p.name for p in (tmp_path / "1").iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in (tmp_path / "2").iterdir() if not p.name.startswith("."))
    for name in names:
        if name.startswith("manifest"):
            continue
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def test_two_plans_with_the_same_name_get_distinct_files_in_input_order(tmp_path) -> None:
    same = sample_plans(1, "B") * 3
    result = build(same, [load_payer("clinical")], load_agency("riverside"),
                   BuildOptions(out_dir=tmp_path, merge=False, workers=2))  # fmt: skip
    paths = [r.outputs[0].path for r in result.rows]
    assert [Path(p).stem.rsplit("_", 1)[-1][-2:] for p in paths][1:] == ["~2", "~3"]


def test_progress_is_reported_as_data_and_shown_as_plain_lines(tmp_path) -> None:
    seen = []
    result = build(sample_plans(3, "B"), [load_payer("clinical")], load_agency("riverside"),
                   BuildOptions(out_dir=tmp_path, merge=False, progress=seen.append,
                                estimate=3))  # fmt: skip
    assert seen and seen[-1].finished and seen[-1].plans_done == 3
    assert result.progress.statuses["ok"] == 3
    assert result.progress.by_payer["clinical"]["ok"] == 3
    from rich.console import Console

    console = Console(file=__import__("io").StringIO(), width=200)
    with ProgressView(3, console=console, live=False) as view:
        view(dataclasses.replace(seen[-1], finished=False))
        view(seen[-1])  # the summary table's caption says it: no line
    text = console.file.getvalue()
    assert text.count("progress:") == 1
    assert "progress: 3/~3 plans (3 ok, 0 blocked, 0 failed)" in text


def test_cli_build_with_workers_prints_rows_summary_and_exit_code(tmp_path) -> None:
    source = tmp_path / "plans.jsonl"
    source.write_text(
        "".join(p.model_dump_json() + "\n" for p in sample_plans(3, "B")), encoding="utf-8"
    )
    out = tmp_path / "out"
    args = ["build", str(source), "--payer", "medicare-poc", "--agency", "riverside",
            "-o", str(out), "--workers", "2", "--timeout", "30",
            "--store", str(tmp_path / "s.db")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1), result.output
    assert "B-003: ok for medicare-poc" in result.output  # once a plan, not once a document
    assert "B-003 / medicare-poc:" not in result.output
    assert "3 plans in" in result.output
    assert "medicare-poc" in result.output and "manifest:" in result.output
    again = CliRunner().invoke(main, args)
    assert "skipped 3 unchanged" in again.output


def test_a_plan_that_breaks_the_pipeline_fails_alone(tmp_path, monkeypatch) -> None:
    import pipeline.rules as rules

    real = rules.check

    def flaky(plan, payer, **kw):
        if plan.client.id == "B-002":
            raise RuntimeError("rule bug")
        return real(plan, payer, **kw)

    monkeypatch.setattr(rules, "check", flaky)
    result = build(sample_plans(3, "B"), [load_payer("medicare-poc")], load_agency("riverside"),
                   BuildOptions(out_dir=tmp_path, merge=False))  # fmt: skip
    assert [r.status for r in result.rows] == ["ok", "failed", "ok"]
    assert "RuntimeError: rule bug" in result.rows[1].findings[-1].message


def test_renderer_option_reaches_the_docx_writer_and_keys_the_ledger(tmp_path) -> None:
    payers, agency = [load_payer("medicare-poc")], load_agency("riverside")
    parts = {}
    for renderer in ("fast", "docxtpl"):
        out = tmp_path / renderer
        result = build(sample_plans(1, "B"), payers, agency,
                       BuildOptions(out_dir=out, merge=False, renderer=renderer))  # fmt: skip
        (row,) = result.rows
        assert row.status == "ok"
        doc = Document(out / row.outputs[0].path)
        parts[renderer] = [p.text for p in doc.paragraphs] + [
            c.text for t in doc.tables for r in t.rows for c in r.cells
        ]
    assert parts["fast"] == parts["docxtpl"]  # the same text either way
    options = BuildOptions(out_dir=tmp_path / "fast", merge=False, renderer="docxtpl")
    again = build(sample_plans(1, "B"), payers, agency, options)
    assert again.skipped == 0  # another renderer is another build
    with pytest.raises(Exception, match="renderer"):
        build(
            sample_plans(1, "B"), payers, agency, BuildOptions(out_dir=tmp_path, renderer="quick")
        )
