"""Builds every payer template, the client copy, the agency logos and BluePeak's PDF form.

Run ``.venv/bin/python scripts/make_templates.py [OUT_DIR]`` after changing a layout here
(OUT_DIR defaults to templates/); the output is committed and byte-identical on every run
(fixed zip timestamps, fixed document properties, reportlab's invariant mode), and a test
checks that the committed files are current. In real use an agency authors these in Word;
this script only keeps the project's samples reproducible. Layouts:
scripts/templates_docx.py (DOCX), this file (logos, the PDF form); scripts/lean_docx.py trims
the DOCX.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from lean_docx import lean_docx  # noqa: E402
from templates_docx import LAYOUTS  # noqa: E402

from pipeline.writers.fixed_zip import rezip  # noqa: E402

TEMPLATES = ROOT / "templates"

LOGOS = {
    "riverside": ("RC", (31, 102, 122), (232, 244, 246)),
    "northstar": ("NB", (54, 45, 110), (238, 236, 250)),
}


def make_logo(initials: str, ink: tuple[int, int, int], paper: tuple[int, int, int]) -> bytes:
    """A small square monogram PNG (deterministic: Pillow writes no timestamps)."""
    size = 240
    image = Image.new("RGB", (size, size), paper)
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 12, size - 12, size - 12), fill=ink)
    draw.ellipse((34, 34, size - 34, size - 34), outline=paper, width=6)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 78)
    except OSError:
        font = ImageFont.load_default(size=78)
    draw.text((size / 2, size / 2), initials, fill=paper, font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def make_form(fields_yaml: Path) -> bytes:
    """BluePeak Health's fillable authorization form, laid out from its fields.yaml."""
    spec = yaml.safe_load(fields_yaml.read_text(encoding="utf-8"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=LETTER, invariant=1)
    pdf.setTitle("BluePeak Health - Outpatient Behavioral Health Treatment Plan")
    pdf.setAuthor("BluePeak Health (fictional)")
    width, height = LETTER
    form = pdf.acroForm
    y = height - 60
    pdf.setFillColor(HexColor("#0b4f8a"))
    pdf.rect(0, height - 48, width, 48, fill=1, stroke=0)
    pdf.setFillColor(HexColor("#ffffff"))
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(40, height - 32, "BluePeak Health")
    pdf.setFont("Helvetica", 10)
    pdf.drawRightString(width - 40, height - 30, "Outpatient Behavioral Health Treatment Plan")
    pdf.setFillColor(black)
    for section in spec["sections"]:
        y -= 26
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(40, y, section["title"])
        pdf.line(40, y - 3, width - 40, y - 3)
        y -= 8
        for row in section["rows"]:
            y -= 30
            x = 40.0
            for field in row:
                w = float(field.get("width", 170))
                pdf.setFont("Helvetica", 7)
                pdf.drawString(x, y + 18, field["label"])
                if field.get("kind") == "checkbox":
                    form.checkbox(
                        name=field["name"], tooltip=field["label"], x=x, y=y, size=13,
                        buttonStyle="check", borderColor=black, fillColor=HexColor("#ffffff"),
                    )  # fmt: skip
                else:
                    form.textfield(
                        name=field["name"], tooltip=field["label"], x=x, y=y, width=w,
                        height=16, fontSize=8, borderWidth=0.5, borderColor=HexColor("#666666"),
                        fillColor=HexColor("#f4f8fc"), forceBorder=True,
                    )  # fmt: skip
                x += w + 10
    pdf.setFont("Helvetica", 7)
    pdf.drawString(40, 30, "BluePeak Health is fictional; this form is a txplan sample.")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"wrote {path} ({len(data)} bytes)")


def main(out_root: Path = TEMPLATES) -> list[Path]:
    """Write every generated file under ``out_root`` (the repository's templates/ by default;
    a test passes a temporary folder and compares). Returns the paths relative to it."""
    made: dict[Path, bytes] = {}
    for relative, build in LAYOUTS.items():
        out = io.BytesIO()
        build().save(out)
        made[Path(relative)] = rezip(lean_docx(out.getvalue()))
    for agency, (initials, ink, paper) in LOGOS.items():
        made[Path("agencies") / agency / "logo.png"] = make_logo(initials, ink, paper)
    form = Path("payers") / "bluepeak-pdf"
    made[form / "form.pdf"] = make_form(TEMPLATES / form / "fields.yaml")
    for relative, data in made.items():
        write(out_root / relative, data)
    return list(made)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES)
