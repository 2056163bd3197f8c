"""The fast path's core properties part: the skeleton's part cut at its placeholders once,
filled per plan with the plan's escaped properties, well-formed by construction.

The part is about 1 KB, a third of it the plan's values: deflating it whole cost about 9 µs
a plan (libdeflate's cost before its first byte), so it is written as pieces
(:meth:`CoreProperties.stitched`, as :mod:`.stitch` writes a header): its long literal
texts deflated once, the rest stored, about 300 bytes more a document.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from xml.sax.saxutils import escape

from pipeline.writers.docx import proof
from pipeline.writers.fixed_zip import Packed, pack_once

#: Placeholders set in the skeleton's core properties, replaced per plan.
SENTINELS = {k: f"TXPLAN-FAST-{k.upper()}-9f3c" for k in ("title", "author", "subject", "comments")}
SENTINEL_DATE = dt.date(1901, 2, 3)
SENTINEL_STAMP = "1901-02-03T00:00:00Z"
_SENTINEL = re.compile("|".join(map(re.escape, [*SENTINELS.values(), SENTINEL_STAMP])))
_SPLIT = re.compile(f"({_SENTINEL.pattern})")
_BAD_PROPERTY = re.compile(r"[\x00-\x08\x0b-\x1f\r]")
_STAMP = re.compile(r"-?\d{1,4}-\d\d-\d\dT00:00:00Z")
#: A literal text of the part this long (in UTF-8) is deflated once (if that makes it smaller).
PACKED = 96


def _literal(data: bytes) -> bytes | Packed:
    if len(data) < PACKED:
        return data
    packed = pack_once(data)
    return packed if len(packed.packed) < len(data) else data


class CoreProperties:
    """``docProps/core.xml`` of a skeleton, filled per plan (what ``docx.set_properties``
    writes)."""

    def __init__(self, xml: str) -> None:
        #: The part split at its placeholders: text, placeholder, text...
        self.pieces = _SPLIT.split(xml)
        #: Well-formed whatever (escaped) text fills the placeholders (see :mod:`.proof`).
        self.proven = proof.proven_pieces(self.pieces)
        #: The pieces as one format, a placeholder as the number of its value in :meth:`fill`.
        order = [SENTINEL_STAMP, *SENTINELS.values()]
        self._format = "".join(str(piece).replace("{", "{{").replace("}", "}}") if i % 2 == 0
                               else f"{{{order.index(piece)}}}"
                               for i, piece in enumerate(self.pieces))  # fmt: skip
        #: The literal texts as bytes, a long one deflated once (see :meth:`stitched`), and
        #: the number of the value (in :meth:`fill`'s order) after each but the last.
        self._fixed = [_literal(str(piece).encode("utf-8")) for piece in self.pieces[::2]]
        self._slots = [order.index(piece) for piece in self.pieces[1::2]]

    def fill(self, properties: dict[str, Any]) -> tuple[bytes, bool]:
        """The part for one plan, and whether it is well-formed by construction (a proven
        skeleton, every value a character XML allows). ValueError for a property of over 255
        characters or with a control character (the caller takes the stock path)."""
        values, sound = self._values(properties)
        return self._format.format(*values).encode("utf-8"), sound

    def stitched(self, properties: dict[str, Any]) -> tuple[list[bytes | Packed], bool]:
        """:meth:`fill`'s part as pieces for ``fixed_zip.joined_member`` (their bytes joined
        are :meth:`fill`'s), and whether it is well-formed by construction."""
        values, sound = self._values(properties)
        fixed = self._fixed
        out = [fixed[0]]
        for slot, text in zip(self._slots, fixed[1:], strict=True):
            out.append(values[slot].encode("utf-8"))
            out.append(text)
        return out, sound

    def _values(self, properties: dict[str, Any]) -> tuple[list[str], bool]:
        """The text of each placeholder (the date first, then :data:`SENTINELS`' order), and
        whether the part is well-formed by construction."""
        when = properties.get("when") or dt.date(2000, 1, 1)
        day = when.isoformat() if type(when) is dt.date and when.year >= 1000 else (
            f"{when:%Y-%m-%d}")  # fmt: skip
        values = [f"{day}T00:00:00Z"]
        sound = self.proven and _STAMP.fullmatch(values[0]) is not None
        for key in SENTINELS:
            value = str(properties[key])
            # (a printable text holds no control character, nor one XML forbids)
            printable = value.isprintable()
            if len(value) > 255 or (not printable and _BAD_PROPERTY.search(value)):
                raise ValueError(f"document property {key!r}: over 255 characters or controls")
            if sound and not printable and proof.NOT_XML.search(value):
                sound = False
            values.append(escape(value))
        return values, sound
