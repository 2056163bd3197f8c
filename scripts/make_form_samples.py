"""Generates the synthetic intake forms in inputs/ and tests/data/forms/, deterministically.

Run ``.venv/bin/python scripts/make_form_samples.py`` after changing a form, then regenerate the
goldens on purpose (``TXPLAN_ACCEPT=1 .venv/bin/pytest tests/test_forms*.py``) and read the diff.
PDFs are drawn with reportlab (fillable ones with AcroForm fields); DOCX forms with python-docx,
content controls and legacy form fields written as raw XML (see ``form_samples_docx.py``).
Every person in these forms is invented.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Table, TableStyle

sys.path.insert(0, str(Path(__file__).resolve().parent))
from form_samples_docx import GAD7 as GAD7_ITEMS  # noqa: E402
from form_samples_docx import PHQ9 as PHQ9_ITEMS  # noqa: E402
from form_samples_docx import intake_questionnaire  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
FORMS = ROOT / "tests" / "data" / "forms"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian: fonts-dejavu-core
SCALE = (
    "Not at all (0)",
    "Several days (1)",
    "More than half the days (2)",
    "Nearly every day (3)",
)


def _fonts() -> None:
    pdfmetrics.registerFont(TTFont("Sans", str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("Sans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def _canvas(buffer: io.BytesIO, title: str) -> canvas.Canvas:
    c = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    c.setTitle(title)
    c.setAuthor("txplan synthetic sample")
    return c


def _heading(c: canvas.Canvas, y: float, text: str, size: int = 13) -> float:
    c.setFont("Sans-Bold", size)
    c.drawString(50, y, text)
    return y - size - 10


# --- fillable PDF (AcroForm) ----------------------------------------------------------------


def fillable_intake() -> bytes:
    """A two-page client intake with text fields, checkboxes, radio groups and choice lists."""
    buffer = io.BytesIO()
    c = _canvas(buffer, "Client Intake Form")
    form = c.acroForm
    y = _heading(c, 750, "Riverside Counseling Collective - Client Intake Form", 14)

    def text(name: str, tip: str, value: str, label: str, x: float = 50, w: float = 330) -> None:
        nonlocal y
        c.setFont("Sans", 9)
        c.drawString(x, y + 5, label)
        form.textfield(
            name=name, tooltip=tip, value=value, x=x + 170, y=y, width=w, height=16, fontSize=9
        )
        y -= 22

    text("client_id", "Client ID", "RC-1042", "Client ID")
    text("first_name", "First Name", "Maya", "First name")
    text("last_name", "Last Name", "Thompson-Reyes", "Last name")
    text("preferred_name", "Preferred Name", "May", "Preferred name")
    text("dob", "Date of Birth", "07/22/1991", "Date of birth (MM/DD/YYYY)")
    c.drawString(50, y + 5, "Pronouns")
    form.choice(
        name="pronouns",
        tooltip="Pronouns",
        value="she/her",
        options=["she/her", "he/him", "they/them", "other"],
        x=220,
        y=y,
        width=120,
        height=16,
        fontSize=9,
    )
    y -= 22
    c.drawString(50, y + 5, "Gender identity")
    for i, option in enumerate(("Woman", "Man", "Non-binary", "Prefer to self-describe")):
        c.drawString(238 + i * 80, y + 5, option)
        form.radio(
            name="gender_identity",
            tooltip="Gender Identity",
            value=option,
            selected=option == "Woman",
            x=222 + i * 80,
            y=y + 2,
            size=12,
        )
    y -= 22
    c.drawString(50, y + 5, "Marital status")
    form.choice(
        name="marital_status",
        tooltip="Marital Status",
        value="Married",
        options=["Single", "Married", "Partnered", "Divorced", "Widowed"],
        x=220,
        y=y,
        width=120,
        height=16,
        fontSize=9,
    )
    y -= 22
    text("occupation", "Occupation", "Pharmacy technician", "Occupation")
    text("phone", "Phone", "(555) 014-2231", "Phone")
    text("email", "Email", "maya.tr@example.org", "Email")
    text("address", "Address", "41 Alder Lane, Springfield, OR 97477", "Address")
    text("emergency", "Emergency Contact", "Daniel Reyes (spouse) (555) 014-9987", "Emergency")
    text("insurance", "Insurance", "BluePeak Health", "Insurance")
    text("member_id", "Member ID", "BPH-88213470", "Member ID")
    text("intake_date", "Intake Date", "10/05/2026", "Intake date")
    y = _heading(c, y - 6, "What brings you here", 11)
    text(
        "presenting_problem",
        "Presenting Problem (client's words)",
        "I can't shut my brain off. I worry about everything and I'm exhausted all the time.",
        "In your own words",
    )
    text("onset", "Onset", "About eight months ago, after my mother's stroke", "When did it start?")
    text(
        "functional_impact",
        "Functional Impact",
        "Missed 6 work shifts last month; stopped seeing friends",
        "Effect on daily life",
    )
    text(
        "what_would_be_different",
        "What would be different",
        "I would sleep, enjoy my kids again, and stop calling in sick",
        "If things were better...",
    )
    c.drawString(50, y + 5, "Symptoms (check all)")
    for i, (key, label) in enumerate(
        (("worry", "Excessive worry"), ("sleep", "Poor sleep"), ("mood", "Low mood"))
    ):
        c.drawString(238 + i * 100, y + 5, label)
        form.checkbox(
            name=f"symptoms.{key}",
            tooltip=label,
            checked=True,
            x=222 + i * 100,
            y=y + 2,
            size=12,
            buttonStyle="check",
        )
    form.checkbox(
        name="symptoms.panic", tooltip="Panic attacks", checked=False, x=522, y=y + 2, size=12
    )
    c.drawString(538, y + 5, "Panic")
    y -= 22
    text("strengths", "Strengths", "Close to my husband; organized; I like running", "Strengths")
    c.showPage()

    form = c.acroForm
    y = _heading(c, 750, "Questionnaires (client completes)", 12)
    for title, prefix, tip, items, answers in (
        ("PHQ-9", "phq9", "PHQ-9 item", PHQ9_ITEMS, (2, 2, 1, 2, 1, 1, 2, 1, 0)),
        ("GAD-7", "gad7", "GAD-7 item", GAD7_ITEMS, (2, 3, 2, 2, 1, 2, 2)),
    ):
        c.setFont("Sans-Bold", 9)
        c.drawString(50, y, f"{title}: over the last 2 weeks, how often...")
        c.setFont("Sans", 8)
        c.drawString(50, y - 12, "Date completed")
        form.textfield(
            name=f"{prefix}_date",
            tooltip=f"{title} date",
            value="10/05/2026",
            x=120,
            y=y - 15,
            width=70,
            height=12,
            fontSize=8,
        )
        c.setFont("Sans-Bold", 9)
        for k in range(4):
            c.drawString(330 + k * 60, y, str(k))
        y -= 30
        c.setFont("Sans", 8)
        for n, (item, answer) in enumerate(zip(items, answers, strict=True), start=1):
            c.drawString(50, y + 3, f"{n}. {item}")
            for k in range(4):
                form.radio(
                    name=f"{prefix}_{n}",
                    tooltip=f"{tip} {n}",
                    value=str(k),
                    selected=k == answer,
                    x=328 + k * 60,
                    y=y,
                    size=11,
                )
            y -= 16
        y -= 10
    y = _heading(c, y, "Clinician section", 11)
    text("dx_primary", "Primary Diagnosis", "F41.1", "Primary diagnosis (ICD-10-CM)")
    text("dx_secondary", "Secondary Diagnosis", "F32.1", "Secondary diagnosis")
    text("goal_1", "Goal 1", "I want to sleep through the night most nights", "Goal 1 (client)")
    text("goal_2", "Goal 2", "Go back to work full time without dread", "Goal 2 (client)")
    c.setFont("Sans", 9)
    c.drawString(50, y + 5, "Service type")
    form.choice(
        name="service_type",
        tooltip="Service Type",
        value="Individual",
        options=["Individual", "Group", "Family", "Couples"],
        x=220,
        y=y,
        width=120,
        height=16,
        fontSize=9,
    )
    y -= 22
    text("session_minutes", "Session Minutes", "53", "Session length (minutes)")
    text("frequency", "Frequency", "Weekly", "Frequency")
    text("duration", "Expected Duration", "16 weeks", "Expected duration")
    text("clinician", "Clinician Name", "Jordan Ellis", "Clinician")
    text("credentials", "Clinician Credentials", "LCSW", "Credentials")
    text("npi", "Clinician NPI", "1234567893", "NPI")
    text("clinician_date", "Clinician Signature Date", "10/05/2026", "Date signed (clinician)")
    text("client_sig_date", "Client Signature Date", "10/05/2026", "Date signed (client)")
    c.showPage()
    c.save()
    return buffer.getvalue()


def no_required_fields() -> bytes:
    """A fillable form that is not an intake: nothing in it identifies a client."""
    buffer = io.BytesIO()
    c = _canvas(buffer, "Newsletter sign-up")
    _heading(c, 740, "Newsletter sign-up")
    c.setFont("Sans", 10)
    c.drawString(50, 705, "Favourite colour")
    c.acroForm.textfield(name="colour", tooltip="Favourite colour", value="teal", x=200, y=700)
    c.drawString(50, 665, "Send me updates")
    c.acroForm.checkbox(name="updates", tooltip="Send me updates", checked=True, x=200, y=660)
    c.showPage()
    c.save()
    return buffer.getvalue()


# --- flat PDFs (text layer only) -------------------------------------------------------------


def _pair(c: canvas.Canvas, x: float, y: float, label: str, value: str, vx: float) -> None:
    c.setFont("Sans-Bold", 9)
    c.drawString(x, y, label)
    c.setFont("Sans", 9)
    c.drawString(vx, y, value)


def _wrapped(
    c: canvas.Canvas, x: float, y: float, label: str, lines: list[str], vx: float
) -> float:
    _pair(c, x, y, label, lines[0], vx)
    for line in lines[1:]:
        y -= 12
        c.drawString(vx, y, line)
    return y - 16


def assessment_summary_flat() -> bytes:
    """A printed assessment summary: left-column labels, wrapped values, Label: value lines."""
    buffer = io.BytesIO()
    c = _canvas(buffer, "Assessment Summary")
    y = _heading(c, 750, "Northstar Behavioral Health - Assessment Summary", 14)
    c.setFont("Sans", 8)
    c.drawString(50, y + 4, "Printed from the EHR on October 14, 2026. Confidential.")
    y -= 14
    for label, value in (
        ("Name (Last, First)", "Okafor, Adaeze"),
        ("Client #", "NS-2207"),
        ("Date of birth", "March 4, 1987"),
        ("Pronouns", "she/her"),
        ("Payer", "Oregon Health Plan (Medicaid)"),
        ("Member ID", "OHP-5531902"),
        ("Assessment date", "October 12, 2026"),
        ("Clinician", "Priya Natarajan, LPC"),
    ):
        _pair(c, 50, y, label, value, 170)
        y -= 16
    y = _heading(c, y - 6, "Presenting problem", 11)
    y = _wrapped(
        c,
        50,
        y,
        "Client's words",
        [
            "\"Since the layoff I just lie in bed. I don't see the point of",
            "getting up, and I snap at my kids for nothing. I used to be the",
            'one everybody leaned on."',
        ],
        170,
    )
    y = _wrapped(c, 50, y, "Onset", ["Gradual since March 2026 (job loss)"], 170)
    y = _wrapped(
        c,
        50,
        y,
        "Functional impact",
        ["Out of work; stopped attending church and choir; sleeps", "11-12 hours a day"],
        170,
    )
    c.setFont("Sans", 9)
    for line in (
        "Strengths: Faith community; two supportive sisters; former choir leader",
        "PHQ-9 total: 17",
        "GAD-7 total: 9",
        "PHQ-9 date: October 12, 2026",
        "GAD-7 date: October 12, 2026",
        "Suicidal ideation: Denied      Risk level: Low",
        "Risk notes: No history of attempts; no access to firearms",
    ):
        c.drawString(50, y, line)
        y -= 14
    y = _heading(c, y - 6, "Diagnoses", 11)
    table = Table(
        [
            ["ICD-10 Code", "Description", "Primary"],
            ["F33.1", "Major depressive disorder, recurrent, moderate", "Yes"],
            ["F43.10", "Post-traumatic stress disorder, unspecified", "No"],
        ],
        colWidths=(80, 290, 60),
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Sans", 9),
                ("FONT", (0, 0), (-1, 0), "Sans-Bold", 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ]
        )
    )
    _, height = table.wrapOn(c, 500, 200)
    table.drawOn(c, 50, y - height + 10)
    y -= height + 14
    c.setFont("Sans", 9)
    for line in (
        "Goal 1: Get out of bed by 8 and look for work three days a week",
        "Goal 2: Stop yelling at my kids",
        "Service type: Individual psychotherapy",
        "Session length (minutes): 53",
        "Frequency: Weekly",
        "Expected duration: 20 weeks",
        "Clinician NPI: 1234567893",
        "Client signature date: October 12, 2026",
    ):
        c.drawString(50, y, line)
        y -= 14
    c.showPage()
    c.save()
    return buffer.getvalue()


def _grid(c: canvas.Canvas, y: float, title: str, items: tuple[str, ...], answers) -> float:
    """A checkbox grid: one row per item, one ☐/☒ column per answer."""
    c.setFont("Sans-Bold", 9)
    c.drawString(50, y, title)
    y -= 14
    c.setFont("Sans-Bold", 7)
    for k, head in enumerate(SCALE):
        c.drawCentredString(356 + k * 62, y, head.split(" (")[0])
        c.drawCentredString(356 + k * 62, y - 8, f"({k})")
    y -= 22
    for n, (item, answer) in enumerate(zip(items, answers, strict=True), start=1):
        c.setFont("Sans", 8)
        c.drawString(50, y, f"{n}. {item}"[:62])
        c.setFont("Sans", 10)
        for k in range(4):
            c.drawCentredString(356 + k * 62, y, "☒" if k == answer else "☐")
        y -= 14
    return y - 8


def two_column_intake() -> bytes:
    """Laid out unlike the others: two columns, a wrapped answer, checkbox grids and options."""
    buffer = io.BytesIO()
    c = _canvas(buffer, "New Client Questionnaire")
    y = _heading(c, 752, "New Client Questionnaire", 14)
    rows = (
        (("Last, First:", "Fernández, Luis"), ("Client #:", "RC-1101")),
        (("DOB:", "Jan 9, 1979"), ("Intake date:", "Nov 2, 2026")),
        (("Phone:", "(555) 014-7720"), ("Occupation:", "Line cook")),
        (("Insurance:", "BluePeak Health"), ("Member ID:", "BPH-40017736")),
    )
    for left, right in rows:
        _pair(c, 50, y, left[0], left[1], 130)
        _pair(c, 320, y, right[0], right[1], 400)
        y -= 16
    c.setFont("Sans", 9)
    c.drawString(50, y, "Pronouns: ☐ she/her ☒ he/him ☐ they/them")
    c.drawString(320, y, "Marital status: ☐ Single ☐ Married ☒ Divorced")
    y -= 22
    c.setFont("Sans-Bold", 9)
    c.drawString(50, y, "What brings you in? (your words)")
    c.setFont("Sans", 9)
    for line in (
        "My drinking got out of hand after the divorce and now I can't sleep",
        "without it. I feel like a failure as a dad and some nights I think my",
        "kids would be better off without me.",
    ):
        y -= 12
        c.drawString(70, y, line)
    y -= 18
    _pair(c, 50, y, "Onset:", "Spring 2025, after the divorce", 130)
    _pair(c, 320, y, "Strengths:", "Loves his kids; steady job", 400)
    y -= 22
    y = _grid(c, y, "PHQ-9 (over the last 2 weeks)", PHQ9_ITEMS, (2, 3, 3, 2, 1, 3, 1, 0, 1))
    y = _grid(c, y, "GAD-7 (over the last 2 weeks)", GAD7_ITEMS, (1, 1, 2, 2, 0, 1, 1))
    c.setFont("Sans", 9)
    _pair(c, 50, y, "Diagnosis 1:", "F32.1 Major depressive disorder, single episode", 130)
    y -= 14
    _pair(c, 50, y, "Diagnosis 2:", "F10.20 Alcohol dependence, uncomplicated", 130)
    y -= 20
    _pair(c, 50, y, "Goal 1:", "Be a dad my kids can count on", 130)
    _pair(c, 320, y, "Clinician:", "Jordan Ellis, LCSW", 400)
    y -= 16
    _pair(c, 50, y, "Service:", "Individual", 130)
    _pair(c, 320, y, "Frequency:", "Weekly", 400)
    c.showPage()
    c.save()
    return buffer.getvalue()


def image_only() -> bytes:
    """A 'scanned' page: an image and no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(image)
    for row in range(8):
        draw.line((40, 40 + row * 30, 40 + (row * 67) % 480 + 60, 40 + row * 30), fill=0, width=3)
    png = io.BytesIO()
    image.save(png, format="PNG")
    png.seek(0)
    buffer = io.BytesIO()
    c = _canvas(buffer, "Scanned intake")
    from reportlab.lib.utils import ImageReader

    c.drawImage(ImageReader(png), 50, 400, width=500, height=250)
    c.showPage()
    c.save()
    return buffer.getvalue()


def encrypted(pdf: bytes) -> bytes:
    """The same form protected with a user password."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    fixed_id = ByteStringObject(b"txplan-sample-id")
    writer._ID = ArrayObject((fixed_id, fixed_id))  # a fixed ID keeps the file reproducible
    writer.generate_file_identifiers = lambda: None  # type: ignore[method-assign]
    writer.encrypt(user_password="client-secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    _fonts()
    INPUTS.mkdir(exist_ok=True)
    FORMS.mkdir(parents=True, exist_ok=True)
    fillable = fillable_intake()
    samples = {
        "intake-form-fillable.pdf": fillable,
        "assessment-summary-flat.pdf": assessment_summary_flat(),
        "two-column-intake.pdf": two_column_intake(),
        "bad-no-required-fields.pdf": no_required_fields(),
        "bad-scanned-image.pdf": image_only(),
        "bad-truncated.pdf": fillable[: len(fillable) * 2 // 3],
        "bad-encrypted.pdf": encrypted(fillable),
        "bad-really-text.docx": b"Client ID: RC-9\nThis was saved as text and renamed .docx\n",
    }
    for name, data in samples.items():
        (FORMS / name).write_bytes(data)
    (FORMS / "intake-questionnaire.docx").write_bytes(intake_questionnaire())
    for name in ("intake-form-fillable.pdf", "assessment-summary-flat.pdf"):
        shutil.copyfile(FORMS / name, INPUTS / name)
    shutil.copyfile(FORMS / "intake-questionnaire.docx", INPUTS / "intake-questionnaire.docx")
    print(f"wrote {len(samples) + 1} forms to {FORMS} and 3 to {INPUTS}")


if __name__ == "__main__":
    main()
