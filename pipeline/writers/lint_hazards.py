"""Template constructs that reach outside the template, format text or make huge values.

Templates are data from outside. The sandbox (:mod:`pipeline.writers.sandbox`) refuses these
when a plan is rendered; :func:`hazards` finds them in the syntax tree beforehand, so
``txplan templates check`` names the place before any plan fails on it:

* ``TPL008`` ``{% include %}``, ``{% import %}``, ``{% from ... import %}``, ``{% extends %}``:
  a template is one file (the sandbox has no loader);
* ``TPL009`` format-string tricks: the ``format`` filter, ``.format(...)``/``.format_map``,
  ``attr('format')`` or ``attr('_...')``, ``'...' % value``: printf and ``str.format`` fields
  read attributes (``{0.__class__}``) and pad to any width;
* ``TPL010`` a ``range`` that is huge (over the sandbox's 100,000) or unbounded (its size is
  arithmetic the lint cannot bound), or nested loops over constant ranges whose iterations
  multiply past 100,000;
* ``TPL011`` constant-folding bombs: arithmetic on constants giving a number over 64 bits
  (``9**9**9``, ``10**(10**8)``) or text or a list over 100,000 items (``'a' * 10**9``), an
  exponent over 64, a multiplication by a constant over 100,000, or a filter given a number
  over 100,000 (``center(10**9)``). Nothing is ever computed beyond those bounds.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import MAX_RANGE

from pipeline.writers.sandbox import MAX_EXPONENT, MAX_REPEAT

#: A constant computation in a template beyond this many bits is no count, date or score.
MAX_CONSTANT_BITS = 64
FORMAT_METHODS = frozenset({"format", "format_map"})
#: Range arguments whose size the plan bounds (its lists hold at most ``plan_items``).
_DATA = (nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Const)

Problem = tuple[int, str, str]
#: A ``str.format`` field reaching into its argument: ``{0.__class__}``, ``{x[key]}``.
_FIELD_ACCESS = re.compile(r"\{[^{}]*[.\[][^{}]*\}")


class _Bomb(Exception):
    """A constant expression whose value would be too large to make."""


class _Unknown(Exception):
    """Not a constant expression (depends on the plan, or is not arithmetic)."""


def _bits(value: Any) -> int:
    return abs(value).bit_length() if isinstance(value, int) and not isinstance(value, bool) else 0


def _check_number(value: Any) -> Any:
    if _bits(value) > MAX_CONSTANT_BITS:
        digits = int((_bits(value) - 1) * 0.30103) + 1  # never str(): it may be huge
        raise _Bomb(f"a constant computation giving a {digits:,}-digit number")
    return value


def constant(node: nodes.Node) -> Any:
    """The value of a constant expression, computed only while it stays small; raises
    :class:`_Bomb` when it would not, :class:`_Unknown` when it is not constant."""
    if isinstance(node, nodes.Const):
        return _check_number(node.value)
    if isinstance(node, nodes.List | nodes.Tuple):
        return [constant(item) for item in node.items]
    if isinstance(node, nodes.Neg):
        return -constant(node.node)
    if isinstance(node, nodes.Pos):
        return constant(node.node)
    if isinstance(node, nodes.Concat):
        return "".join(str(constant(n)) for n in node.nodes)
    if isinstance(node, nodes.Pow):
        left, right = constant(node.left), constant(node.right)
        if isinstance(right, int) and right > MAX_EXPONENT:  # else at most 64 x 64 bits
            raise _Bomb(f"a power with an exponent of {right:,}")
        return _arith(lambda: left**right)
    if isinstance(node, nodes.Mul):
        left, right = constant(node.left), constant(node.right)
        for seq, count in ((left, right), (right, left)):
            sized = isinstance(seq, str | list) and isinstance(count, int) and count > 0
            if sized and len(seq) * count > MAX_REPEAT:
                raise _Bomb(f"text or a list repeated to {len(seq) * count:,} items")
        return _arith(lambda: left * right)
    if isinstance(node, nodes.Add | nodes.Sub | nodes.Div | nodes.FloorDiv):
        left, right = constant(node.left), constant(node.right)
        return _arith(lambda: _binary(node, left, right))
    raise _Unknown


def _binary(node: nodes.BinExpr, left: Any, right: Any) -> Any:
    if isinstance(node, nodes.Add):
        return left + right
    if isinstance(node, nodes.Sub):
        return left - right
    if isinstance(node, nodes.Div):
        return left / right
    return left // right


def _arith(compute: Any) -> Any:
    try:
        return _check_number(compute())
    except (TypeError, ZeroDivisionError, OverflowError, ValueError) as exc:
        raise _Unknown from exc


def _fold(node: nodes.Node) -> tuple[Any, str | None]:
    """(value or None, bomb message or None) of an expression."""
    try:
        return constant(node), None
    except _Bomb as exc:
        return None, str(exc)
    except _Unknown:
        return None, None


def _range_size(call: nodes.Call) -> tuple[int | None, str | None]:
    """(constant size, problem) of a ``range(...)`` call."""
    values = []
    for arg in call.args:
        value, bomb = _fold(arg)
        if bomb:
            return None, None  # reported as TPL011 where it is computed
        if value is None:
            filtered = isinstance(arg, nodes.Filter) and arg.name in ("length", "count")
            if not (filtered or isinstance(arg, _DATA)):
                return None, ("range() of a computed size the lint cannot bound; loop over the "
                              "plan's lists, or give range a number")  # fmt: skip
            return None, None
        values.append(value)
    try:
        size = len(range(*values))
    except (TypeError, ValueError, OverflowError):
        return None, None  # a wrong range: the render says so
    if size > MAX_RANGE:
        return size, f"range() of {size:,} items (the sandbox allows {MAX_RANGE:,})"
    return size, None


class _Hazards:
    def __init__(self) -> None:
        self.found: dict[Problem, None] = {}

    def add(self, node: nodes.Node, code: str, message: str) -> None:
        self.found[(node.lineno, code, message)] = None

    def visit(self, node: nodes.Node, loops: int = 1) -> None:
        if isinstance(node, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends):
            tag = _TAGS[type(node)]
            self.add(node, "TPL008", f"{{% {tag} %}} is not allowed: a template is one file "
                                     "(the sandbox loads no other); copy the text in")  # fmt: skip
        elif isinstance(node, nodes.Filter | nodes.Call | nodes.Mod):
            self.format_trick(node)
        if isinstance(node, nodes.Filter):
            self.filter_args(node)
        if isinstance(node, nodes.Pow | nodes.Mul):
            self.arithmetic(node)
        if isinstance(node, nodes.Call) and _is_range(node):
            size, problem = _range_size(node)
            if problem:
                self.add(node, "TPL010", problem)
        if isinstance(node, nodes.For):
            size = _range_size(node.iter)[0] if _is_range(node.iter) else None
            inner = loops * (size or 1)
            if size and loops > 1 and inner > MAX_RANGE:
                self.add(node, "TPL010", f"nested loops over ranges make {inner:,} iterations "
                                         f"(the sandbox allows {MAX_RANGE:,} a range)")  # fmt: skip
            self.visit(node.iter, loops)
            for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
                self.visit(child, inner)
            return
        for child in node.iter_child_nodes():
            self.visit(child, loops)

    def format_trick(self, node: nodes.Node) -> None:
        text = None
        if isinstance(node, nodes.Filter) and node.name == "format":
            text, how = node.node, "the format filter"
        elif isinstance(node, nodes.Filter) and node.name == "attr":
            name, _ = _fold(node.args[0]) if node.args else (None, None)
            if isinstance(name, str) and name.startswith("_"):
                self.add(node, "TPL004", f"attr({name!r}): attributes starting with _ are not "
                                         "allowed (sandbox)")  # fmt: skip
            if name not in FORMAT_METHODS:
                return
            how = f"attr({name!r})"
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            if node.node.attr not in FORMAT_METHODS:
                return
            text, how = node.node.node, f".{node.node.attr}()"
        elif isinstance(node, nodes.Mod) and isinstance(node.left, nodes.Const | nodes.Concat):
            if not isinstance(_fold(node.left)[0], str):
                return
            text, how = node.left, "'...' % value"
        else:
            return
        pattern, _ = _fold(text) if text is not None else (None, None)
        reads = isinstance(pattern, str) and bool(_FIELD_ACCESS.search(pattern))
        detail = " (its fields read attributes)" if reads else ""
        self.add(node, "TPL009", f"{how}{detail}: format strings can read attributes and pad to "
                                 "any width; print the value, or use round, int or ~")  # fmt: skip

    def filter_args(self, node: nodes.Filter) -> None:
        for arg in (*node.args, *(k.value for k in node.kwargs)):
            value, bomb = _fold(arg)
            if bomb is None and isinstance(value, int) and abs(value) > MAX_REPEAT:
                self.add(node, "TPL011", f"filter {node.name} given {value:,} (the sandbox allows "
                                         f"{MAX_REPEAT:,}); a folding bomb")  # fmt: skip

    def arithmetic(self, node: nodes.Pow | nodes.Mul) -> None:
        value, bomb = _fold(node)
        if bomb:
            self.add(node, "TPL011", f"{bomb}: a constant-folding bomb")
        if bomb or value is not None:
            return  # a constant is judged by its value alone
        for side in (node.left, node.right):
            value, inner = _fold(side)
            if inner or not isinstance(value, int):
                continue
            if isinstance(node, nodes.Pow) and side is node.right and value > MAX_EXPONENT:
                self.add(node, "TPL011", f"an exponent of {value:,} (the sandbox allows "
                                         f"{MAX_EXPONENT}); a folding bomb")  # fmt: skip
            elif isinstance(node, nodes.Mul) and abs(value) > MAX_REPEAT:
                self.add(node, "TPL011", f"a multiplication by {value:,}: text or a list times "
                                         "that is a folding bomb")  # fmt: skip


_TAGS = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from ... import",
         nodes.Extends: "extends"}  # fmt: skip


def _is_range(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Name)
        and node.node.name == "range"
    )


def hazards(tree: nodes.Template) -> list[Problem]:
    """(line, code, message) of every hazard in a parsed template, in order of appearance."""
    walker = _Hazards()
    walker.visit(tree)
    return sorted(walker.found, key=lambda p: p[0])


__all__ = ["MAX_CONSTANT_BITS", "constant", "hazards"]
