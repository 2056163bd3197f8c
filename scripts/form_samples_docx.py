"""The synthetic DOCX intake forms: tables, content controls and legacy form fields as raw XML."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from fixed_zip import fixed_zip  # noqa: E402

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
FIXED = dt.datetime(2026, 1, 1, 0, 0, 0)
PHQ9 = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself, or that you are a failure",
    "Trouble concentrating on things",
    "Moving or speaking slowly, or being fidgety or restless",
    "Thoughts that you would be better off dead, or of hurting yourself",
)
GAD7 = (
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)
SCALE = ("Not at all", "Several days", "More than half the days", "Nearly every day")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(text: str, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'


def sdt_text(alias: str, tag: str, value: str) -> str:
    """An inline plain-text content control."""
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{_esc(alias)}"/><w:tag w:val="{tag}"/><w:text/>'
        f"</w:sdtPr><w:sdtContent>{_run(value)}</w:sdtContent></w:sdt>"
    )


def sdt_checkbox(alias: str, tag: str, checked: bool) -> str:
    """An inline checkbox content control (Word 2010 w14:checkbox)."""
    state = "1" if checked else "0"
    glyph = "☒" if checked else "☐"
    return (
        f'<w:sdt xmlns:w14="{W14}"><w:sdtPr><w:alias w:val="{_esc(alias)}"/>'
        f'<w:tag w:val="{tag}"/><w14:checkbox><w14:checked w14:val="{state}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        f"<w:sdtContent>{_run(glyph)}</w:sdtContent></w:sdt>"
    )


def legacy_text(name: str, value: str) -> str:
    """A legacy FORMTEXT field (Word 97-2003 form field) with its result text."""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/>'
        '<w:enabled/><w:calcOnExit w:val="0"/><w:textInput/></w:ffData></w:fldChar></w:r>'
        '<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'{_run(value)}<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def legacy_checkbox(name: str, checked: bool) -> str:
    """A legacy FORMCHECKBOX field."""
    state = "<w:checked/>" if checked else '<w:checked w:val="0"/>'
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/><w:enabled/>'
        f'<w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/>{state}</w:checkBox></w:ffData>'
        '</w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _paragraph(document, inner: str) -> None:
    """A paragraph from raw run-level XML, placed where add_paragraph would put it."""
    paragraph = document.add_paragraph()._p
    for child in parse_xml(f"<w:p {nsdecls('w')}>{inner}</w:p>"):
        paragraph.append(child)


def _grid(document, title: str, items: tuple[str, ...], answers, controls: bool) -> None:
    document.add_paragraph().add_run(title).bold = True
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "Over the last 2 weeks, how often..."
    for k, head in enumerate(SCALE):
        table.rows[0].cells[k + 1].text = head
    for n, (item, answer) in enumerate(zip(items, answers, strict=True), start=1):
        cells = table.add_row().cells
        cells[0].text = f"{n}. {item}"
        for k in range(4):
            paragraph = cells[k + 1].paragraphs[0]
            if controls:
                tag = f"{title.split()[0].lower()}_{n}"
                xml = sdt_checkbox(f"{title.split()[0]} item {n}: {SCALE[k]}", tag, k == answer)
                paragraph._p.append(parse_xml(xml.replace("<w:sdt ", f"<w:sdt {nsdecls('w')} ")))
            else:
                paragraph.add_run("☒" if k == answer else "☐")


def intake_questionnaire() -> bytes:
    """Label/value tables, content controls, legacy fields, Label: value paragraphs, grids."""
    document = Document()
    document.add_heading("Riverside Counseling Collective - Intake Questionnaire", level=1)
    document.add_paragraph("Client ID: RC-1077")
    document.add_paragraph("Intake date: October 20, 2026")
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in (
        ("First name", "Zoë"),
        ("Last name", "O'Brien"),
        ("Date of birth", "30 November 2001"),
        ("Pronouns", "they/them"),
        ("Gender identity", "Non-binary"),
        ("Phone", "(555) 014-3389"),
        ("Email", "zoe.obrien@example.net"),
        ("Insurance", "Oregon Health Plan"),
        ("Member ID", "OHP-7719044"),
    ):
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
    document.add_heading("What brings you here", level=2)
    _paragraph(
        document,
        _run("Presenting problem: ", bold=True)
        + sdt_text(
            "Presenting problem (client's words)",
            "presenting_problem",
            "Since I moved here for college I panic before every class and "
            "I've stopped going to most of them.",
        ),
    )
    _paragraph(
        document,
        _run("Onset: ", bold=True) + sdt_text("Onset", "onset", "September 2026, first semester"),
    )
    _paragraph(
        document,
        _run("Functional impact: ", bold=True)
        + legacy_text("FunctionalImpact", "Failing two courses; eats one meal a day"),
    )
    _paragraph(
        document,
        _run("Symptoms: ", bold=True)
        + sdt_checkbox("Panic attacks", "symptoms", True)
        + _run(" Panic attacks  ")
        + sdt_checkbox("Poor sleep", "symptoms", True)
        + _run(" Poor sleep  ")
        + sdt_checkbox("Low mood", "symptoms", False)
        + _run(" Low mood"),
    )
    _paragraph(
        document,
        _run("Strengths: ", bold=True) + legacy_text("Strengths", "Funny, artistic, good friends"),
    )
    _grid(document, "PHQ-9 Questionnaire", PHQ9, (1, 1, 2, 1, 2, 1, 2, 0, 0), controls=False)
    _grid(document, "GAD-7 Questionnaire", GAD7, (3, 2, 2, 2, 1, 1, 3), controls=True)
    document.add_paragraph()
    dx = document.add_table(rows=1, cols=3)
    dx.style = "Table Grid"
    for k, head in enumerate(("Diagnosis Code", "Description", "Primary")):
        dx.rows[0].cells[k].text = head
    cells = dx.add_row().cells
    for k, value in enumerate(
        ("F43.23", "Adjustment disorder with mixed anxiety and depressed mood", "Yes")
    ):
        cells[k].text = value
    document.add_paragraph("Goal 1: Go to every class for a whole week")
    document.add_paragraph("Goal 2: Feel calm enough to eat lunch with friends")
    services = document.add_table(rows=1, cols=4)
    services.style = "Table Grid"
    for k, head in enumerate(("Service Type", "Session Minutes", "Frequency", "Expected Duration")):
        services.rows[0].cells[k].text = head
    row = services.add_row().cells
    for k, value in enumerate(("Individual", "45", "Weekly", "12 weeks")):
        row[k].text = value
    document.add_paragraph("Clinician: Sam Whitfield, LMFT")
    document.add_paragraph("NPI: 1234567893")
    _paragraph(
        document,
        _run("Clinician signature date: ") + legacy_text("ClinSigDate", "10/20/2026"),
    )
    _paragraph(document, _run("Suicidal thoughts: ") + legacy_checkbox("SI", checked=False))
    _paragraph(
        document, _run("Client signature date: ") + legacy_text("ClientSigDate", "10/20/2026")
    )
    props = document.core_properties
    props.author = "txplan synthetic sample"
    props.last_modified_by = "txplan"
    props.created = props.modified = FIXED
    props.revision = 1
    return _fixed_zip(document)


def _fixed_zip(document) -> bytes:
    """Save with fixed zip timestamps so the file is byte-for-byte reproducible."""
    raw = io.BytesIO()
    document.save(raw)
    return fixed_zip(raw.getvalue(), FIXED)
