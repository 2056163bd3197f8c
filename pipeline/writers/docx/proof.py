"""Well-formed by construction: a compiled part proven to give well-formed XML for any values.

:func:`proven` looks once per template at a part's Jinja syntax tree and its fixed bytes
(``prefix``, ``suffix``) and says whether every rendering is well-formed XML whatever the
values, given what :func:`escaped` checks of each value at run time. The proof is made by
expat on a *probe*: the template's literal text with

- every printed value replaced by ``]]&#120;]]`` (a character reference is allowed in text
  and attribute values only, so a value inside a tag, a name or a reference fails; the
  ``]]`` on either side fails any ``]]>`` a value or an empty value could complete);
- every ``for`` and ``if`` replaced by ``]]<?txplan-block?>]]`` (a processing instruction
  is allowed between markup only, and must be reported, so a block inside a tag, an
  attribute value, a comment or CDATA fails), and each branch of it checked on its own as
  balanced content (``<r>]]`` + branch + ``]]</r>``, its own blocks replaced the same way),
  so any number of repetitions of any branch is balanced content;
- no comment, CDATA, processing instruction or DOCTYPE in the literal text at all, and no
  statement other than output, ``for`` (not recursive) and ``if``, and no printed constant
  (Jinja folds those while compiling, past :func:`escaped`).

Replacing a block marker (an item of some element's content) by balanced content, and a
value marker by escaped text, keeps the document well-formed; tests/writers/docx/
test_proof.py renders proven parts with hostile values and parses every output with expat.
At run time each printed value must be a plain ``str`` (or print through escaping) with
only characters XML allows: :func:`escaped` records any other in :func:`suspect`.

In a sound rendering every ``<`` comes from the literal text, so the tall-row pass
(:mod:`.rows`) can read what markup a rendering may hold from the template's source, and the
``<w:cantSplit/>`` it removes is an empty element (no comment, CDATA or instruction holds
it): the body stays well-formed, and the renderer vouches for the bytes it writes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any
from xml.parsers import expat

from jinja2 import nodes

VALUE = "]]&#120;]]"
TARGET = "txplan-block"
BLOCK = f"]]<?{TARGET}?>]]"
#: What XML 1.0 does not allow in a document (tab, newline and return it does).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_STATE = threading.local()
_SAMPLES = ("", "plain", "<a & 'b' \"c\">", "“quoted” ]]> \x01 \ufffe")
_PLAIN = (int, float, bool, type(None))
_NUMBERS = (0, 7, -12, 10**30)


class _Unprovable(Exception):
    pass


def _probe(body: Sequence[nodes.Node], eval_ctx: nodes.EvalContext) -> str:
    """The probe text of a list of statements; every branch of a block checked on its own."""
    out = []
    for node in body:
        if type(node) is nodes.Output:
            for child in node.nodes:
                if type(child) is nodes.TemplateData:
                    if "<!" in child.data or "<?" in child.data:
                        raise _Unprovable("comment, CDATA, DOCTYPE or instruction")
                    out.append(child.data)
                    continue
                try:
                    child.as_const(eval_ctx)
                except Exception:  # noqa: BLE001 - not a constant: printed at run time
                    out.append(VALUE)
                else:
                    raise _Unprovable("a printed constant (folded while compiling)")
        elif type(node) is nodes.For and not node.recursive:
            _branches([node.body, node.else_], eval_ctx)
            out.append(BLOCK)
        elif type(node) is nodes.If:
            _branches([node.body, *(e.body for e in node.elif_), node.else_], eval_ctx)
            out.append(BLOCK)
        else:
            raise _Unprovable(type(node).__name__)
    return "".join(out)


def _branches(branches: list[list[nodes.Node]], eval_ctx: nodes.EvalContext) -> None:
    for branch in branches:
        probe = _probe(branch, eval_ctx)
        _parse(("<r>]]" + probe + "]]</r>").encode("utf-8"), probe.count(BLOCK))


def _parse(data: bytes, blocks: int) -> None:
    """Parse a probe: well-formed, and every block marker reported inside the root."""
    depth, found = [0], []
    parser = expat.ParserCreate()

    def start(name: str, attributes: Any) -> None:
        depth[0] += 1

    def end(name: str) -> None:
        depth[0] -= 1

    def instruction(target: str, data: str) -> None:
        found.append(target == TARGET and depth[0] > 0)

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _Unprovable(str(exc)) from exc
    if len(found) != blocks or not all(found):
        raise _Unprovable("a block outside element content")


def proven(tree: nodes.Template, prefix: bytes, suffix: bytes, eval_ctx: nodes.EvalContext) -> bool:
    """Whether ``prefix`` + any rendering of ``tree`` + ``suffix`` is well-formed XML when
    every printed value passes :func:`escaped` (see the module's docstring)."""
    try:
        probe = _probe(tree.body, eval_ctx)
        _parse(prefix + probe.encode("utf-8") + suffix, probe.count(BLOCK))
    except (_Unprovable, UnicodeEncodeError):
        return False
    return True


def proven_pieces(pieces: Sequence[str]) -> bool:
    """Whether text, value, text... (values at odd places) is well-formed XML whatever
    escaped text (no ``<``, no ``&`` but references, no ``>``) each value is."""
    fixed = pieces[::2]
    head = re.match(r"<\?xml [^<>]*\?>", fixed[0]) if fixed else None
    literal = [fixed[0][head.end() :] if head else fixed[0], *fixed[1:]] if fixed else []
    if any("<!" in text or "<?" in text for text in literal):
        return False
    probe = "".join(VALUE if i % 2 else text for i, text in enumerate(pieces))
    try:
        _parse(probe.encode("utf-8"), 0)
    except (_Unprovable, UnicodeEncodeError):
        return False
    return True


def checking(escape: Callable[[Any], str],
             text: Callable[[str], str] | None = None) -> Callable[[Any], str]:  # fmt: skip
    """``escape`` (what autoescaped output prints for a value) that also records in
    :func:`suspect` a value that prints unescaped markup or a character XML forbids.

    ``text`` is a quicker ``escape`` for a plain ``str`` (used only if it escapes as
    ``escape`` does); a printable text (``str.isprintable``: no control, surrogate or
    unassigned character, so none XML forbids) costs no more than one method call.
    """
    if text is None or any(text(s) != escape(s) for s in _SAMPLES):
        text = escape
    digits = all(escape(n) == str(n) for n in _NUMBERS)  # (an int prints as its digits)

    def escaped(value: Any, escape: Callable[[Any], str] = escape,
                text: Callable[[str], str] = text, search: Any = NOT_XML.search,
                ) -> str:  # fmt: skip
        if type(value) is str:
            if not value.isprintable() and search(value):
                _STATE.suspect = True
            return text(value)
        if type(value) is int and digits:  # (digits and "-": nothing to escape or forbid)
            return str(value)
        out = escape(value)
        if type(value) not in _PLAIN and hasattr(value, "__html__"):
            _STATE.suspect = True  # Markup prints as it is
        elif not out.isprintable() and search(out):
            _STATE.suspect = True
        return out

    escaped.text = text  # type: ignore[attr-defined]  # what a printable str is given
    return escaped


def measuring(escaped: Callable[[Any], str], text: Callable[[str], str] | None = None,
              ) -> Callable[[Any, int], str]:  # fmt: skip
    """``escaped`` (a :func:`checking` function) of a value with a budget: the same text,
    recorded in :func:`long` when longer than ``budget`` characters (see :mod:`.budget`).

    ``text`` is the quicker escaping of a plain ``str`` that ``escaped`` uses (the same
    text, checked as :func:`checking` checks it); a value of another type goes through
    ``escaped`` itself."""
    if text is None or any(text(s) != escaped(s) for s in _SAMPLES):
        text = None
    digits = all(escaped(n) == str(n) for n in _NUMBERS)

    def measured(value: Any, budget: int, escaped: Callable[[Any], str] = escaped,
                 text: Callable[[str], str] | None = text, search: Any = NOT_XML.search,
                 ) -> str:  # fmt: skip
        if type(value) is str and text is not None:
            if not value.isprintable() and search(value):
                _STATE.suspect = True
            out = text(value)
        elif type(value) is int and digits:  # (as escaped prints it)
            out = str(value)
        else:
            out = escaped(value)
        if len(out) > budget:
            _STATE.long = True
        return out

    return measured


def reset() -> None:
    """Start a rendering: no suspect value printed yet, none over its budget (in this
    thread)."""
    _STATE.suspect = False
    _STATE.long = False


def suspect() -> bool:
    """Whether a value printed since :func:`reset` (in this thread) voids the proof."""
    return getattr(_STATE, "suspect", True)


def long() -> bool:
    """Whether a value printed since :func:`reset` (in this thread) was longer than its
    budget (:func:`measuring`)."""
    return getattr(_STATE, "long", True)


__all__ = ["checking", "long", "measuring", "proven", "proven_pieces", "reset", "suspect"]
