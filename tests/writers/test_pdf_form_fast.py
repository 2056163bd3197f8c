"""The fast form writer gives what the stock pypdf path gives: field values, appearance streams,
pages (rendered, pixel for pixel), addendum, DRAFT stamp; and a well-formed, deterministic file."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject

from pipeline.errors import TemplateError
from pipeline.model import Plan
from pipeline.profiles import load_agency
from pipeline.readers import read
from pipeline.rules import load_payer
from pipeline.writers import WriterOptions, pdf_form, render
from pipeline.writers.pdfform.fields import load_fields
from pipeline.writers.pdfform.skeleton import Unsupported, compile_form
from tests.support import ROOT
from tests.writers.test_form_addendum import overfull_plan

PLANS = [
    r.plan
    for name in ("mindledger_long.csv", "counseltrack_wide.xlsx", "practiceflow_workbook.xlsx")
    for r in read(Path(ROOT / "inputs" / name))
    if r.plan is not None
]
PAYER, AGENCY = load_payer("bluepeak-pdf"), load_agency("northstar")
WAYS = [(True, False), (False, False), (True, True)]  # (flatten, draft)


def both(plan: Plan, flatten: bool, draft: bool) -> tuple[bytes, bytes]:
    kw = {"flatten": flatten, "draft": draft}
    fast = pdf_form.fill_form(plan, PAYER, AGENCY, renderer="fast", **kw)
    return fast, pdf_form.fill_form(plan, PAYER, AGENCY, renderer="stock", **kw)


def values(reader: PdfReader) -> dict:
    return {k: v.get("/V") for k, v in (reader.get_fields() or {}).items()}


def appearances(reader: PdfReader) -> dict[str, bytes]:
    """Each field's normal appearance (not flattened) or each drawn field XObject (flattened),
    decoded, by field name."""
    out: dict[str, bytes] = {}
    for number, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            normal = annotation.get("/AP", {}).get("/N")
            if normal is None:
                continue
            state = annotation.get("/AS")
            stream = normal[state] if state is not None else normal
            out[str(annotation["/T"])] = stream.get_object().get_data()
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for name in xobjects:
            out[f"{number}{name}"] = xobjects[name].get_object().get_data()
    return out


def text(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pixels(data: bytes) -> list[bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "a.pdf").write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "30", "-gray", str(Path(tmp, "a.pdf")),
                        str(Path(tmp, "p"))], check=True, capture_output=True)  # fmt: skip
        return [p.read_bytes() for p in sorted(Path(tmp).glob("p*.pgm"))]


def assert_same(fast: bytes, stock: bytes) -> None:
    a, b = PdfReader(io.BytesIO(fast)), PdfReader(io.BytesIO(stock))
    assert len(a.pages) == len(b.pages)
    assert values(a) == values(b)
    forms = [r.trailer["/Root"].get("/AcroForm") for r in (a, b)]
    assert [f is None for f in forms] == [False, False] or forms == [None, None]
    if forms[0] is not None:
        assert forms[0].get("/NeedAppearances") == forms[1].get("/NeedAppearances")
    assert appearances(a) == appearances(b)
    assert text(a) == text(b)
    assert {k: a.metadata[k] for k in ("/Title", "/Author", "/Subject", "/Producer")} == {
        k: b.metadata[k] for k in ("/Title", "/Author", "/Subject", "/Producer")
    }
    if shutil.which("pdftoppm"):
        assert pixels(fast) == pixels(stock)


@pytest.mark.parametrize(("flatten", "draft"), WAYS)
def test_every_sample_fills_as_the_stock_path_does(flatten: bool, draft: bool) -> None:
    for plan in PLANS:
        assert_same(*both(plan, flatten, draft))


@pytest.mark.parametrize("flatten", [True, False])
def test_the_addendum_is_the_stock_one(flatten: bool) -> None:
    fast, stock = both(overfull_plan(), flatten, draft=True)
    assert len(PdfReader(io.BytesIO(fast)).pages) >= 3
    assert_same(fast, stock)


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed (make system-deps)")
def test_output_passes_qpdf_check(tmp_path: Path) -> None:
    for number, (flatten, draft) in enumerate(WAYS):
        path = tmp_path / f"{number}.pdf"
        path.write_bytes(pdf_form.fill_form(overfull_plan(), PAYER, AGENCY, flatten=flatten,
                                            draft=draft, renderer="fast"))  # fmt: skip
        run = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "No syntax or stream encoding errors" in run.stdout


def test_same_plan_same_bytes_and_the_id_is_a_content_hash() -> None:
    first = pdf_form.fill_form(PLANS[0], PAYER, AGENCY, renderer="fast")
    pdf_form.clear_cache()
    assert pdf_form.fill_form(PLANS[0], PAYER, AGENCY, renderer="fast") == first
    other = pdf_form.fill_form(PLANS[1], PAYER, AGENCY, renderer="fast")
    ids = [PdfReader(io.BytesIO(d)).trailer["/ID"][0] for d in (first, other)]
    assert ids[0] != ids[1]


def test_the_registry_takes_the_fast_path_and_no_pypdf_writer_per_plan(monkeypatch) -> None:
    pdf_form.prepare(PAYER, AGENCY, WriterOptions())
    expected = pdf_form.fill_form(PLANS[2], PAYER, AGENCY, renderer="fast")

    def no_writer(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("a PdfWriter was built for a plan on the fast path")

    monkeypatch.setattr(pdf_form, "PdfWriter", no_writer)
    assert render(PLANS[2], PAYER, AGENCY)[0].data == expected


def test_a_value_the_form_font_cannot_encode_takes_the_stock_path() -> None:
    client = PLANS[0].client.model_copy(update={"first_name": "Ωmega 李"})
    plan = PLANS[0].model_copy(update={"client": client})
    before = dict(pdf_form.STATS["fallback"])
    auto = pdf_form.fill_form(plan, PAYER, AGENCY)
    assert auto == pdf_form.fill_form(plan, PAYER, AGENCY, renderer="stock")
    assert sum(pdf_form.STATS["fallback"].values()) == sum(before.values()) + 1
    with pytest.raises(TemplateError, match="fast form writer"):
        pdf_form.fill_form(plan, PAYER, AGENCY, renderer="fast")


def test_a_multiline_field_is_not_compiled() -> None:
    writer = PdfWriter(clone_from=PdfReader(PAYER.template))
    widget = writer.pages[0]["/Annots"][0].get_object()
    widget[NameObject("/Ff")] = NumberObject(1 << 12)
    out = io.BytesIO()
    writer.write(out)
    names = frozenset(f.name for f in load_fields(PAYER.directory / "fields.yaml"))
    with pytest.raises(Unsupported, match="multiline"):
        compile_form(out.getvalue(), names, True)


def test_a_field_map_kind_unlike_the_form_takes_the_stock_path(tmp_path: Path) -> None:
    shutil.copytree(PAYER.directory, tmp_path / "payer")
    field_map = tmp_path / "payer" / "fields.yaml"
    spec = field_map.read_text(encoding="utf-8")
    field_map.write_text(spec.replace("label: Client signed, kind: checkbox,",
                                      "label: Client signed,"), encoding="utf-8")  # fmt: skip
    payer = PAYER.model_copy(
        update={"directory": tmp_path / "payer", "template": tmp_path / "payer" / "form.pdf"}
    )
    before = sum(pdf_form.STATS["fallback"].values())
    auto = pdf_form.fill_form(PLANS[0], payer, AGENCY, flatten=False)
    assert auto == pdf_form.fill_form(PLANS[0], payer, AGENCY, flatten=False, renderer="stock")
    assert sum(pdf_form.STATS["fallback"].values()) == before + 1
