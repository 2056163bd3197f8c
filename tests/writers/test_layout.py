"""Layout checked by machine: each payer's PDF for a short, a typical and a long plan.

pdfplumber reads every word with its box: no word outside the page or its table cell, a
table running onto a page starts there with its header row, no word of the PDF is a piece of
a word the DOCX holds whole (a word broken by a narrow cell), and the page count is within
the format's bound (the ISP of the standard sample plan in at most 4 pages).
"""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import unicodedata

import pdfplumber
import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import Plan, SafetyPlan
from pipeline.profiles import load_agency, load_payer
from pipeline.readers import read
from pipeline.writers.client_copy import render_client_copy
from pipeline.writers.docx.render import render_docx
from pipeline.writers.libreoffice import PdfConverter
from pipeline.writers.textlint import docx_lines
from tests.support import ROOT, TEST_DATA

AGENCY = load_agency("riverside")
PAYERS = ("clinical", "medicaid-isp", "managed-care-otr", "medicare-poc")
#: Most pages each format may take for a short, a typical and a long plan.
BOUNDS = {
    "clinical": (3, 5, 9),
    "medicaid-isp": (2, 5, 9),  # an objective's text carries the baseline it does not state
    "managed-care-otr": (3, 3, 6),
    "medicare-poc": (2, 3, 5),
    "client-copy": (1, 2, 3),
}


#: CT-1001 is at risk: its client copy is produced only once the safety plan is the client's
#: own, so the layout is checked with the safety plan completed as a clinician would.
SAFETY_PLAN = SafetyPlan(
    warning_signs=("Skipping meals and staying in bed past noon", "Thinking I am a burden"),
    coping_strategies=("Walk to the river path for 20 minutes", "Sketch at the kitchen table"),
    people_and_places=("Sister Maya's apartment", "The public library reading room"),
    people_to_ask=("Maya (sister), 555-0110", "Jordan (coworker), 555-0126"),
    professionals=("Therapist Maya Okafor, 555-0142", "988 Suicide & Crisis Lifeline"),
    means_safety="Sister keeps the spare medication; only a week's supply at home",
    reasons_for_living="My sister's kids and finishing my art portfolio",
)


def _typical() -> Plan:
    """CT-1001 of the demo, merged with the goal bank: the standard sample plan."""
    for result in read(ROOT / "inputs" / "counseltrack_wide.xlsx"):
        if result.plan is not None and result.plan.client.id == "CT-1001":
            plan = merge(result.plan, load_bank())[0]
            return plan.model_copy(update={"safety_plan": SAFETY_PLAN})
    raise AssertionError("CT-1001 not in the sample")


def _long(typical: Plan) -> Plan:
    """Six goals of the typical plan's kind, each with every objective twice."""
    data = json.loads(typical.model_dump_json())
    goals = []
    for n in range(6):
        goal = copy.deepcopy(data["goals"][n % len(data["goals"])])
        goal["id"] = f"L{n}"
        goal["objectives"] = [dict(o, id=f"L{n}.O{i}") for i, o in
                              enumerate(goal["objectives"] * 2)]  # fmt: skip
        goal["interventions"] = [dict(iv, id=f"L{n}.I{i}") for i, iv in
                                 enumerate(goal["interventions"])]  # fmt: skip
        goals.append(goal)
    data["goals"] = goals
    return Plan.model_validate(data)


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], tuple[bytes, bytes]]:
    typical = _typical()
    plans = {
        "short": Plan.model_validate(json.loads((TEST_DATA / "render" / "minimal.json")
                                                .read_text(encoding="utf-8"))),
        "typical": typical,
        "long": _long(typical),
    }  # fmt: skip
    docs = {}
    for size, plan in plans.items():
        for payer in PAYERS:
            docs[f"{size}.{payer}.docx"] = render_docx(plan, load_payer(payer), AGENCY, draft=True)
        docs[f"{size}.client-copy.docx"] = render_client_copy(plan, AGENCY)
    with PdfConverter() as converter:
        pdfs = converter.convert(docs)
    out = {}
    for name, data in docs.items():
        size, payer, _ = name.split(".")
        assert isinstance(pdfs[name], bytes), pdfs[name]
        out[(size, payer)] = (data, pdfs[name])
    return out


def _norm(word: str) -> str:
    return unicodedata.normalize("NFKC", word).strip("“”\"'‘’()[],.;:!?·–-/%")


def _vocabulary(docx: bytes) -> set[str]:
    words = set()
    for line in docx_lines(docx):
        for token in re.split(r"[\s/–-]+", unicodedata.normalize("NFKC", line)):
            words.add(_norm(token))
    return words


def _header_texts(docx: bytes) -> set[str]:
    """The text of every table's header row, as the PDF prints it (words joined by spaces)."""
    from docx import Document

    texts = set()
    for table in Document(io.BytesIO(docx)).tables:
        cells = [c.text for c in table.rows[0].cells]
        texts.add(" ".join(" ".join(cells).split()))
    return texts


CASES = [(size, payer) for size in ("short", "typical", "long") for payer in (*PAYERS,
         "client-copy")]  # fmt: skip


@needs_soffice
@pytest.mark.parametrize("size, payer", CASES, ids=lambda v: v)
def test_layout(rendered, size, payer) -> None:
    docx, pdf = rendered[(size, payer)]
    vocabulary = _vocabulary(docx)
    headers = _header_texts(docx)
    problems = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = document.pages
        assert len(pages) <= BOUNDS[payer][("short", "typical", "long").index(size)], len(pages)
        for number, page in enumerate(pages, start=1):
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
            for w in words:
                if w["x0"] < 0 or w["x1"] > page.width or w["top"] < 0 or w["bottom"] > page.height:
                    problems.append(f"page {number}: {w['text']!r} outside the page")
                token = _norm(w["text"])
                pieces = [_norm(t) for t in re.split(r"[/–-]+", token)]
                if any(re.search(r"[A-Za-z]{2,}", p) and p not in vocabulary for p in pieces):
                    problems.append(f"page {number}: {w['text']!r} is not a whole word")
            tables = page.find_tables()
            for table in tables:
                for cell in table.cells:
                    x0, top, x1, bottom = cell
                    for w in words:
                        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
                        if (
                            x0 < cx < x1
                            and top < cy < bottom
                            and (w["x0"] < x0 - 1 or w["x1"] > x1 + 1)
                        ):
                            problems.append(f"page {number}: {w['text']!r} leaves its cell")
            if number > 1 and tables:
                client_line = [w for w in words if w["text"] == "ID" and w["top"] < 150]
                body_top = max((w["bottom"] for w in client_line), default=0) + 2
                body = [w for w in words if body_top < w["top"] < page.height - 70]
                first = min(body, key=lambda w: w["top"]) if body else None
                table = min(tables, key=lambda t: t.bbox[1])
                if first is not None and table.bbox[1] <= first["top"] + 2:
                    row = table.extract()[0]
                    text = " ".join(" ".join(c or "" for c in row).split())
                    if text not in headers:
                        problems.append(f"page {number}: a continued table starts with {text!r}")
    assert not problems, "\n".join(problems[:20])
