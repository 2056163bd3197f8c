"""txplan build --cluster: a Dask LocalCluster build is byte-identical to a local one."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.support import ROOT, TEST_DATA

pytest.importorskip("distributed")

from pipeline.batch.cluster import dumps, parse_address  # noqa: E402
from pipeline.errors import TxplanError  # noqa: E402

SAMPLES = (str(TEST_DATA / "render" / "full.json"), str(ROOT / "inputs" / "mindledger_long.csv"))
ARGS = ("--payer", "clinical,medicare-poc,bluepeak-pdf", "--agency", "riverside", "--draft",
        "--client-copy")  # fmt: skip


def files(out: Path) -> dict[str, bytes]:
    """Every document and the manifests (the ledger names the store, so it is left out)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())
            if p.is_file() and not p.name.startswith(".")}  # fmt: skip


def test_a_local_cluster_build_is_byte_identical_to_a_local_build(tmp_path, monkeypatch) -> None:
    local, cluster = tmp_path / "local", tmp_path / "cluster"
    result = CliRunner().invoke(main, ["build", *SAMPLES, *ARGS, "--workers", "1", "-o", str(local),
                                       "--store", str(tmp_path / "a.sqlite3")])  # fmt: skip
    assert result.exit_code == 1, result.output  # some plans are drafts: blocked
    monkeypatch.setenv("TXPLAN_CLUSTER", "local:2")  # the environment names the cluster
    result = CliRunner().invoke(main, ["build", *SAMPLES, *ARGS, "-o", str(cluster),
                                       "--store", str(tmp_path / "b.sqlite3")])  # fmt: skip
    assert result.exit_code == 1, result.output
    expected, got = files(local), files(cluster)
    assert {"manifest.csv", "manifest.json"} <= set(expected)
    assert sum(name.endswith(".pdf") for name in expected) >= 7  # filled forms and DOCX
    assert sum(name.endswith(".docx") for name in expected) >= 20
    assert sorted(got) == sorted(expected)
    for name, data in expected.items():
        assert got[name] == data, name
    assert not (cluster / ".txplan-work").exists()


def test_the_job_travels_as_one_pickle_and_comes_back_whole() -> None:
    from pipeline.batch.build import BuildOptions
    from pipeline.batch.job import PlanJob
    from pipeline.profiles import load_agency, load_payer

    job = PlanJob([load_payer("clinical")], load_agency("riverside"),
                  BuildOptions(out_dir=Path("/nonexistent"), progress=print))  # fmt: skip
    job.collect = True
    copy = pickle.loads(dumps(job))  # noqa: S301
    assert copy.collect and copy.options.progress is None and copy.options.store is None
    assert copy.bank.problems.keys() == job.bank.problems.keys()
    assert dumps(job) == dumps(job)  # the same job, the same key on every worker


@pytest.mark.parametrize("address", ["local:0", "local:x", " "])
def test_a_bad_cluster_address_is_a_located_error(address) -> None:
    with pytest.raises(TxplanError):
        parse_address(address)


def test_chunks_are_evened_out_over_the_worker_threads(monkeypatch) -> None:
    from types import SimpleNamespace

    from pipeline.batch.cluster import chunk_size

    def job(plans: int | None, formats: tuple[str, ...] = ("pdf",)) -> SimpleNamespace:
        return SimpleNamespace(options=SimpleNamespace(formats=formats, estimate=plans))

    assert chunk_size(job(200), threads=1) == 40  # 5 chunks for one worker
    assert chunk_size(job(200), threads=2) == 34  # 6, not 5 of 40: 3 each
    assert chunk_size(job(None), threads=2) == 40 and chunk_size(job(None, ("docx",))) == 16
    monkeypatch.setenv("TXPLAN_CLUSTER_CHUNK", "7")
    assert chunk_size(job(200), threads=2) == 7
    monkeypatch.setenv("TXPLAN_CLUSTER_CHUNK", "many")
    with pytest.raises(TxplanError, match="TXPLAN_CLUSTER_CHUNK"):
        chunk_size(job(200))


def test_the_job_reads_the_files_shipped_with_it_not_the_templates_folder(tmp_path) -> None:
    from pipeline.batch import remote
    from pipeline.batch.build import BuildOptions
    from pipeline.batch.cluster import bundle, files_digest
    from pipeline.batch.job import PlanJob
    from pipeline.profiles import load_agency, load_payer

    job = PlanJob([load_payer("bluepeak-pdf")], load_agency("riverside"),
                  BuildOptions(out_dir=tmp_path, merge=False))  # fmt: skip
    roots, files = bundle(job)
    assert "payers/bluepeak-pdf/profile.yaml" in files and "client-copy/template.docx" in files
    key = files_digest(files)
    folder = remote.materialize(key, files, str(tmp_path))
    try:
        copy = pickle.loads(dumps(job, roots, key))  # noqa: S301
        (payer,) = copy.payers
        assert payer.template.is_relative_to(folder) and payer.directory.is_relative_to(folder)
        assert payer.template.read_bytes() == job.payers[0].template.read_bytes()
        assert copy.client_copy_writer.template.is_relative_to(folder)
        assert copy.agency.logo is None or copy.agency.logo.is_relative_to(folder)
    finally:
        remote._FILES.pop(key, None)
    with pytest.raises(ValueError, match="outside"):
        remote.materialize("other", {"../escape": b"x"}, str(tmp_path))
    assert not (tmp_path.parent / "escape").exists()
