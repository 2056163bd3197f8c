"""What of the context a template reads: the keys its Jinja reaches, found once per template.

:func:`fields_used` walks a compiled template's syntax tree and records, for each context
variable, the keys (``client.name``, ``goals[].objectives[].text``) the template reaches by
attribute or constant subscript, through loops and constant indexes into lists. Any other
use of a value (printed, compared, given to a filter, a call or a ``set``; a key that is
not a constant; a dict or list method) needs all of it: :data:`WHOLE`; a dict looped over
or tested for truth is read whole too, a list so used keeps its length. Whatever the walk
cannot follow (macros, includes, blocks, ``with``, a ``set`` of a context variable's or
loop variable's name, recursive loops...) gives up: None, the whole context. The DOCX fast
path then makes and tidies only what the template reads (``build_context(fields=...)``,
:func:`pipeline.writers.wording.tidy_used`); a key the walk missed would be undefined
(strict), and the stock path would render that plan from the whole context, correctly.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from jinja2 import nodes

#: The whole value is read (a Fields node that is this value keeps everything).
WHOLE = None
#: Attributes Jinja finds on a dict or a list before any item: reading one reads all. A
#: string's (``s.title``, ``s.upper``) are not among them: on a dict they are its items, and a
#: string (a number, None) is never cut, whatever is read of it.
_METHODS = frozenset(dir(dict)) | frozenset(dir(list))


#: :attr:`Fields.each` of a value whose items are not read (or that is not a list).
NOT_READ: Any = type("NotRead", (), {"__repr__": lambda self: "NOT_READ"})()
#: The key of a list's items in a :class:`_Ref`.
_ITEMS: Any = type("Items", (), {})()


class Fields(dict):
    """The keys read of one value: key -> :class:`Fields` or :data:`WHOLE`; ``each``: what
    is read of a list's items (:data:`NOT_READ`, :data:`WHOLE` or Fields); ``iterated``:
    the value is looped over or tested for truth (a dict then is read whole; a list keeps
    its length whatever is left out of its items)."""

    iterated = False
    each: Any = NOT_READ

    def reads(self, path: tuple[str, ...]) -> bool:
        """:func:`reads` of these fields, each path's answer kept (a template's fields are
        complete once :func:`fields_used` returns them, and never change after)."""
        known = self.__dict__.get("known")
        if known is None:
            known = self.known = {}
        answer = known.get(path)
        if answer is None:
            answer = known[path] = reads(self, path)
        return answer


class GiveUp(Exception):
    """A construct the walk does not follow: the template reads the whole context."""


class _Ref:
    """A place in the usage tree: ``parent[key]`` (a root name when ``parent`` is the root),
    or the items of ``parent`` (key :data:`_ITEMS`)."""

    __slots__ = ("parent", "key")

    def __init__(self, parent: Fields, key: Any) -> None:
        self.parent, self.key = parent, key

    def node(self) -> Fields | None:
        """The Fields of this place (made on first use); None when it is read whole."""
        if self.key is _ITEMS:
            if self.parent.each is NOT_READ:
                self.parent.each = Fields()
            return self.parent.each
        if self.key not in self.parent:
            self.parent[self.key] = Fields()
        return self.parent[self.key]

    def whole(self) -> None:
        if self.key is _ITEMS:
            self.parent.each = WHOLE
        else:
            self.parent[self.key] = WHOLE

    def items(self) -> _Ref | None:
        """The place of this value's items (None when it is read whole)."""
        node = self.node()
        return None if node is WHOLE else _Ref(node, _ITEMS)


class _Loop:
    """The ``loop`` of a for loop: ``loop.previtem`` and ``loop.nextitem`` are its items."""

    __slots__ = ("items",)

    def __init__(self, items: _Ref | None) -> None:
        self.items = items


class _Walker:
    def __init__(self, names: Iterable[str]) -> None:
        self.root = Fields()
        self.names = frozenset(names)

    def ref(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        """The place an expression reads (a _Ref, a _Loop) or None: not a context value."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            return _Ref(self.root, node.name) if node.name in self.names else None
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            base = self.ref(node.node, scope)
            arg = node.attr if isinstance(node, nodes.Getattr) else node.arg
            if isinstance(base, _Loop):
                if arg in ("previtem", "nextitem"):
                    return base.items
                return None
            if isinstance(arg, nodes.Const) and type(arg.value) is int:
                return base.items() if isinstance(base, _Ref) else None  # a list's item
            if isinstance(arg, nodes.Slice):
                self.value(arg, scope)
                return base
            key = arg.value if isinstance(arg, nodes.Const) else arg
            if not isinstance(key, str):
                self.value(arg, scope)
                self.use(base)
                return None
            if key in _METHODS or key.startswith("_"):
                self.use(base)
                return None
            if base is None:
                return None
            parent = base.node()
            return None if parent is WHOLE else _Ref(parent, key)
        self.value(node, scope)
        return None

    def use(self, ref: Any) -> None:
        """The value at ``ref`` is read whole."""
        if isinstance(ref, _Ref):
            ref.whole()
        elif isinstance(ref, _Loop) and ref.items is not None:
            ref.items.whole()  # loop.cycle, loop.changed...: nothing of the items, but safe

    def test(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        """An expression tested for truth (``if x``, ``not x``, ``x and y``): a value tested
        bare is read as a container is (a list keeps its length, a dict is read whole)."""
        if isinstance(node, nodes.Not):
            self.test(node.node, scope)
        elif isinstance(node, nodes.And | nodes.Or):
            self.test(node.left, scope)
            self.test(node.right, scope)
        elif isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            place = self.ref(node, scope)
            fields = place.node() if isinstance(place, _Ref) else WHOLE
            if fields is WHOLE:
                self.use(place)
            else:
                fields.iterated = True
        else:
            self.value(node, scope)

    def value(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        """An expression used as a value: whatever it reads, it reads whole."""
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            self.use(self.ref(node, scope))
            return
        if isinstance(node, nodes.CondExpr):
            self.test(node.test, scope)
            self.value(node.expr1, scope)
            if node.expr2 is not None:
                self.value(node.expr2, scope)
            return
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr | nodes.Keyword | nodes.Pair | nodes.Operand):
                self.value(child, scope)
            else:
                raise GiveUp(type(child).__name__)

    def stmt(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.Template | nodes.Scope | nodes.ScopedEvalContextModifier):
            for option in getattr(node, "options", ()):
                self.value(option, scope)
            for child in node.body:
                self.stmt(child, scope)
        elif isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.value(child, scope)
        elif isinstance(node, nodes.If):
            self.test(node.test, scope)
            for child in (*node.body, *node.elif_, *node.else_):
                self.stmt(child, scope)
        elif isinstance(node, nodes.For):
            self._for(node, scope)
        elif isinstance(node, nodes.Assign | nodes.AssignBlock):
            if isinstance(node, nodes.Assign):
                self.value(node.node, scope)
            else:
                for child in node.body:
                    self.stmt(child, scope)
                if node.filter is not None:
                    self.value(node.filter, scope)
            for name in _names(node.target):
                if name.name in self.names or scope.get(name.name) is not None:
                    raise GiveUp(f"set {name.name}")  # a context or loop name, shadowed
                scope[name.name] = None
        elif isinstance(node, nodes.FilterBlock):
            self.value(node.filter, scope)
            for child in node.body:
                self.stmt(child, scope)
        elif isinstance(node, nodes.EvalContextModifier):
            for option in node.options:
                self.value(option, scope)
        else:  # macros, call blocks, with, include, import, extends, blocks...
            raise GiveUp(type(node).__name__)

    def _for(self, node: nodes.For, scope: dict[str, Any]) -> None:
        if node.recursive:
            raise GiveUp("recursive loop")
        items = self.ref(node.iter, scope)
        if isinstance(items, _Loop):
            self.use(items)
            items = None
        if isinstance(items, _Ref):
            fields = items.node()
            if fields is not WHOLE:
                fields.iterated = True
            items = items.items()
        inner = dict(scope)
        if isinstance(node.target, nodes.Name):
            inner[node.target.name] = items
        else:  # unpacked: the items are read whole
            self.use(items)
            for name in _names(node.target):
                inner[name.name] = None
        inner["loop"] = _Loop(items)
        if node.test is not None:
            self.test(node.test, inner)
        for child in node.body:
            self.stmt(child, inner)
        for child in node.else_:
            self.stmt(child, scope)


def reads(fields: Fields | None, path: Iterable[str]) -> bool:
    """Whether a template with these ``fields`` may read the key ``path`` of the context
    (``"[]"``: a list's items): False only when it is known not to (None: unknown, True)."""
    node: Any = fields
    for key in path:
        if node is WHOLE:
            return True
        if key == "[]":
            node = node.each
        elif node.iterated:
            return True  # a dict looped over is read whole
        else:
            node = node.get(key, NOT_READ)
        if node is NOT_READ:
            return False
    return True


def shape(fields: Any) -> Shape:
    """What ``fields`` reads (a Fields, :data:`WHOLE` or :data:`NOT_READ`) as a number, equal
    for two that read the same keys the same way and never given to another way, so that what
    is made from a value and its fields can be kept by the value and this (kept on the
    Fields; an int hashes and compares without a Python call)."""
    if not isinstance(fields, Fields):
        return _number(("leaf", fields is WHOLE))
    known = fields.__dict__.get("known")
    if known is None:
        known = fields.known = {}
    found = known.get(_SHAPE)
    if found is None:
        found = known[_SHAPE] = _number(_form(fields))
    return found


#: A shape: the number of a form (:func:`shape`).
Shape = int
#: Forms numbered (a bound on their memory: then the table starts anew; numbers go on).
_SHAPES: dict[tuple[Any, ...], int] = {}
_NEXT = itertools.count()


def _form(fields: Any) -> tuple[Any, ...]:
    """What ``fields`` reads as a nested tuple."""
    if not isinstance(fields, Fields):
        return ("leaf", fields is WHOLE)
    return (tuple((k, _form(v)) for k, v in fields.items()), fields.iterated, _form(fields.each))


def _number(form: tuple[Any, ...]) -> int:
    number = _SHAPES.get(form)
    if number is None:
        if len(_SHAPES) >= 4096:
            _SHAPES.clear()
        number = _SHAPES[form] = next(_NEXT)
    return number


#: The key of a Fields' shape among its kept answers (never a key path).
_SHAPE = object()


def _names(target: nodes.Node) -> list[nodes.Name]:
    """The names an assignment or loop target binds (``find_all`` leaves out the node)."""
    return [target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))


def fields_used(trees: Iterable[nodes.Template], names: Iterable[str]) -> Fields | None:
    """The keys the templates read of the context variables ``names`` (see the module
    docstring); None when a template does something the walk does not follow."""
    walker = _Walker(names)
    try:
        for tree in trees:
            walker.stmt(tree, {})
    except (GiveUp, RecursionError):
        return None
    return walker.root


__all__ = ["NOT_READ", "WHOLE", "Fields", "fields_used", "Shape", "reads", "shape"]
