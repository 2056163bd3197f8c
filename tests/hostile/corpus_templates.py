"""Hostile inputs of two more kinds: agency templates (``txplan templates check``) and files
caught half-written in a watched folder (``txplan watch --once``)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

from tests.hostile.corpus import HEADER, Case, _csv, _intake, _row, _zip

#: Template text, one Word paragraph each: what an agency could type into its template.
TEMPLATES: dict[str, list[str]] = {
    "include": ['{% include "/etc/passwd" %}'],
    "import": ['{% import "macros.docx" as m %}{{ m.x() }}'],
    "from-import": ['{% from "x" import y %}'],
    "extends": ['{% extends "base.docx" %}'],
    "format-filter": ['{{ "%s %s"|format(client.name, client.id) }}'],
    "format-attrs": ['{{ "{0.__class__.__init__.__globals__}".format(client) }}'],
    "format-width": ['{{ "{:>1000000000}".format(1) }}'],
    "format-map": ["{{ client.name.format_map(client) }}"],
    "attr-format": ['{{ ""|attr("format") }}'],
    "attr-dunder": ['{{ client|attr("__class__")|attr("__mro__") }}'],
    "percent": ['{{ "%s%s%s" % (client.name, 1, 2) }}'],
    "dunder": ["{{ ''.__class__.__mro__[1].__subclasses__() }}"],
    "item-dunder": ["{{ client['__class__'] }}"],
    "range-huge": ["{{ range(10**9)|list }}"],
    "range-computed": ["{{ range(goals|length * 1000000)|list }}"],
    "range-nested": [
        "{% for i in range(5000) %}{% for j in range(5000) %}x{% endfor %}{% endfor %}"
    ],  # fmt: skip
    "pow-pow": ["{{ 9**9**9 }}"],
    "pow-huge": ["{{ 10**(10**8) }}"],
    "repeat": ["{{ 'a' * 10**9 }}"],
    "repeat-list": ["{{ [0] * 10**8 }}"],
    "mul-literals": ["{{ 99999999999 * 99999999999 * 99999999999 * 99999999999 }}"],
    "mul-variable": ["{{ client.name * 1000000000 }}"],
    "center": ["{{ client.name|center(10**9) }}"],
    "indent": ["{{ client.name|indent(width=10**9) }}"],
    "set-bomb": ["{% set x = 'a' * 10**9 %}{{ x }}"],
    "literal-5000-digits": ["{{ " + "9" * 5000 + " }}"],
    "deep-parens": ["{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}"],
    "long-sum": ["{{ " + "+".join(["1"] * 20000) + " }}"],
    "deep-loops": ["{% for a in goals %}" * 200 + "x" + "{% endfor %}" * 200],
    "deep-ifs": ["{% if true %}" * 2000 + "x" + "{% endif %}" * 2000],
    "macro-recursion": ["{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"],
    "recursive-loop": ["{% for g in goals recursive %}{{ loop(goals) }}{% endfor %}"],
    "globals": ["{{ lipsum(10**6) }}{{ cycler(1) }}{{ joiner() }}{{ namespace() }}"],
    "unclosed": ["{% for g in goals %}", "{{ g.id }}"],
    "raw-unclosed": ["{% raw %}{{ client.name }}"],
    "paragraph-tags": ["{%p for g in goals %}", "{%p for o in g.objectives %}", "{%p endfor %}"],
    "const-string-1mb": ["{{ '" + "a" * 1_000_000 + "' }}"],
    "paragraphs-20000": ["{{ client.name }}"] * 20_000,
    "control-chars": ["{{ client.name }}\x0b\x1b{{ '\x00' }}"],
    "bidi": ["{{ client.\u202ename }}"],
}


def _template(paragraphs: list[str]) -> Callable[[], bytes]:
    def make() -> bytes:
        from docx import Document

        def xml_safe(text: str) -> str:  # python-docx refuses what XML cannot hold
            return "".join(c for c in text if c >= " " or c in "\t\n")

        doc = Document()
        for text in paragraphs:
            doc.add_paragraph(xml_safe(text))
        doc.sections[0].header.paragraphs[0].text = xml_safe(paragraphs[0][:2000])
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    return make


def template_cases() -> Iterator[Case]:
    for name, paragraphs in TEMPLATES.items():
        yield Case(f"template-{name}", "template", {"t.docx": _template(paragraphs)},
                   ("templates", "check", "{f}"),
                   fast=name in ("pow-pow", "format-attrs", "range-nested"))  # fmt: skip
    yield Case("template-not-a-docx", "template", {"t.docx": lambda: b"PK\x03\x04 not a zip"},
               ("templates", "check", "{f}"))  # fmt: skip


# --- files a watched folder sees before their writer has finished -------------------------

_WHOLE = _csv([HEADER, _row(), _row(**{"Client ID": "H-002"})]) + b"\r\n"


def _xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in ([*HEADER], _row(), _row(**{"Client ID": "H-002"})):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WATCHED: dict[str, tuple[str, Callable[[], bytes]]] = {
    "csv-cut-mid-row": ("x.csv", lambda: _WHOLE[: _WHOLE.index(b"H-002") + 8]),
    "csv-cut-in-quote": ("x.csv", lambda: _WHOLE.rstrip() + b',"and then'),
    "csv-cut-at-row-end": ("x.csv", lambda: _WHOLE[: _WHOLE.index(b"H-002")]),
    "csv-whole": ("x.csv", lambda: _WHOLE),
    "csv-header-only-cut": ("x.csv", lambda: b"Client ID,First Na"),
    "xlsx-half": ("x.xlsx", lambda: _xlsx_bytes()[: len(_xlsx_bytes()) // 2]),
    "xlsx-no-directory": ("x.xlsx", lambda: _xlsx_bytes()[:-22]),
    "xlsx-whole": ("x.xlsx", _xlsx_bytes),
    "json-cut": ("x.json", lambda: b'{"client": {"id": "W-1", "first_name": "An'),
    "jsonl-cut": ("x.jsonl", lambda: b'{"client": {"id": "W-1"}}\n{"client": {"id'),
    "pdf-no-eof": ("x.pdf", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"),
    "docx-half": ("x.docx", lambda: _zip({"word/document.xml": b"<w:document/>" * 1000})[:500]),
    "csv-nul-tail": ("x.csv", lambda: _WHOLE + b"\x00" * 4096),
    "intake-cp1252-cut": ("x.csv", lambda: _intake(**{"First Name": "Jos\xe9"})[:-7]),
}


def watch_cases() -> Iterator[Case]:
    for name, (file, maker) in WATCHED.items():
        yield Case(f"watch-{name}", "watch", {f"inbox/{file}": maker},
                   ("watch", "inbox", "-o", "out", "--once", "--settle", "0", "--interval",
                    "0.1", "--payer", "clinical", "--agency", "riverside", "--workers", "1",
                    "--store", "s.sqlite3"),
                   fast=name == "csv-cut-mid-row")  # fmt: skip
