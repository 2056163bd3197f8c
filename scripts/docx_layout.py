"""Table and page-flow rules every generated template follows (python-docx + raw WordprocessingML).

A table gets fixed column widths chosen for its content (text columns wide, codes, numbers
and dates narrow), a header row Word and LibreOffice repeat on every page (``w:tblHeader``),
rows that do not split across pages (``w:cantSplit``) and no automatic hyphenation, so no
word is broken inside. A block that must stay on one page (a signature block) keeps every
row with the next, and headings keep with what follows.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm
from docx.table import Table, _Row

#: Usable width of a Letter page with the house margins (1.8 cm each side), portrait / landscape.
PORTRAIT_CM = 21.59 - 3.6
LANDSCAPE_CM = 27.94 - 3.6


def _tr_pr(row: _Row):  # noqa: ANN202 - python-docx's CT_TrPr
    return row._tr.get_or_add_trPr()


def header_row(row: _Row) -> None:
    """Repeat this row atop every page the table runs onto; never split it."""
    pr = _tr_pr(row)
    if pr.find(qn("w:tblHeader")) is None:
        pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    keep_row(row)


def keep_row(row: _Row) -> None:
    """A row stays on one page (unless it is taller than a page)."""
    pr = _tr_pr(row)
    if pr.find(qn("w:cantSplit")) is None:
        pr.insert(0, parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))


def widths(table: Table, columns_cm: Sequence[float]) -> None:
    """Fixed layout with these column widths (grid and every cell), rows kept whole."""
    if len(columns_cm) != len(table.columns):
        raise ValueError(f"{len(columns_cm)} widths for {len(table.columns)} columns")
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        tbl_pr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    total = parse_xml(f'<w:tblW {nsdecls("w")} w:w="{_twips(sum(columns_cm))}" w:type="dxa"/>')
    old = tbl_pr.find(qn("w:tblW"))
    if old is not None:
        tbl_pr.replace(old, total)
    else:
        tbl_pr.append(total)
    for col, cm in zip(table.columns, columns_cm, strict=True):
        col.width = Cm(cm)
    for row in table.rows:
        keep_row(row)
        for cell, cm in zip(row.cells, columns_cm, strict=True):
            cell.width = Cm(cm)


def _twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


def fit(weights: Sequence[float], total_cm: float) -> list[float]:
    """Column widths in proportion to ``weights`` filling ``total_cm`` (rounded to 0.01 cm)."""
    scale = total_cm / sum(weights)
    cols = [round(w * scale, 2) for w in weights]
    cols[max(range(len(cols)), key=cols.__getitem__)] += round(total_cm - sum(cols), 2)
    return cols


def keep_with_next(cell_or_doc_paragraphs: Sequence) -> None:  # noqa: ANN001
    """Each paragraph stays on the page of the one after it."""
    for paragraph in cell_or_doc_paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def keep_table(table: Table) -> None:
    """The whole table stays on one page with what precedes it: every row's paragraphs keep
    with the next (Word and LibreOffice both honour it; nesting tables would cost the fast
    renderer its proof that no table needs fixing)."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            keep_with_next(cell.paragraphs)


def no_hyphenation(doc) -> None:  # noqa: ANN001
    """Words are never hyphenated automatically (settings ``w:autoHyphenation`` off)."""
    settings = doc.settings.element
    node = settings.find(qn("w:autoHyphenation"))
    if node is None:
        settings.append(parse_xml(f'<w:autoHyphenation {nsdecls("w")} w:val="false"/>'))
