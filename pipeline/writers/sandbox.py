"""The one Jinja environment every template renders in: sandboxed, strict, XML-escaping."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from markupsafe import escape

from pipeline.errors import TemplateError

try:  # markupsafe's escaping of a plain str, without the Markup wrapper (markupsafe 3)
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - another markupsafe: the public call, same text

    def _escape_inner(s: str, /) -> str:
        return str(escape(s))


#: The only globals a template sees besides its context (no cycler, joiner, lipsum...):
#: the sandbox's ``range``, which refuses more than 100,000 items (Python's has no bound).
SAFE_GLOBALS: dict[str, Any] = {"range": safe_range}
#: Longest string or list ``*`` may make, and the largest exponent and operand size (bits)
#: of ``**`` and ``*`` on numbers: a template multiplies page counts, not 10**(10**8).
MAX_REPEAT = 100_000
MAX_EXPONENT = 64
MAX_BITS = 4_096

#: Every attribute a plain dict has (a dict has no instance attributes): ``d.name`` for any
#: other name can only be the item ``d["name"]``.
_DICT_ATTRIBUTES = frozenset(dir(dict))


def _escaped(value: Any) -> str:
    """``escape(finalize(value))``, what an autoescaping template prints for ``{{ value }}``.

    A plain string is escaped by markupsafe's own routine without being wrapped in Markup
    (printed output is joined into one string, so the wrapper changes nothing).
    """
    if type(value) is str:
        return _escape_inner(value)
    return escape(finalize(value))


#: The attribute of a printed value's node holding its budget (the DOCX fast renderer's, see
#: ``writers.docx.budget``): such a value compiles to ``environment.measured(value, budget)``.
BUDGET = "txplan_budget"


class _CodeGenerator(CodeGenerator):
    """Compiles ``{{ value }}`` in autoescaped text to ``environment.escaped(value)`` (or,
    for an environment with :data:`QUICK_TEXT`, to that escaping in place for a printable
    text, ``escaped`` for any other value).

    Stock Jinja writes ``escape(environment.finalize(value))``: two calls and a Markup
    object per value printed. Text whose escaping is only known at run time (an
    ``autoescape`` block with a variable), or that is not escaped, compiles as stock.
    """

    def _direct(self, frame: Frame) -> bool:
        escaped = frame.eval_ctx.autoescape and not frame.eval_ctx.volatile
        return bool(escaped) and self.environment.finalize is finalize

    def _inline(self) -> bool:
        """Whether a printed text is escaped in place (``environment.quick_text``, see
        :data:`QUICK_TEXT`), not through a call of ``escaped`` or ``measured``."""
        return getattr(self.environment, QUICK_TEXT, None) is not None

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if self._direct(frame):
            budget = getattr(node, BUDGET, None)
            if self._inline():
                self.write(f"(environment.{QUICK_TEXT}({_VALUE}) if type({_VALUE} := "
                           if budget is None else f"({_OUT} if type({_VALUE} := ")  # fmt: skip
                return
            self.write("environment.escaped(" if budget is None else "environment.measured(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if self._direct(frame):
            budget = getattr(node, BUDGET, None)
            if self._inline():
                text = f") is str and {_VALUE}.isprintable()"
                if budget is None:
                    self.write(f"{text} else environment.escaped({_VALUE}))")
                else:
                    self.write(f"{text} and len({_OUT} := environment.{QUICK_TEXT}({_VALUE})) "
                               f"<= {int(budget)} else environment.measured({_VALUE}, "
                               f"{int(budget)}))")  # fmt: skip
                return
            self.write(")" if budget is None else f", {int(budget)})")
        else:
            super()._output_child_post(node, frame, finalize)

    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        """``obj.name`` as ``_Environment.getattr`` resolves it, the item of a plain dict
        that has it read in place (no call): any other object, a dict without the key or a
        name that is a dict attribute goes to ``environment.getattr`` as stock Jinja does."""
        quick = type(self.environment).getattr is _Environment.getattr
        if not quick or self.environment.is_async or node.attr in _DICT_ATTRIBUTES:
            super().visit_Getattr(node, frame)
            return
        key = repr(node.attr)
        self.write(f"({_HELD}[{key}] if type({_HELD} := ")
        self.visit(node.node, frame)
        self.write(f") is dict and {key} in {_HELD} else environment.getattr({_HELD}, {key}))")


#: The name the compiled code holds an object under while it reads one of its attributes.
_HELD = "t_txplan_held"
#: The names the compiled code holds a printed value and its escaped text under.
_VALUE, _OUT = "t_txplan_value", "t_txplan_out"
#: An environment's attribute that, when set, is the escaping its ``escaped`` (and
#: ``measured``) give a printable ``str`` (``str.isprintable``), with nothing else done for
#: it (nothing recorded, no budget exceeded): printed text is then escaped in place, as
#: ``(quick_text(v) if type(v := value) is str and v.isprintable() else escaped(v))`` (and
#: for a value with a budget, its length checked in place too), a call fewer a value.
QUICK_TEXT = "quick_text"


class _Environment(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with a quick way to the items of the plain dicts contexts hold
    and to escaped output."""

    code_generator_class = _CodeGenerator
    escaped = staticmethod(_escaped)
    #: Operators checked at run time; intercepted, they are never folded while compiling.
    intercepted_binops = frozenset({"*", "**", "//", "%"})

    def wrap_str_format(self, value: Any) -> Any:
        """``str.format`` in the sandbox, refusing widths and precisions that make huge text."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(getattr(value, "__self__", None))
        return wrapped

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``left operator right`` unless it would make a huge number, string or list."""
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` exactly as the sandbox resolves it.

        For a plain dict and a name that is none of its attributes, the sandbox's lookup
        always ends in the item (or undefined); this skips the failed attribute lookup.
        """
        if type(obj) is dict and type(attribute) is str and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def _bits(value: Any) -> int:
    return abs(value).bit_length() if isinstance(value, int) else 0


def _check_binop(operator: str, left: Any, right: Any) -> None:
    from jinja2.exceptions import SecurityError

    if operator == "**" and isinstance(right, int | float):
        if abs(right) > MAX_EXPONENT or _bits(left) * abs(right) > MAX_BITS:
            raise SecurityError(f"{operator} with an exponent of {right!r} is too large")
    elif operator == "*":
        for seq, count in ((left, right), (right, left)):
            sized = isinstance(seq, str | list | tuple) and isinstance(count, int)
            if sized and len(seq) * count > MAX_REPEAT:
                raise SecurityError(f"* would make {len(seq) * count:,} items (limit "
                                    f"{MAX_REPEAT:,})")  # fmt: skip
        if _bits(left) + _bits(right) > MAX_BITS:
            raise SecurityError("* of numbers too large")
    elif operator == "%" and isinstance(left, str):
        raise SecurityError("% formatting of text is not allowed; use the format filter")


_HUGE_WIDTH = re.compile(r"\d{6,}")


def _check_format(text: Any) -> None:
    from jinja2.exceptions import SecurityError

    if isinstance(text, str) and _HUGE_WIDTH.search(text):
        raise SecurityError("a format width or precision of a million or more")


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """The filter, taking the context so Jinja never runs it while compiling (constant
    folding), with a bound on numeric arguments (``center(10**9)``, ``indent``...)."""
    kind = jinja2.utils._PassArg.from_obj(func)

    @jinja2.pass_context
    def bounded(context: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_REPEAT:
                raise jinja2.exceptions.SecurityError(
                    f"filter {name} with an argument of {arg:,} (limit {MAX_REPEAT:,})"
                )
        if name == "format":
            _check_format(value)
        if kind is jinja2.utils._PassArg.context:
            return func(context, value, *args, **kwargs)
        if kind is jinja2.utils._PassArg.eval_context:
            return func(context.eval_ctx, value, *args, **kwargs)
        if kind is jinja2.utils._PassArg.environment:
            return func(context.environment, value, *args, **kwargs)
        return func(value, *args, **kwargs)

    return bounded


def finalize(value: Any) -> Any:
    """Print a missing optional value (None) as nothing, not as the word "None"."""
    return "" if value is None else value


def make_env(*, autoescape: bool = True) -> jinja2.Environment:
    """A sandboxed environment: undefined names raise, no attributes starting with ``_``,
    no mutation of context values, no Python globals, output escaped for XML."""
    env = _Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        finalize=finalize,
        keep_trailing_newline=True,
        optimized=False,  # no constant folding: {{ 'a'|center(10**9) }} is never run compiling
    )
    env.globals.clear()
    env.globals.update(SAFE_GLOBALS)
    for name, func in list(env.filters.items()):
        env.filters[name] = _bounded_filter(name, func)
    return env


def describe(exc: Exception) -> str:
    """A short, human explanation of a Jinja error (undefined names named, sandbox named)."""
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"not allowed in a template (sandbox): {exc}"
    if isinstance(exc, jinja2.UndefinedError):
        return f"unknown variable or attribute: {exc} (see README, 'Templates and rendering')"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"template syntax error: {exc.message}"
    return f"{type(exc).__name__}: {exc}"


def guarded(where: str, action: Callable[[], Any]) -> Any:
    """Run a render step, turning any Jinja or sandbox failure into a located TemplateError."""
    try:
        return action()
    except jinja2.TemplateError as exc:
        raise TemplateError(describe(exc), where) from exc
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        # Errors raised by filters on bad input (e.g. join on a number) end here too.
        raise TemplateError(describe(exc), where) from exc
