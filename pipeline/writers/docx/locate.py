"""Where a template error is: template, part and Word paragraph, from a Jinja traceback."""

from __future__ import annotations

import re
import types


def template_line(exc: BaseException) -> int | None:
    """The line of the compiled part a Jinja error happened on (from the rewritten traceback)."""
    lineno = getattr(exc, "lineno", None)
    tb: types.TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


def locate(template: str, part: str, xml: str | None, lineno: int | None) -> str:
    """``template, part word/document.xml, paragraph 12 ("Goal {{ g.numbr }}")``.

    docxtpl puts every ``<w:p>`` on its own line before compiling, so line N of a part is its
    paragraph N-1 (table cells included, in document order).
    """
    where = f"{template}, part {part}"
    if lineno is None or lineno < 2:
        return where
    where += f", paragraph {lineno - 1}"
    if xml is not None:
        lines = xml.split("\n")
        if lineno - 1 < len(lines):
            text = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()
            if text:
                where += f' ("{text[:70]}")'
    return where
