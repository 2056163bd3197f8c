"""Text lint of a rendered document (DOCX or PDF): what a reader must never see printed.

Each line of the document's text (a DOCX paragraph or table cell, headers and footers
included; a PDF line as pdfplumber reads it) is checked for doubled punctuation (".;"),
empty or doubled quotes, a bare label ("Onset:" with nothing after it), leaked "None",
"null" or template tags, trailing separators, an objective dated twice ("by … (by …)"), and
the whole document for more than one date format. The tests run it on every document they
render (tests/conftest.py).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_KINDS = {
    "long": re.compile(rf"\b(?:{_MONTHS}) \d{{1,2}}, \d{{4}}\b"),
    "short": re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"),
    "iso": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
}
_ABBREVIATION = r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)"
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "doubled punctuation",
        re.compile(
            _ABBREVIATION + r"[.;,:]\s*[;,]|[;,]\s*\.(?!\.)"
            r"|(?<!\.)\.\.(?!\.)|;\s*;|:\s*:"
        ),
    ),  # fmt: skip
    ("empty quotes", re.compile(r"“\s*”|‘\s*’|(?<!\w)\"\s*\"(?!\w)|“\s*\"\s*”")),
    ("doubled quotes", re.compile(r"[“\"]\s*[\"“]|[\"”]\s*[”\"]")),
    ("empty brackets", re.compile(r"\(\s*\)|\[\s*\]")),
    ("leaked value", re.compile(r"\b(?:None|null|nan|undefined)\b(?! [a-z])|\{\{|\}\}|\{%|%\}")),
    ("separator before a bracket", re.compile(r"[,;:]\s*\)|\(\s*[,;:]")),
    ("bare label", re.compile(r"^\s*[A-Z][\w'’ /()-]{0,40}:\s*$")),
    (
        "dated twice",
        re.compile(
            rf"\bby (?:{'|'.join(k.pattern for k in DATE_KINDS.values())})"
            r"[^()]{0,80}\((?:by|target date) "
        ),
    ),  # fmt: skip
)
#: Only where a line is a whole paragraph (DOCX): a PDF line may wrap after any comma.
PARAGRAPH_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("trailing separator", re.compile(r"^(?!(?:Hello|Dear|Hi) )(?:.*[,;·|]|.*\s[-–/])\s*$")),
)


def line_problems(line: str, *, paragraph: bool = True) -> list[str]:
    """What is wrong with one printed line (empty: nothing); ``paragraph``: the line is a
    whole paragraph, not a line a PDF wrapped."""
    rules = RULES + PARAGRAPH_RULES if paragraph else RULES
    return [f"{name}: {line.strip()[:120]!r}" for name, rule in rules if rule.search(line)]


def text_problems(lines: Iterable[str], *, paragraphs: bool = True) -> list[str]:
    """Every problem of a document's lines, and its date formats if it mixes them."""
    problems: list[str] = []
    kinds: dict[str, str] = {}
    for line in lines:
        line = unicodedata.normalize("NFKC", line).replace("\u00a0", " ")
        problems += line_problems(line, paragraph=paragraphs)
        for kind, rule in DATE_KINDS.items():
            found = rule.search(line)
            if found and kind not in kinds:
                kinds[kind] = found.group(0)
    if len(kinds) > 1:
        problems.append("mixed date formats: " + ", ".join(f"{k} ({v})" for k, v in kinds.items()))
    return problems


def _paragraph_text(p: etree._Element) -> str:
    out = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}fldSimple"):
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.tag != f"{W}fldSimple":
            out.append(" ")
    return "".join(out)


def docx_lines(data: bytes) -> list[str]:
    """Every paragraph's text (body, table cells, headers, footers), one a line."""
    lines = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = [n for n in z.namelist()
                 if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]  # fmt: skip
        for name in sorted(parts):
            root = etree.fromstring(z.read(name))
            lines += [_paragraph_text(p) for p in root.iter(f"{W}p")]
    return [line for line in lines if line.strip()]


def pdf_lines(data: bytes) -> list[str]:
    """Every printed line of a PDF as pdfplumber reads it."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]


def lint_document(data: bytes) -> list[str]:
    """Problems of a rendered DOCX or PDF (told apart by their first bytes)."""
    if data[:5] == b"%PDF-":
        return text_problems(pdf_lines(data), paragraphs=False)
    return text_problems(docx_lines(data))
