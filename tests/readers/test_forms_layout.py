"""Form layouts, one at a time: small real PDFs and DOCX files built here, read to raw fields."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas
from reportlab.platypus import Table, TableStyle

from pipeline.readers import docx_form
from pipeline.readers.marks import checked_options, is_mark, mark_checked
from pipeline.readers.pdf import reader as pdf

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _pdf(tmp_path: Path, draw) -> Path:
    path = tmp_path / "form.pdf"
    c = canvas.Canvas(str(path), invariant=1)
    draw(c)
    c.showPage()
    c.save()
    return path


def _fields(path: Path) -> dict[str, object]:
    record = pdf.raw_record(path) if path.suffix == ".pdf" else docx_form.raw_record(path)
    found: dict[str, object] = {}
    for raw in record.fields:
        assert raw.label not in found, f"{raw.label} read twice"
        found[raw.label] = raw.value
    return found


def _text(c, x: float, y: float, text: str, bold: bool = False, size: int = 10) -> None:
    c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
    c.drawString(x, y, text)


# --- flat PDF ------------------------------------------------------------------------------


def test_label_value_lines_with_a_wrapped_value(tmp_path: Path) -> None:
    def draw(c) -> None:
        _text(c, 50, 700, "Client ID: A-17")
        _text(c, 50, 686, "Presenting problem: I cannot sleep and I keep")
        _text(c, 142, 672, "missing work because of it.")
        _text(c, 50, 658, "Onset: June 2026")

    found = _fields(_pdf(tmp_path, draw))
    assert found == {
        "Client ID": "A-17",
        "Presenting problem": "I cannot sleep and I keep missing work because of it.",
        "Onset": "June 2026",
    }


def test_a_value_that_wraps_back_to_the_left_margin(tmp_path: Path) -> None:
    # A word processor's paragraph on a Letter page (612 pt) with 50 pt margins: each line is
    # filled up to 562 pt, and the value's next lines start back at the margin, under the label.
    words = ("I have been feeling down since my mother passed away last spring, and now I "
             "cannot focus at work or sleep through the night without waking at four.")  # fmt: skip
    lines = simpleSplit(f"Presenting problem: {words}", "Helvetica", 10, 512)
    assert len(lines) == 2

    def draw(c) -> None:
        for number, line in enumerate(lines):
            _text(c, 50, 700 - 14 * number, line)
        _text(c, 50, 672, "Onset: March 2026")
        _text(c, 50, 644, "Strengths: Supportive sister, long walks")
        _text(c, 50, 630, "Please bring this form to your first session.")

    found = _fields(_pdf(tmp_path, draw))
    assert found == {
        "Presenting problem": words,
        "Onset": "March 2026",
        # a short value does not wrap: the plain line below it is not part of it
        "Strengths": "Supportive sister, long walks",
    }


def test_bold_labels_in_a_left_column_values_in_a_right_column(tmp_path: Path) -> None:
    def draw(c) -> None:
        _text(c, 50, 700, "Client #", bold=True)
        _text(c, 200, 700, "B-2")
        _text(c, 50, 684, "Functional impact", bold=True)
        _text(c, 200, 684, "Stopped driving;")
        _text(c, 200, 672, "avoids the supermarket")

    found = _fields(_pdf(tmp_path, draw))
    assert found == {
        "Client #": "B-2",
        "Functional impact": "Stopped driving; avoids the supermarket",
    }


def test_two_columns_side_by_side_and_a_question_with_an_indented_answer(tmp_path: Path) -> None:
    def draw(c) -> None:
        _text(c, 50, 700, "DOB:", bold=True)
        _text(c, 120, 700, "Jan 9, 1979")
        _text(c, 320, 700, "Client #:", bold=True)
        _text(c, 400, 700, "C-3")
        _text(c, 50, 670, "What brings you in?", bold=True)
        _text(c, 70, 658, "My panic attacks")
        _text(c, 70, 646, "at work.")
        _text(c, 320, 620, "unrelated footer text")

    found = _fields(_pdf(tmp_path, draw))
    assert found == {
        "DOB": "Jan 9, 1979",
        "Client #": "C-3",
        "What brings you in?": "My panic attacks at work.",
    }


def test_a_heading_does_not_swallow_the_line_below(tmp_path: Path) -> None:
    def draw(c) -> None:
        _text(c, 50, 720, "Assessment Summary", bold=True, size=16)
        _text(c, 50, 704, "Printed from the EHR", size=8)
        _text(c, 50, 680, "Client ID: D-4")

    assert _fields(_pdf(tmp_path, draw)) == {"Client ID": "D-4"}


def test_options_with_ascii_marks(tmp_path: Path) -> None:
    def draw(c) -> None:
        _text(c, 50, 700, "Pronouns: [ ] she/her [X] they/them [ ] he/him")
        _text(c, 50, 680, "Marital status: [ ] Single [ ] Married")

    assert _fields(_pdf(tmp_path, draw)) == {"Pronouns": "they/them"}


def test_x_grid_with_blank_cells_and_scored_questionnaire_grid(tmp_path: Path) -> None:
    def draw(c) -> None:
        _text(c, 50, 720, "Symptoms in the last month", bold=True)
        for k, head in enumerate(("Never", "Sometimes", "Often")):
            _text(c, 300 + k * 70, 706, head)
        _text(c, 50, 692, "1. Sleep problems")
        _text(c, 375, 692, "X")
        _text(c, 50, 678, "2. Nightmares")
        _text(c, 305, 678, "X")
        _text(c, 50, 650, "GAD-7", bold=True)
        for k in range(4):
            _text(c, 300 + k * 70, 636, f"({k})")
        _text(c, 50, 622, "1. Feeling nervous")
        for k in range(4):
            _text(c, 303 + k * 70, 622, "[X]" if k == 2 else "[ ]")

    found = _fields(_pdf(tmp_path, draw))
    assert found == {"Sleep problems": "Sometimes", "Nightmares": "Never", "GAD-7 item 1": 2}


def test_ruled_table_rows_keep_their_row_number(tmp_path: Path) -> None:
    def draw(c) -> None:
        table = Table([["Diagnosis Code", "Primary"], ["F41.1", "Yes"], ["F32.1", "No"]])
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        table.wrapOn(c, 400, 200)
        table.drawOn(c, 50, 600)

    record = pdf.raw_record(_pdf(tmp_path, draw))
    assert [(f.label, f.value, f.source.row) for f in record.fields] == [
        ("Diagnosis Code", "F41.1", 2),
        ("Primary", "Yes", 2),
        ("Diagnosis Code", "F32.1", 3),
        ("Primary", "No", 3),
    ]


def test_fillable_checkbox_and_tooltip_or_name_as_label(tmp_path: Path) -> None:
    def draw(c) -> None:
        form = c.acroForm
        form.textfield(name="client_id", tooltip="Identifier (office use)", value="E-5", y=700)
        form.textfield(name="xq17", tooltip="Date of Birth", value="1990-02-03", y=650)
        form.checkbox(name="si", tooltip="Suicidal ideation", checked=False, y=600)

    record = pdf.raw_record(_pdf(tmp_path, draw))
    assert [(f.label, f.value, f.source.field) for f in record.fields] == [
        ("client_id", "E-5", "client_id"),  # the tooltip is unknown, the name is not
        ("Date of Birth", "1990-02-03", "xq17"),
        ("Suicidal ideation", False, "si"),
    ]


# --- DOCX -----------------------------------------------------------------------------------


def _docx(tmp_path: Path, build) -> Path:
    document = Document()
    build(document)
    path = tmp_path / "form.docx"
    document.save(str(path))
    return path


def _raw_paragraph(document, inner: str) -> None:
    paragraph = document.add_paragraph()._p
    for child in parse_xml(f'<w:p {nsdecls("w")} xmlns:w14="{W14}">{inner}</w:p>'):
        paragraph.append(child)


def test_docx_table_with_marks_and_a_control_in_a_cell(tmp_path: Path) -> None:
    def build(document) -> None:
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Pronouns:"
        table.cell(0, 1).text = "☐ she/her ☒ they/them"
        table.cell(1, 0).text = "Client ID"
        table.cell(1, 1)._tc.remove(table.cell(1, 1).paragraphs[0]._p)
        table.cell(1, 1)._tc.append(
            parse_xml(
                f'<w:p {nsdecls("w")}><w:sdt><w:sdtPr><w:tag w:val="cid"/></w:sdtPr>'
                "<w:sdtContent><w:r><w:t>F-6</w:t></w:r></w:sdtContent></w:sdt></w:p>"
            )
        )

    found = _fields(_docx(tmp_path, build))
    assert found == {"Pronouns": "they/them", "Client ID": "F-6"}


def test_docx_checkbox_controls_legacy_defaults_and_block_controls(tmp_path: Path) -> None:
    box = (
        '<w:sdt><w:sdtPr><w:alias w:val="{0}"/><w:tag w:val="{0}"/><w14:checkbox>'
        '<w14:checked w14:val="{1}"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☐</w:t>'
        "</w:r></w:sdtContent></w:sdt>"
    )
    legacy = (
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:checkBox>'
        '<w:default w:val="1"/></w:checkBox></w:ffData></w:fldChar></w:r>'
        "<w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )

    def build(document) -> None:
        body = document.element.body
        block = parse_xml(
            f'<w:sdt {nsdecls("w")}><w:sdtPr><w:tag w:val="header"/></w:sdtPr><w:sdtContent>'
            "<w:p><w:r><w:t>Client ID: G-7</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        )
        body.insert(0, block)
        _raw_paragraph(document, box.format("Suicidal ideation", "0"))
        _raw_paragraph(document, box.format("Safety plan needed", "1"))
        _raw_paragraph(document, '<w:r><w:t xml:space="preserve">Self harm: </w:t></w:r>' + legacy)

    found = _fields(_docx(tmp_path, build))
    assert found == {
        "Client ID": "G-7",
        "Suicidal ideation": False,
        "Safety plan needed": True,
        "Self harm": True,
    }


# --- marks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("☐ Woman ☒ Man ☐ Non-binary", "Man"),
        ("[x] Individual, [ ] Group, [X] Family", "Individual; Family"),
        ("✓ Yes", "Yes"),
        ("☐ Yes ☐ No", ""),
        ("Divorced", None),
    ],
)
def test_checked_options(text: str, expected: str | None) -> None:
    assert checked_options(text) == expected


def test_marks() -> None:
    assert is_mark("☒") and mark_checked("☒") and is_mark("[ ]") and not mark_checked("[ ]")
    assert not is_mark("Yes")
