"""The fast path's core properties part: the skeleton's part cut at its placeholders once,
filled per plan with the plan's escaped properties, well-formed by construction."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from xml.sax.saxutils import escape

from pipeline.writers.docx import proof

#: Placeholders set in the skeleton's core properties, replaced per plan.
SENTINELS = {k: f"TXPLAN-FAST-{k.upper()}-9f3c" for k in ("title", "author", "subject", "comments")}
SENTINEL_DATE = dt.date(1901, 2, 3)
SENTINEL_STAMP = "1901-02-03T00:00:00Z"
_SENTINEL = re.compile("|".join(map(re.escape, [*SENTINELS.values(), SENTINEL_STAMP])))
_SPLIT = re.compile(f"({_SENTINEL.pattern})")
_BAD_PROPERTY = re.compile(r"[\x00-\x08\x0b-\x1f\r]")
_STAMP = re.compile(r"-?\d{1,4}-\d\d-\d\dT00:00:00Z")


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

    def fill(self, properties: dict[str, Any]) -> tuple[bytes, bool]:
        """The part for one plan, and whether it is well-formed by construction (a proven
        skeleton, every value a character XML allows). ValueError for a property of over 255
        characters or with a control character (the caller takes the stock path)."""
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
        return self._format.format(*values).encode("utf-8"), sound
