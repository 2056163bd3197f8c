"""Output file names: the one place every document's name is made, from a sanitised id.

A client id comes from a file, so it may hold separators (``../../escape``, ``/abs``), control
characters, a leading dot or a thousand characters. :func:`output_stem` keeps letters, digits,
``-``, ``_`` and ``.`` of an id, at most :data:`MAX_ID` characters; an id that had to change
gets ``~`` and a hash of the id as it was, so two ids that clean alike (``SYN/1``, ``SYN:1``)
never share a file, and never the file of an id that needed no change (``~`` is never kept
from an id). :class:`Namer` gives a name used twice in one build ``~2``, ``~3``.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

#: Characters of a client id kept in a file name; longer ids are cut and hashed.
MAX_ID = 64
#: Bytes of a whole file name without its extension (file systems allow 255).
MAX_STEM = 160
#: The default ``output_name`` of a payer and the client copy's.
DEFAULT_PATTERN = "{client_id}_{payer}_{plan_date}"


#: What needs no cleaning (the common case, checked at C speed): ASCII letters, digits, - _ .
_PLAIN = re.compile(r"[A-Za-z0-9._-]*")
_PLAIN_STEM = re.compile(r"[A-Za-z0-9._~-]*")


def _clean(text: str) -> str:
    if _PLAIN.fullmatch(text):
        return text
    return "".join(c if (c.isalnum() and c.isprintable()) or c in "-_." else "_" for c in text)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def safe_id(client_id: str) -> tuple[str, bool]:
    """The id as file names hold it, and whether it had to change."""
    clean = _clean(client_id)
    if clean.startswith("."):
        clean = "_" + clean[1:]
    if clean == client_id and 0 < len(clean) <= MAX_ID:
        return clean, False
    return f"{clean[:MAX_ID]}~{_hash(client_id)}", True


def output_stem(
    pattern: str, client_id: str, payer: str, plan_date: Any, tag: str = ""
) -> tuple[str, bool]:
    """The file name (no extension) of one document, and whether the id had to change;
    ``tag`` names the version (:func:`pipeline.versions.naming.version_tag`)."""
    ident, changed = safe_id(client_id)
    stem = pattern.format(client_id=ident, payer=_clean(payer), plan_date=_clean(str(plan_date)))
    stem += _clean(tag)
    if not _PLAIN_STEM.fullmatch(stem):
        stem = "".join(c if c.isalnum() or c in "-_.~" else "_" for c in stem)
    if stem.startswith("."):
        stem = "_" + stem[1:]
    if len(stem.encode("utf-8")) > MAX_STEM:
        cut = stem.encode("utf-8")[: MAX_STEM - 11].decode("utf-8", "ignore")
        stem = f"{cut}~{_hash(stem)}"
    return stem, changed


def rename_note(client_id: str) -> str:
    """What the finding says about an id that had to change (the new name, not the id)."""
    ident, _ = safe_id(client_id)
    return (
        f"the client id has characters a file name cannot hold (separators, control "
        f"characters, a leading dot) or is empty or too long; its files are named "
        f"{ident}"
    )


class Namer:
    """Unique names within one build: a second document with the same name gets ``~2``..."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, stem: str) -> str:
        count = self.seen.get(stem, 0) + 1
        self.seen[stem] = count
        return stem if count == 1 else f"{stem}~{count}"
