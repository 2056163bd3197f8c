"""The progress bar's estimate: a large input is counted in a thread while the build command
loads its profiles, giving what counting it there and then would."""

from __future__ import annotations

import threading

from pipeline.batch import progress
from pipeline.batch.progress import READ_LIMIT, estimate_later, estimate_plans


def test_a_large_input_is_counted_meanwhile_and_a_small_one_when_asked(tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    big.write_text("id,name\n" + "".join(f"{n},client {n}\n" for n in range(READ_LIMIT // 8)))
    small = tmp_path / "small.jsonl"
    small.write_text('{"a": 1}\n{"a": 2}\n')
    assert big.stat().st_size > READ_LIMIT
    seen: list[str] = []
    real = progress.estimate_plans

    def counting(paths, *, read=True):
        seen.append(threading.current_thread().name)
        return real(paths, read=read)

    monkeypatch.setattr(progress, "estimate_plans", counting)
    later = estimate_later([big])
    assert later() == estimate_plans([big], read=False) == READ_LIMIT // 8
    assert seen == ["txplan-estimate"]
    assert estimate_later([small])() == estimate_plans([small], read=True)
    assert seen[-1] == threading.main_thread().name


def test_a_build_asks_for_its_estimate_once_its_job_is_set_up_before_any_worker(
    tmp_path, monkeypatch
) -> None:
    """An estimate given as a callable (the CLI's thread) is asked once, after the build's
    job has loaded what it shares (the code table: the thread counts meanwhile) and before
    the workers fork (no thread runs across a fork); its answer is the progress's total."""
    from pipeline.batch import build as build_module
    from pipeline.batch.build import BuildOptions, build
    from pipeline.profiles import load_agency, load_payer
    from tests.batch.jobs import sample_plans

    events: list[str] = []
    enter = build_module.Pool.__enter__
    monkeypatch.setattr(build_module.Pool, "__enter__",
                        lambda self: events.append("workers") or enter(self))  # fmt: skip

    class Job(build_module.PlanJob):
        def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
            super().__init__(*args, **kwargs)
            events.append("job")

    monkeypatch.setattr(build_module, "PlanJob", Job)
    options = BuildOptions(out_dir=tmp_path / "out", draft=True, workers=2,
                           estimate=lambda: events.append("estimate") or 7)  # fmt: skip
    result = build(sample_plans(3, "E"), [load_payer("clinical")], load_agency("riverside"),
                   options)  # fmt: skip
    assert events == ["job", "estimate", "workers"]
    assert result.progress.plans_total == 7 and result.progress.plans_done == 3
