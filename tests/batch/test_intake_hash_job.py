"""A worker's intake hash, taken after the merge, is the hash of the plan as it was read."""

from __future__ import annotations

from pipeline.batch.build import BuildOptions
from pipeline.batch.job import PlanJob, PlanTask
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.versions import record
from pipeline.versions.store import Store
from tests.support import DATA


def test_each_intake_hash_is_the_plan_as_read_whatever_came_before(tmp_path) -> None:
    options = BuildOptions(out_dir=tmp_path / "out", formats=("docx",), draft=True,
                           resume=False, store=Store(tmp_path / "s.sqlite3"))  # fmt: skip
    (tmp_path / "out").mkdir()
    job = PlanJob([load_payer("clinical")], load_agency("riverside"), options)
    texts = [(DATA / "render" / f"{name}.json").read_text(encoding="utf-8")
             for name in ("full", "minimal", "full", "minimal")]  # fmt: skip
    expected = [record.content_hash(Plan.model_validate_json(text)) for text in texts]
    merged = [record.prepare(job_merge(job, text)) for text in texts]
    done = [job.run(PlanTask(text, ((0, f"p{i}"),), "x.json")) for i, text in enumerate(texts)]
    assert [d.intake_hash for d in done] == expected
    assert [d.version for d in done] == merged
    assert expected[0] != expected[1] and done[0].made[0].row["outputs"]


def job_merge(job: PlanJob, text: str) -> Plan:
    from pipeline.batch.decision import prepare

    return prepare(Plan.model_validate_json(text), job.bank)[0]
