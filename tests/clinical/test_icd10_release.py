"""ICD-10-CM releases: the bundled one (simple-icd-10-cm >= 1.5), a newer CMS release loaded
from its official files (order file, codes file, zip) by option or environment variable, the
release printed by `txplan icd10 --release` and recorded in every plan's provenance."""

from __future__ import annotations

import json
import os
import re
import tomllib
import zipfile

import pytest
from click.testing import CliRunner

from pipeline.batch.decision import prepare
from pipeline.cli import main
from pipeline.clinical import icd10
from pipeline.clinical.cms_release import load
from pipeline.errors import ConfigError
from tests.support import ROOT, TEST_DATA

DATA = TEST_DATA / "icd10cm"
ORDER = DATA / "icd10cm_order_2027.txt"
CODES = DATA / "icd10cm_codes_2027.txt"
NEW_CODE = "F43.82"  # synthetic: only the fixture release has it


@pytest.fixture
def release_env(monkeypatch):
    """Point $TXPLAN_ICD10CM somewhere; the bundled table is back after the test."""

    def use(path) -> None:
        monkeypatch.setenv(icd10.ENV_VAR, str(path))
        icd10.reload()

    yield use
    monkeypatch.undo()
    os.environ.pop(icd10.ENV_VAR, None)  # `txplan --icd10cm` sets it for its worker processes
    icd10.reload()


def test_pyproject_requires_simple_icd_10_cm_1_5_or_newer() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (pin,) = [d for d in deps["dependencies"] if d.startswith("simple-icd-10-cm")]
    assert pin.replace(" ", "") == "simple-icd-10-cm>=1.5"


def test_bundled_release_is_named_and_has_the_codes_1_1_lacked() -> None:
    assert re.fullmatch(r"ICD-10-CM FY20\d\d( \w+ update)? \(simple-icd-10-cm 1\.\d+\.\d+\)",
                        icd10.release())  # fmt: skip
    for code in ("F32.A", "F43.81", "Z91.51"):  # absent from the 2021 data of 1.1
        assert icd10.is_billable(code), code
    assert icd10.lookup(NEW_CODE) is None


def test_order_file_is_read_by_cms_layout() -> None:
    rows, label = load(ORDER)
    assert label.startswith("ICD-10-CM FY2027 (CMS order file icd10cm_order_2027.txt, ")
    assert "10 billable codes, sha256 " in label
    table = {code: (dotted, text, billable) for code, dotted, text, billable in rows}
    assert table["F43"] == ("F43", "Reaction to severe stress, and adjustment disorders", False)
    assert table["F4310"] == ("F43.10", "Post-traumatic stress disorder, unspecified", True)
    assert table["F4382"][2] is True and "Synthetic" in table["F4382"][1]
    assert [row[0] for row in rows][:3] == ["A00", "A000", "F10"]  # tabular order kept


def test_a_loaded_release_answers_instead_of_the_bundled_one(release_env) -> None:
    release_env(ORDER)
    assert icd10.release().startswith("ICD-10-CM FY2027")
    assert icd10.describe(NEW_CODE).startswith("Synthetic test code")
    assert icd10.is_billable("F41.1") and not icd10.is_billable("F43")
    assert icd10.lookup("F40.10") is None  # not in this (tiny) release
    assert icd10.billable_children("F43") == ("F43.10", "F43.81", "F43.82", "F43.89")


def test_codes_file_keeps_the_categories_as_headers(release_env) -> None:
    release_env(CODES)
    assert icd10.release().startswith("ICD-10-CM FY2027 (CMS codes file")
    assert icd10.is_billable(NEW_CODE)
    header = icd10.lookup("F43.8")
    assert header is not None and not header.billable


def test_the_cms_zip_is_read_for_its_order_file(release_env, tmp_path) -> None:
    archive = tmp_path / "2027 Code Descriptions in Tabular Order.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Code Descriptions/icd10cm_codes_2027.txt", CODES.read_bytes())
        z.writestr("Code Descriptions/icd10cm_order_addenda_2027.txt", b"not the order file")
        z.writestr("Code Descriptions/icd10cm_order_2027.txt", ORDER.read_bytes())
    release_env(archive)
    assert "CMS order file icd10cm_order_2027.txt" in icd10.release()
    assert icd10.is_billable(NEW_CODE)
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("readme.txt", b"nothing")
    with pytest.raises(ConfigError, match="holds no icd10cm_order_YYYY.txt"):
        load(empty)


def test_a_malformed_order_file_names_its_line(tmp_path) -> None:
    lines = ORDER.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4][:14] + "X" + lines[4][15:]  # billable flag neither 0 nor 1
    bad = tmp_path / "icd10cm_order_2027.txt"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(bad)
    assert caught.value.where.endswith("icd10cm_order_2027.txt, line 5")
    assert "columns 1-5" in caught.value.message


def test_cli_prints_the_release_from_option_or_environment(release_env) -> None:
    bundled = CliRunner().invoke(main, ["icd10", "--release"])
    assert bundled.exit_code == 0 and bundled.output.strip() == icd10.release()
    by_option = CliRunner().invoke(main, ["--icd10cm", str(ORDER), "icd10", NEW_CODE, "F99.99"])
    assert by_option.exit_code == 1, by_option.output  # F99.99 is not a code
    lines = by_option.output.splitlines()
    assert lines[0].startswith("ICD-10-CM FY2027") and lines[1].startswith("F43.82: Synthetic")
    release_env(CODES)
    by_env = CliRunner().invoke(main, ["icd10", "--release"])
    assert by_env.output.startswith("ICD-10-CM FY2027 (CMS codes file")


def test_a_bad_release_file_stops_the_command_with_its_line(release_env, tmp_path) -> None:
    bad = tmp_path / "icd10cm_order_2027.txt"
    bad.write_text("00001 F41.1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--icd10cm", str(bad), "icd10", "--release"])
    assert result.exit_code == 2 and "line 1" in result.output
    assert "Traceback" not in result.output


def test_every_plan_records_the_release_it_was_checked_against(release_env, tmp_path) -> None:
    intake = tmp_path / "intake.csv"
    intake.write_text(
        "Client ID,First Name,Last Name,DOB,Diagnosis,GAD-7 Total,Intake Date\n"
        f"N-1,Ana,Ortiz,1990-02-03,{NEW_CODE},12,2026-10-05\n",
        encoding="utf-8",
    )
    out = tmp_path / "plans.jsonl"
    rejected = CliRunner().invoke(main, ["parse", str(intake), "-o", str(out)])
    assert rejected.exit_code == 1, rejected.output  # the bundled release lacks the new code
    accepted = CliRunner().invoke(main, ["--icd10cm", str(ORDER), "parse", str(intake),
                                         "-o", str(out)])  # fmt: skip
    assert accepted.exit_code == 0, accepted.output
    (plan,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert plan["provenance"]["icd10cm"].startswith("ICD-10-CM FY2027 (CMS order file")
    assert plan["diagnoses"][0]["code"] == NEW_CODE
    # The decision restamps a plan with the release its codes are checked against now.
    from pipeline.model import Plan

    release_env(CODES)
    checked, _ = prepare(Plan.model_validate(plan), None)
    assert checked.provenance.icd10cm == icd10.release() != plan["provenance"]["icd10cm"]
