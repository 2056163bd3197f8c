"""scripts/lean_docx.py: generated templates keep the styles they use and nothing unused."""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile

from docx import Document

from tests.support import ROOT

SCRIPT = ROOT / "scripts" / "lean_docx.py"


def _lean_docx():
    spec = importlib.util.spec_from_file_location("lean_docx", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lean_docx


def _style_ids(package: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return set(re.findall(r'w:styleId="([^"]+)"', z.read("word/styles.xml").decode()))


def test_keeps_used_styles_and_their_chain_drops_the_rest() -> None:
    document = Document()
    document.add_paragraph("Plan", style="Heading 1")
    document.add_table(rows=1, cols=1).style = "Table Grid"
    out = io.BytesIO()
    document.save(out)
    before = out.getvalue()

    lean = _lean_docx()(before)

    kept = _style_ids(lean)
    assert {"Heading1", "Heading1Char", "Normal", "TableGrid", "TableNormal"} <= kept
    assert "MediumGrid1-Accent1" in _style_ids(before) and "MediumGrid1-Accent1" not in kept
    with zipfile.ZipFile(io.BytesIO(lean)) as z:
        names = set(z.namelist())
        package_text = b"".join(z.read(n) for n in names if n.endswith((".rels", ".xml")))
    assert "word/stylesWithEffects.xml" not in names
    assert not any(n.startswith("customXml/") or "thumbnail" in n for n in names)
    for gone in (b"stylesWithEffects", b"customXml/item", b"thumbnail.jpeg"):
        assert gone not in package_text  # no relationship or content type left pointing at it
    reopened = Document(io.BytesIO(lean))
    assert reopened.paragraphs[0].style.name == "Heading 1"
    assert reopened.tables[0].style.name == "Table Grid"
    assert len(lean) < len(before) / 2
