"""Intake forms end to end: each sample form against its golden plan, and every bad form.

Goldens sit beside the samples (``tests/data/forms/<name>.golden.json``). Regenerate them only
on purpose: ``TXPLAN_ACCEPT=1 .venv/bin/pytest tests/test_forms.py``, then read the diff.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.errors import InputError
from pipeline.findings import Severity
from pipeline.readers import ReadOptions, read
from tests.support import ROOT, assert_golden

FORMS = Path("tests/data/forms")
SAMPLES = (
    "intake-form-fillable.pdf",
    "assessment-summary-flat.pdf",
    "two-column-intake.pdf",
    "intake-questionnaire.docx",
)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # sources in goldens are repository-relative paths


def _read_one(path: Path, explain: bool = False):
    results = list(read(path, ReadOptions(explain=explain)))
    assert len(results) == 1, "one form is one client"
    return results[0]


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_matches_golden(name: str) -> None:
    result = _read_one(FORMS / name)
    assert result.plan is not None, [str(f) for f in result.findings]
    got = json.loads(result.plan.model_dump_json())
    text = json.dumps(got, indent=2, ensure_ascii=False) + "\n"
    assert_golden(FORMS / f"{name}.golden.json", text)


@pytest.mark.parametrize(
    "name", ["intake-form-fillable.pdf", "assessment-summary-flat.pdf", "intake-questionnaire.docx"]
)
def test_inputs_samples_are_the_tested_ones(name: str) -> None:
    assert (ROOT / "inputs" / name).read_bytes() == (FORMS / name).read_bytes()


def test_fillable_values_name_page_and_field() -> None:
    plan = _read_one(FORMS / "intake-form-fillable.pdf").plan
    fields = plan.provenance.fields
    dob = fields["client.date_of_birth"]
    assert (dob.page, dob.field) == (1, "dob")
    item = fields["measures[0].items[8]"]
    assert (item.page, item.field) == (2, "phq9_9")
    assert all(source.page for source in fields.values()), "every PDF value names its page"


def test_flat_table_rows_and_grid_items_are_located() -> None:
    plan = _read_one(FORMS / "assessment-summary-flat.pdf").plan
    codes = [s for p, s in plan.provenance.fields.items() if p.startswith("diagnoses[")]
    assert {s.row for s in codes if s.field == "ICD-10 Code"} == {2, 3}
    grid = _read_one(FORMS / "two-column-intake.pdf").plan
    assert grid.measures[0].items == (2, 3, 3, 2, 1, 3, 1, 0, 1)
    assert grid.risk.safety_plan_required  # PHQ-9 item 9 ticked "Several days"


def test_explain_shows_page_and_field_for_each_value() -> None:
    result = _read_one(FORMS / "intake-form-fillable.pdf", explain=True)
    explained = [f for f in result.findings if f.severity is Severity.INFO]
    item = next(f for f in explained if 'field "phq9_9"' in f.where)
    assert "page 2" in item.where and "measures[PHQ-9].items[9]" in item.message
    docx = _read_one(FORMS / "intake-questionnaire.docx", explain=True)
    where = [f.where for f in docx.findings if "Diagnosis Code" in f.message]
    assert where == [
        'tests/data/forms/intake-questionnaire.docx, row 2, field "table 4: Diagnosis Code"'
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad-encrypted.pdf", "encrypted; remove the password and export again"),
        ("bad-scanned-image.pdf", "scanned image with no text OCR can read"),
        ("bad-truncated.pdf", "truncated PDF"),
        ("bad-really-text.docx", "not a Word document"),
    ],
)
def test_unusable_forms_raise_a_located_input_error(name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        list(read(FORMS / name))
    assert message in str(caught.value)
    assert caught.value.where == str(FORMS / name)


def test_form_without_required_fields_is_rejected_not_crashed() -> None:
    result = _read_one(FORMS / "bad-no-required-fields.pdf")
    assert result.plan is None
    assert [f.code for f in result.findings if f.severity is Severity.ERROR] == ["IN001"]


def test_corrupt_pdf_body(tmp_path: Path) -> None:
    bad = tmp_path / "garbled.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ngarbage\n%%EOF\n")
    with pytest.raises(InputError, match="corrupt PDF"):
        list(read(bad))


def test_docx_that_is_another_zip(tmp_path: Path) -> None:
    bad = tmp_path / "export.docx"
    with zipfile.ZipFile(bad, "w") as package:
        package.writestr("data.csv", "Client ID,First Name\nRC-1,Ann\n")
    with pytest.raises(InputError, match="not a Word document"):
        list(read(bad))


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(FORMS / "intake-form-fillable.pdf"))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "restricted.pdf"
    path.write_bytes(buffer.getvalue())
    plan = _read_one(path).plan
    assert plan is not None and plan.client.id == "RC-1042"


def test_parse_batch_mixes_forms_and_goes_on_after_bad_files(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    out = tmp_path / "plans.jsonl"
    names = [str(FORMS / n) for n in (*SAMPLES, "bad-encrypted.pdf", "bad-really-text.docx")]
    result = CliRunner().invoke(main, ["parse", *names, "-o", str(out)])
    assert result.exit_code == 2, result.output
    ids = [json.loads(line)["client"]["id"] for line in out.read_text().splitlines()]
    assert ids == ["RC-1042", "NS-2207", "RC-1101", "RC-1077"]
    assert "bad-encrypted.pdf: encrypted; remove the password" in result.output
    assert "Traceback" not in result.output


def test_samples_are_reproduced_by_the_script() -> None:
    import importlib.util

    script = ROOT / "scripts" / "make_form_samples.py"
    spec = importlib.util.spec_from_file_location("make_form_samples", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not (module.FONT_DIR / "DejaVuSans.ttf").exists():
        pytest.skip("DejaVu fonts (fonts-dejavu-core) are needed to regenerate the PDFs")
    module._fonts()
    fillable = module.fillable_intake()
    assert fillable == (FORMS / "intake-form-fillable.pdf").read_bytes()
    assert module.two_column_intake() == (FORMS / "two-column-intake.pdf").read_bytes()
    docx = module.intake_questionnaire()
    assert docx == (FORMS / "intake-questionnaire.docx").read_bytes()
    assert module.encrypted(fillable) == (FORMS / "bad-encrypted.pdf").read_bytes()


def test_xfa_only_form_is_refused_with_what_to_do(tmp_path: Path) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(FORMS / "two-column-intake.pdf"))
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): ArrayObject()}
    )
    path = tmp_path / "livecycle.pdf"
    with path.open("wb") as out:
        writer.write(out)
    with pytest.raises(InputError, match="XFA"):
        list(read(path))
