"""Which column is the client id, and the stable id of a record that has none.

Real exports carry several id-like columns: a table's own row key (``id`` in OpenEMR's
``form_phq9`` or a FHIR sheet) beside the patient's id (``pid``, ``subject``), or a ``Client``
/ ``Patient`` column that holds a display name in one system and an id in another (Synthea's
``PATIENT``). The client id column is the best-ranked candidate; a bare ``id`` is chosen only
when nothing better is there, and a ``Client``/``Patient`` column only when its values look
like ids (digits, no name shape). A record without any id gets :func:`derived_id`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from pipeline.readers.mapping.aliases import normalize

#: labels that name a person in some systems and an id in others: decided by their values
AMBIGUOUS = frozenset({"client", "patient", "subject", "member"})
#: a table's own row key: the client id only when no other id column is there
ROW_KEYS = frozenset({"id", "row id", "record key", "key"})
_NAME_SHAPE = re.compile(r"^[^\W\d_][^\W\d_'.\- ]*(?:[ ,'.\-]+[^\W\d_]+)*[.,]?$")


def looks_like_ids(values: Sequence[str]) -> bool:
    """True when most sample values look like identifiers rather than names."""
    filled = [v.strip() for v in values if v and v.strip()]
    if not filled:
        return False
    names = sum(1 for v in filled if _NAME_SHAPE.match(v) and len(v) > 1)
    return names * 2 < len(filled)


def choose_id(
    labels: Sequence[str],
    paths: Sequence[str | None],
    samples: Callable[[int], Sequence[str]],
) -> tuple[int | None, dict[str, str | None]]:
    """The client id column among a header's labels and the labels whose path changes.

    ``paths`` are the labels' paths from the alias table or profile; ``samples(i)`` gives a
    few values of column ``i``. Returns (index or None, label -> new path or None to drop).
    """
    changed: dict[str, str | None] = {}
    ranked: list[tuple[int, int]] = []
    for index, (label, path) in enumerate(zip(labels, paths, strict=False)):
        key = normalize(label) if label else ""
        if key in AMBIGUOUS and path in ("client.id", "client.name"):
            is_id = looks_like_ids(samples(index))
            wanted = "client.id" if is_id else "client.name"
            if wanted != path:
                changed[label] = wanted
            path = wanted
        if path != "client.id":
            continue
        rank = 2 if key in ROW_KEYS else (1 if key in AMBIGUOUS else 0)
        ranked.append((rank, index))
    if not ranked:
        return None, changed
    ranked.sort()
    chosen = ranked[0][1]
    about_client = any(p and p.startswith("client.") and p != "client.id" for p in paths)
    if ranked[0][0] == 2 and not about_client:
        # only a row key in a table of diagnoses or measures: it numbers rows, not clients
        changed[labels[chosen]] = None
        return None, changed
    for _rank, index in ranked[1:]:
        if labels[index] != labels[chosen]:
            changed[labels[index]] = None  # another id-like column: a row key or a link
    return chosen, changed


def _plain(value: Any) -> str:
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def derived_id(last: Any, first: Any, birth: Any) -> str | None:
    """A stable id from last name, first name and date of birth: ``TX-`` and 10 hex digits.

    The same person (any case, accents or spacing) always gets the same id; two people differ
    in at least one of the three, so they never share one. None when last name or birth date
    is missing.
    """
    if not _plain(last) or not birth:
        return None
    key = f"{_plain(last)}|{_plain(first)}|{birth}"
    return "TX-" + hashlib.sha256(key.encode()).hexdigest()[:10].upper()
