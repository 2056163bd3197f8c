"""A part that is mostly fixed text, deflated from its pieces (a header naming the client).

libdeflate's level 1 costs a part about 8 µs before its first byte (a header of 2.8 KB
took 12 µs a plan, rendered per plan since it names the client). A compiled template
prints its literal text as the same string objects every rendering: :func:`table` keeps,
once per compiled part, each of them as bytes (UTF-8, its marked characters put back) and a
long one deflated once as well (:func:`~pipeline.writers.fixed_zip.pack_once`);
:func:`pieces_of` renders the part as its pieces, and
:func:`~pipeline.writers.fixed_zip.joined_member` writes them as one deflate stream: the
long literals as deflated once, the values between them as stored blocks. Its bytes,
inflated, are the part's bytes exactly as :func:`~.parts.part_bytes` makes them; the
compressed member is a little larger (the values are not compressed).

Only a part rendered in the form whose bytes are a plain concatenation of its pieces is
taken this way: proven well-formed (:mod:`.proof`), no suspect value, no newline (docxtpl's
form), nothing docxtpl's post-processing would change, and no more than a quarter of its
bytes stored; anything else is :func:`~.parts.part_bytes`'s, as before.
"""

from __future__ import annotations

from types import CodeType
from typing import Any

import jinja2

from pipeline.writers.docx import proof
from pipeline.writers.docx.parts import Part, docxtpl_parses, listed
from pipeline.writers.fixed_zip import Packed, pack_once

#: A literal text this long (in UTF-8) is deflated once; a part with none is not stitched.
LONG = 512
#: A rendering whose bytes outside the literals deflated once are more than this share of
#: the whole (and more than :data:`LOOSE_BYTES`) is deflated as a whole instead.
LOOSE_SHARE, LOOSE_BYTES = 0.25, 1024

Table = dict[int, tuple[str, "bytes | Packed"]]


def _strings(code: CodeType) -> list[str]:
    found = []
    for constant in code.co_consts:
        if type(constant) is str:
            found.append(constant)
        elif isinstance(constant, CodeType):
            found.extend(_strings(constant))
    return found


def _piece(data: bytes) -> bytes | Packed:
    return pack_once(data) if len(data) >= LONG else data


def _encoded(text: str, marks: tuple[tuple[bytes, bytes], ...]) -> bytes:
    data = text.encode("utf-8")
    for marker, character in marks:
        if marker in data:
            data = data.replace(marker, character)
    return data


def table(template: jinja2.Template, marks: tuple[tuple[bytes, bytes], ...]) -> Table | None:
    """Each string constant of the compiled ``template`` (by identity: the object kept with
    it) -> its bytes (``marks`` put back), a long one deflated once; None when none is long
    (the part is not worth stitching)."""
    found: Table = {}
    for text in _strings(template.root_render_func.__code__):  # type: ignore[attr-defined]
        found[id(text)] = (text, _piece(_encoded(text, marks)))
    return found if any(type(v[1]) is Packed for v in found.values()) else None


def stitchable(part: Part) -> jinja2.Template | None:
    """The form of ``part`` rendered as pieces (its marked form, else as it is), when the
    part is one to stitch: not the main document, proven well-formed."""
    if part.body or not part.proven or part.scope is None:
        return None
    return part.marked if part.marked is not None else part.template


def pieces_of(part: Part, context: dict[str, Any]) -> list[bytes | Packed] | None:
    """The part's bytes for ``context`` as pieces for ``joined_member`` (their bytes joined
    are :func:`~.parts.part_bytes`'s, sound), or None: render it the usual way."""
    known = part.stitch
    template = stitchable(part)
    if known is None or template is None:
        return None
    proof.reset()
    env = template.environment
    ctx = env.context_class(env, dict(part.scope, **context), template.name,  # type: ignore[arg-type]
                            template.blocks, globals=part.scope)  # fmt: skip
    try:
        texts = list(template.root_render_func(ctx))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - as Template.render: Jinja rewrites the traceback
        env.handle_exception()
        raise  # (not reached: handle_exception raises)
    xml = env.concat(texts)  # type: ignore[attr-defined]
    if "\n" in xml or proof.suspect() or listed(xml) is not xml or docxtpl_parses(xml, part):
        return None
    out: list[bytes | Packed] = [part.prefix]
    loose = len(part.prefix) + len(part.suffix)
    marks = part.marks
    for text in texts:
        hit = known.get(id(text))
        if hit is not None and hit[0] is text:
            out.append(hit[1])
            if type(hit[1]) is not Packed:
                loose += len(hit[1])
        else:  # a value (or text made while rendering): any marker in it is the template's
            data = _encoded(text, marks)
            out.append(data)
            loose += len(data)
    out.append(part.suffix)
    if loose > LOOSE_BYTES and loose > LOOSE_SHARE * len(xml):
        return None
    return out


__all__ = ["LONG", "LOOSE_BYTES", "LOOSE_SHARE", "Table", "pieces_of", "stitchable", "table"]
