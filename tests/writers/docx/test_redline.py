"""The redline: native tracked changes in the XML, a change summary, and it opens in LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document

from pipeline.versions.diff import diff_plans
from pipeline.writers.docx.redline import render_redline
from tests.versions.test_revise import revise
from tests.versions.versions_helpers import only_due, sample_plan

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def redline() -> bytes:
    old = sample_plan()
    new, _ = revise("review_90day.csv", old)
    return render_redline(old, new, diff_plans(old, new, old_label="v1", new_label="v2"))


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode("utf-8")


def tracked(xml: str, tag: str) -> list[str]:
    """Text of every w:ins / w:del run, in document order."""
    text_tag = "w:delText" if tag == "del" else "w:t"
    found = []
    for match in re.finditer(rf"<w:{tag} [^>]*>(.*?)</w:{tag}>", xml, re.S):
        found.append("".join(re.findall(rf"<{text_tag}[^>]*>([^<]*)</{text_tag}>", match[1])))
    return [t for t in found if t]


def test_xml_holds_the_expected_insertions_and_deletions(redline: bytes) -> None:
    xml = document_xml(redline)
    inserted, deleted = tracked(xml, "ins"), tracked(xml, "del")
    assert "wake up rested and on time for work" in inserted
    assert "sleep through the night" in deleted
    assert "partially met" in inserted and "in progress" in deleted
    assert "2024-06-30" in inserted
    assert "F41.1 Generalized anxiety disorder" in inserted
    assert "I want to worry less" in inserted
    for mark in re.findall(r"<w:(?:ins|del) [^>]*>", xml):
        assert 'w:author="Dana Whitfield, LCSW"' in mark
        assert 'w:date="2024-04-01T00:00:00Z"' in mark
    ids = re.findall(r'<w:(?:ins|del) w:id="(\d+)"', xml)
    assert len(ids) == len(set(ids)) > 10


def test_summary_lists_each_change_with_rationale(redline: bytes) -> None:
    xml = document_xml(redline)
    assert "Change summary" in xml
    assert "PHQ-9: 14 → 8 (reliable improvement)" in xml
    assert "PHQ-9 fell from 14 to 8 over 12 sessions" in xml
    assert "(none recorded)" not in xml
    # plain words with the plan's numbers: no internal ids, no diff notation
    assert "Objective 1.2 status: in progress → met" in xml
    assert "G1.O2" not in xml.split("Plan with tracked changes")[0]
    assert "[-" not in xml and "{+" not in xml


def test_the_body_reads_like_the_plan(redline: bytes) -> None:
    """Document numbers (never ids), a privacy notice and page numbers on every page, and a
    signature block."""
    xml = document_xml(redline)
    body = xml.split("Plan with tracked changes")[1]
    for label in ("Goal 1: ", "Objective 1.2: ", "Intervention 1.a: ", "Goal 3: "):
        assert f">{label}<" in body, label
    assert not re.search(r">(?:Goal|Objective|Intervention) [^\d<]", body)  # ids, not numbers
    assert "G1.O2" not in body and "B-F41.1" not in body
    document = Document(io.BytesIO(redline))
    signatures = document.tables[-1]
    assert [c.text for c in signatures.rows[0].cells] == ["Signer", "Name", "Signature", "Date"]
    assert [r.cells[1].text for r in signatures.rows[1:]] == ["Dana Whitfield, LCSW", "Alex Rivera"]
    with zipfile.ZipFile(io.BytesIO(redline)) as package:
        footer = "".join(
            package.read(n).decode() for n in package.namelist() if n.startswith("word/footer")
        )
    assert "Confidential: protected health information" in footer
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer


def test_reordered_plan_has_no_tracked_changes() -> None:
    old = sample_plan()
    new = old.model_copy(update={"goals": old.goals[::-1]})
    xml = document_xml(render_redline(old, new, diff_plans(old, new)))
    assert "<w:ins " not in xml and "<w:del " not in xml
    assert "No changes." in xml


def test_output_is_deterministic(redline: bytes) -> None:
    old = sample_plan()
    new, _ = revise("review_90day.csv", old)
    again = render_redline(old, new, diff_plans(old, new, old_label="v1", new_label="v2"))
    assert again == redline


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_opens_in_libreoffice(redline: bytes, tmp_path: Path) -> None:
    source = tmp_path / "redline.docx"
    source.write_bytes(redline)
    profile = (tmp_path / "profile").as_uri()  # own profile: never clashes with another soffice
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    with pdfplumber.open(tmp_path / "redline.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Treatment plan revision: Alex Rivera (C-1001)" in text
    assert "wake up rested" in text  # LibreOffice shows insertions (and deletions) in place


def test_progress_notes_are_printed_under_their_objective() -> None:
    from tests.versions.test_review_history import _revise

    old = only_due("G1.O2")
    new = _revise(old)
    document = Document(io.BytesIO(render_redline(old, new, diff_plans(old, new))))
    texts = [p.text for p in document.paragraphs]
    at = texts.index("Progress note: Mornings are easier; back at the gym twice a week")
    assert texts[at - 1].startswith("Objective 1.2: ")
    assert "Progress note: Log kept on 3 of 7 days" in texts
