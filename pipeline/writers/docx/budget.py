"""How long each printed value of a main document may be with none of its table rows tall.

The tall-row pass (:mod:`.rows`) estimates every kept-whole row of a rendering and frees one
estimated taller than a fifth of the page. Most plans have no such row: a row is tall only
when a value printed in one of its cells is long. :func:`budgets` reads once, from a proven
template (:mod:`.proof`), the longest text each printed value may be with no row of any
rendering over the limit; the renderer compiles that length into the value's output
(``environment.measured(value, budget)``, see :func:`.proof.checking`), and a sound rendering
in which no value was longer than its budget needs no scan: no row can be freed.

Why that holds, for a sound rendering (every ``<`` of it from the literal text, no newline):

- The template is read as *texts*: its top level and every branch of a ``for`` or ``if`` on
  its own, each value a placeholder, each block a marker. Every row (``<w:tr`` + space or
  ``>`` up to the first ``</w:tr>``, as the pass finds them) lies whole in one text and holds
  no block (else no budgets): a rendered row is one of them with its values printed, since
  nothing printed holds ``<``. A ``<w:tr`` left without its end gives no budgets.
- A row's estimate is its tallest cell's, a cell's the sum of its paragraphs', each from the
  length of the text of its ``<w:t>`` elements (an entity counted as one character), its
  font sizes and its cell's width: sizes and widths come from the literal markup (a value
  inside a tag in a row gives no budgets), and a longer text never gives fewer lines. So a
  cell whose values are each at most ``n`` characters is at most as tall as the cell with
  each value ``n`` letters long; an escaped value is at least as long as it counts.
- Each value in a cell of a row gets the longest ``n`` (at most :data:`MOST`) with that cell
  within the limit; a value outside every row's cells gets none (it is not measured). A cell
  over the limit with its values empty gives no budgets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jinja2 import nodes

from pipeline.writers.docx.estimate import cell_height
from pipeline.writers.sandbox import BUDGET

#: The attribute a printed value's node carries its budget in (read by the code generator).
KEY = BUDGET
#: The longest budget looked for (a value of any length under it fits: no budget).
MOST = 1 << 14
#: The most printed values a template, and one of its cells, may have budgets for (bounds on
#: the work done once per template).
MOST_SITES, MOST_IN_CELL = 4096, 64
_SITE, _BLOCK = "\x00", "\x01"  # (characters XML forbids: none is in a proven template)
_ROW = re.compile(r"<w:tr[ >].*?</w:tr>", re.S)
_ROW_START = re.compile(r"<w:tr[ >]")


class _Unbounded(Exception):
    pass


def sites(tree: nodes.Template) -> list[nodes.Node]:
    """The printed values of a template (every child of an output that is not literal text),
    in the order :meth:`~jinja2.nodes.Node.find_all` gives them."""
    return [child for output in tree.find_all(nodes.Output) for child in output.nodes
            if type(child) is not nodes.TemplateData]  # fmt: skip


def _texts(body: Sequence[nodes.Node], found: list[tuple[str, list[nodes.Node]]]) -> None:
    """Add the text of ``body`` (values and blocks as placeholders) and of each branch of
    each of its blocks to ``found``, with the values of each text in order."""
    out: list[str] = []
    values: list[nodes.Node] = []
    for node in body:
        if type(node) is nodes.Output:
            for child in node.nodes:
                if type(child) is nodes.TemplateData:
                    if _SITE in child.data or _BLOCK in child.data:
                        raise _Unbounded("a placeholder character in the text")
                    out.append(child.data)
                else:
                    out.append(_SITE)
                    values.append(child)
        elif type(node) is nodes.For and not node.recursive:
            out.append(_BLOCK)
            for branch in (node.body, node.else_):
                _texts(branch, found)
        elif type(node) is nodes.If:
            out.append(_BLOCK)
            for branch in (node.body, *(e.body for e in node.elif_), node.else_):
                _texts(branch, found)
        else:
            raise _Unbounded(type(node).__name__)
    found.append(("".join(out), values))


def _in_tag(text: str, at: int) -> bool:
    return text.rfind("<", 0, at) > text.rfind(">", 0, at)


def _cells(row: str) -> list[tuple[int, int]]:
    """Where the cells of a row are, as the estimate finds them (the shortest from each)."""
    found, cell = [], row.find("<w:tc>")
    while cell != -1:
        close = row.find("</w:tc>", cell + 6)
        if close == -1:
            break
        found.append((cell, close + 7))
        cell = row.find("<w:tc>", close + 7)
    return found


def _longest(cell: str, limit: float) -> int:
    """The longest text (at most :data:`MOST`) each value of ``cell`` (placeholders) may
    print with the cell's estimate within ``limit``."""

    def height(n: int) -> float:
        return cell_height(cell.replace(_SITE, "x" * n))

    if height(0) > limit:
        raise _Unbounded("a cell over the limit with its values empty")
    low, high = 0, 1  # height(low) within the limit; then height(high) over it
    while height(high) <= limit:
        if high >= MOST:
            return MOST
        low, high = high, 2 * high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if height(middle) <= limit else (low, middle)
    return low


def _text_budgets(text: str, values: list[nodes.Node], limit: float,
                  budget: dict[int, int]) -> None:  # fmt: skip
    """Each value's budget in one text (by the value node's id)."""
    positions = [i for i, c in enumerate(text) if c == _SITE]
    end = 0
    for match in _ROW.finditer(text):
        row, start = match.group(0), match.start()
        if _BLOCK in row:
            raise _Unbounded("a block inside a table row")
        for cell_start, cell_end in _cells(row):
            cell = row[cell_start:cell_end]
            if _SITE not in cell:
                if cell_height(cell) > limit:
                    raise _Unbounded("a cell over the limit whatever the values")
                continue
            if cell.count(_SITE) > MOST_IN_CELL:
                raise _Unbounded("too many values in one cell")
            longest = _longest(cell, limit)
            for index, at in enumerate(positions):
                if start + cell_start <= at < start + cell_end:
                    if _in_tag(text, at):
                        raise _Unbounded("a value inside a tag of a table row")
                    budget[id(values[index])] = longest
        for at in positions:
            if start <= at < match.end() and _in_tag(text, at):
                raise _Unbounded("a value inside a tag of a table row")
        end = match.end()
    if _ROW_START.search(text, end):
        raise _Unbounded("a table row without its end in one text")


def budgets(tree: nodes.Template, limit: float) -> list[int | None] | None:
    """The budget of each printed value of ``tree`` (in :func:`sites` order; None: any length),
    for a rendering's rows to stay within ``limit`` twips; None when no budgets can be given
    (see the module's docstring)."""
    found: list[tuple[str, list[nodes.Node]]] = []
    budget: dict[int, int] = {}
    if len(sites(tree)) > MOST_SITES:
        return None
    try:
        _texts(tree.body, found)
        for text, values in found:
            _text_budgets(text, values, limit, budget)
    except _Unbounded:
        return None
    return [budget.get(id(site)) for site in sites(tree)]


def annotate(tree: nodes.Template, given: Sequence[int | None]) -> int:
    """Set each printed value's budget on its node (:data:`KEY`); how many have one."""
    values = sites(tree)
    if len(values) != len(given):
        raise ValueError("budgets for another template")
    for node, budget in zip(values, given, strict=True):
        if budget is not None:
            setattr(node, KEY, budget)
    return sum(b is not None for b in given)


__all__ = ["KEY", "MOST", "MOST_IN_CELL", "MOST_SITES", "annotate", "budgets", "sites"]
