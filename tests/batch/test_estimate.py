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
