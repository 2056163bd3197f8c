"""Whether docxtpl's ``fix_tables`` can change a body: decided per template, else per plan.

docxtpl re-parses every rendered body with lxml to fix table grids after column loops; the
fast path skips that when it is provably a no-op: :func:`fixed_structure` proves it once
per template (no plan can change a table's shape), :func:`tables_need_fix` per plan.
"""

from __future__ import annotations

import re
from itertools import repeat
from operator import add

import jinja2
from jinja2 import nodes

_TBL = re.compile(r"<w:tbl[ >/]")
_SPAN = re.compile(r'<w:gridSpan w:val="([^"]*)"')
#: What the cheap count does not judge: nested tables, cells in content controls, empty
#: elements, tracked grid changes.
_UNUSUAL = ("<w:tbl>", "<w:tbl ", "<w:sdt", "GridChange", "<w:tc/>", "<w:tr/>")


def _width(row: str) -> int | None:
    """A row's cells counted with their spans; None for a span that is not a number."""
    cells = row.count("<w:tc>") + row.count("<w:tc ")
    for span in _SPAN.findall(row):
        if not span.isdigit():
            return None
        cells += int(span) - 1
    return cells


def tables_need_fix(xml: str) -> bool:
    """Whether docxtpl's ``fix_tables`` could change any table of this rendered body.

    It changes a table when a row has more cells than the grid has columns, or when no row
    spans all the grid's columns. What this count cannot judge exactly (see ``_UNUSUAL``, a
    span that is not a number) answers True: the caller then runs docxtpl's own fix_tables.
    """
    pos = 0
    while (start := _TBL.search(xml, pos)) is not None:
        end = xml.find("</w:tbl>", start.end())
        if end < 0 or start.group(0).endswith("/"):
            return True
        table = xml[start.end() : end]
        if "<w:tblGrid" not in table or any(mark in table for mark in _UNUSUAL):
            return True
        columns = table.count("<w:gridCol")
        *rows, tail = table.split("</w:tr>")
        if "<w:tc" in tail:
            return True
        if not rows:
            if columns:
                return True
            pos = end
            continue
        cells = list(map(add, map(str.count, rows, repeat("<w:tc>")),
                         map(str.count, rows, repeat("<w:tc "))))  # fmt: skip
        if max(cells) > columns:
            return True
        if "gridSpan" in table:
            widths = [_width(r) for r in rows]
            if None in widths or max(w or 0 for w in widths) < columns:
                return True
        elif max(cells) < columns:
            return True
        pos = end
    return False


_TABLE = re.compile(r"<w:tbl>(.*?)</w:tbl>", re.DOTALL)
_TAG = re.compile(r"\{%[-+]?\s*(\w+)")
_BLOCKS = {"for": "endfor", "if": "endif"}
_INNER = {"else", "elif"}


def _balanced(text: str) -> bool:
    """Only for/if blocks (with else/elif), each closed within ``text``."""
    depth, names = 0, _TAG.findall(text)
    if len(names) != text.count("{%"):
        return False
    for name in names:
        if name in _BLOCKS:
            depth += 1
        elif name in _BLOCKS.values():
            depth -= 1
            if depth < 0:
                return False
        elif name not in _INNER:
            return False
    return depth == 0


def _fixed_table(region: str) -> bool:
    """A table source whose rendered shape fix_tables never changes, whatever the plan.

    Jinja may only sit between rows (row loops and conditions, balanced inside the table)
    or in ``{{ }}`` values; then every rendered row is a copy of a source row. None may hold
    more cells than the grid has columns, and the first row (always rendered, nothing
    precedes it) must span the whole grid.
    """
    if "{#" in region or any(mark in region for mark in _UNUSUAL) or "<w:tblGrid" not in region:
        return False
    *rows, _tail = region.split("</w:tr>")
    if not rows or not _balanced(region):
        return False
    columns = region.count("<w:gridCol")
    widths = []
    for piece in rows:
        start = piece.find("<w:tr")
        row = piece[start:]
        if start < 0 or "{%" in row or (not widths and "{%" in piece):
            return False
        width = _width(row)
        if width is None or row.count("<w:tc>") + row.count("<w:tc ") > columns:
            return False
        widths.append(width)
    return widths[0] >= columns


def fixed_structure(
    source: str, env: jinja2.Environment, tree: nodes.Template | None = None
) -> bool:
    """Whether no plan can make docxtpl's fix_tables change this patched body source.

    True when every table passes :func:`_fixed_table` and no value can bring its own
    markup (no ``safe`` filter, no ``autoescape`` block). ``tree``: the source as parsed by
    ``env``, if the caller has it (it is read, not changed).
    """
    tree = env.parse(source) if tree is None else tree
    if any(f.name == "safe" for f in tree.find_all(nodes.Filter)):
        return False
    if any(True for _ in tree.find_all(nodes.ScopedEvalContextModifier)):
        return False
    tables = _TABLE.findall(source)
    if len(tables) != len(_TBL.findall(source)):
        return False
    return all(_fixed_table(region) for region in tables)
