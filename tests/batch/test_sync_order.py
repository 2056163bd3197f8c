"""Durable in order: each batch's documents are in the folder, and the folder fsynced, before
the ledger's fsync records their rows (results now come back from workers several at a time)."""

from __future__ import annotations

import json
import os
import stat

from pipeline.batch import sink
from pipeline.batch.ledger import LEDGER
from tests.batch.test_resume import plans, run


def test_every_row_the_ledger_syncs_names_documents_the_folder_fsync_already_held(
    tmp_path, monkeypatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(sink, "FLUSH", 7)  # many batches, results arriving mid-batch
    real_fsync = os.fsync
    synced: dict[str, set[str]] = {"folder": set()}
    checked: list[int] = []

    def fsync(fd: int) -> None:
        real_fsync(fd)
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode) and os.path.samestat(info, os.stat(out)):
            synced["folder"] = set(os.listdir(out))
        elif (out / LEDGER).exists() and os.path.samestat(info, os.stat(out / LEDGER)):
            lines = (out / LEDGER).read_text(encoding="utf-8").splitlines()
            rows = [json.loads(line)["row"] for line in lines if '"row"' in line]
            for row in rows:
                for output in row["outputs"]:
                    assert output["path"] in synced["folder"], output["path"]
            checked.append(len(rows))

    monkeypatch.setattr(os, "fsync", fsync)
    result = run(out, plans(40), workers=2)
    assert len(result.rows) == 80 and all(r.status == "ok" for r in result.rows)
    assert len(checked) >= 5 and checked[-1] == 80  # synced in batches, every row checked
