"""PDF in batches: parallel LibreOffice processes, a hung document fails alone."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from pipeline.batch.build import BuildOptions, build
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.libreoffice import ConversionError, PdfConverter
from tests.support import DATA

FULL = DATA / "render" / "full.json"

#: A stand-in soffice: "converts" each DOCX given, in order, but hangs on one named *hang*.
FAKE = """#!/bin/sh
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) out="$2"; shift ;;
    *.docx) if grep -q hang "$1"; then sleep 30; fi
            name=$(basename "$1" .docx); printf '%%PDF fake' > "$out/$name.pdf" ;;
  esac
  shift
done
"""


def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice"
    fake.write_text(FAKE)
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("TXPLAN_SOFFICE", str(fake))


def test_a_hung_document_fails_alone_and_the_rest_go_on(tmp_path, monkeypatch) -> None:
    fake_soffice(tmp_path, monkeypatch)
    docs = {"a": b"fine", "b": b"hang", "c": b"fine", "d": b"fine"}
    with PdfConverter(timeout=0.5, startup=0.5) as converter:
        result = converter.convert(docs)
    assert isinstance(result["b"], ConversionError) and "stalled" in result["b"].message
    assert all(result[n] == b"%PDF fake" for n in "acd")
    assert converter.calls == 2  # the stuck process was replaced once


def test_parallel_conversion_splits_a_batch_between_processes(tmp_path, monkeypatch) -> None:
    fake_soffice(tmp_path, monkeypatch)
    docs = {f"doc{i}": b"fine" for i in range(40)}
    with PdfConverter(parallel=2) as converter:
        result = converter.convert(docs)
    assert converter.calls == 2
    assert list(result) == list(docs) and all(v == b"%PDF fake" for v in result.values())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
def test_build_with_workers_converts_pdfs(tmp_path) -> None:
    base = Plan.model_validate_json(FULL.read_text(encoding="utf-8"))
    plans = [base.model_copy(update={"client": base.client.model_copy(update={"id": f"P-{n}"})})
             for n in range(3)]  # fmt: skip
    options = BuildOptions(out_dir=tmp_path, merge=False, formats=("pdf",), workers=2)
    result = build(plans, [load_payer("medicare-poc")], load_agency("riverside"), options)
    assert [r.status for r in result.rows] == ["ok"] * 3
    for row in result.rows:
        (output,) = row.outputs
        assert output.path.endswith(".pdf")
        assert (tmp_path / output.path).read_bytes().startswith(b"%PDF")
    assert not (tmp_path / ".txplan-work").exists()
