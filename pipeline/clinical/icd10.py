"""ICD-10-CM codes: normalizing, looking up in the official table, and matching code ranges.

The table is the one shipped by ``simple-icd-10-cm`` (the CMS ICD-10-CM release it bundles),
unless ``$TXPLAN_ICD10CM`` names a newer CMS release file (order file, codes file or CMS's
zip; :mod:`pipeline.clinical.cms_release`). :func:`release` names the release in use; every
plan's provenance records it. Importing the package takes two seconds and 190 MB, so txplan
reads it once per machine in a child process into a compact cached table (see
:func:`_table`), loaded on first use; every answer is cached too: a batch of 100,000 rows
with a few hundred distinct codes costs a few hundred lookups.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.metadata import version
from itertools import islice
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.errors import ValueProblem

#: A token shaped like an ICD-10-CM code: a letter, two characters, then up to four more
#: (with or without the dot). Used only to *find* candidates in free text; whether a
#: candidate is a real code is decided by the official table, never by this pattern.
CODE_TOKEN = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z][0-9][0-9A-Za-z](?:\.?[0-9A-Za-z]{1,4})?)(?![0-9A-Za-z])"
)

_STRIP = " \t\r\n\"'`()[]{}<>.,;:!?*#|/\\-_\u00a0\u2013\u2014"


@dataclass(frozen=True)
class CodeInfo:
    """One code of the official table: its dotted form, description and billability."""

    code: str
    description: str
    billable: bool


#: Run in a child process to turn the package's table into a compact one: importing
#: simple-icd-10-cm holds about 190 MB of parsed XML for the life of the process, while the
#: compact table (code -> dotted code, description, leaf) takes about 25 MB.
_BUILD_TABLE = """
import json, sys, warnings
warnings.simplefilter("ignore")
import simple_icd_10_cm as icd
rows = [
    [code.replace(".", ""), code, icd.get_description(code), icd.is_leaf(code)]
    for code in icd.get_all_codes(True)
    if icd.is_category_or_subcategory(code) or icd.is_extended_subcategory(code)
]
sys.stdout.buffer.write(json.dumps(rows, ensure_ascii=False).encode("utf-8"))
"""


#: Names a CMS ICD-10-CM release file to use instead of the bundled table.
ENV_VAR = "TXPLAN_ICD10CM"
_PACKAGE = "simple-icd-10-cm"
_MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
           "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
           "december": 12}  # fmt: skip


def release_file() -> Path | None:
    """The CMS release file ``$TXPLAN_ICD10CM`` names, or None for the bundled table."""
    value = os.environ.get(ENV_VAR, "").strip()
    return Path(value) if value else None


def bundled_release() -> str:
    """The release simple-icd-10-cm bundles, read from its data file names (no import):
    ``ICD-10-CM FY2026 April update (simple-icd-10-cm 1.5.0)``."""
    from importlib.util import find_spec

    spec = find_spec("simple_icd_10_cm")
    folders = list(spec.submodule_search_locations or ()) if spec else []
    names = sorted(p.name for f in folders for p in (Path(f) / "data").glob("code-list-*.txt"))
    found = re.search(r"code-list-([A-Za-z]+)-(\d{4})", names[-1]) if names else None
    label = "release not named in the package"
    if found:
        month, year = _MONTHS.get(found.group(1).lower(), 0), int(found.group(2))
        fiscal = year + 1 if month >= 10 else year  # FY N runs from October 1 of N-1
        label = f"FY{fiscal}" + (f" {found.group(1).capitalize()} update" if month != 10 else "")
    return f"ICD-10-CM {label} ({_PACKAGE} {version(_PACKAGE)})"


def release() -> str:
    """The ICD-10-CM release codes are checked against: the bundled one, or the CMS file
    ``$TXPLAN_ICD10CM`` names (loading it: a bad file is a ConfigError naming its line)."""
    return _loaded()[1]


def reload() -> None:
    """Forget the table and every answer, so that the next lookup reads
    ``$TXPLAN_ICD10CM`` (or the bundled table) again."""
    for cached in (_loaded, _table, lookup):
        cached.cache_clear()


def _cache_file(suffix: str = ".tsv") -> Path:
    """Where the compact table is kept, keyed by the package's version (``.tsv``: the table
    as text, :func:`_text`; ``.json``: the rows, as sessions before 8 kept them)."""
    base = os.environ.get("TXPLAN_CACHE") or os.environ.get("XDG_CACHE_HOME")
    folder = Path(base) if base else Path.home() / ".cache"
    if not os.environ.get("TXPLAN_CACHE"):
        folder = folder / "txplan"
    return folder / f"icd10cm-{version('simple-icd-10-cm')}{suffix}"


#: A table entry: ``code TAB dotted code TAB 1 (billable) or 0 TAB description``, one line of
#: the cached text; split only when the code is looked up (a build looks up a few hundred
#: codes of ~98,000).
Entry = str


@cache
def _table() -> dict[str, Entry]:
    """Dotless code -> its entry (:data:`Entry`), in the table's order."""
    return _loaded()[0]


@cache
def _loaded() -> tuple[dict[str, Entry], str]:
    """The table and its release: the CMS file ``$TXPLAN_ICD10CM`` names, else the bundled."""
    path = release_file()
    if path is None:
        return _bundled(), bundled_release()
    from pipeline.clinical.cms_release import load

    rows, label = load(path)
    return _entries(rows), label


def _entries(rows: list[list[Any]]) -> dict[str, Entry]:
    """Dotless code -> entry, from ``[code, dotted, description, billable]`` rows (a code
    listed twice keeps its first place and its last entry, as a dict of the rows would)."""
    return {code: f"{code}\t{dotted}\t{'1' if leaf else '0'}\t{description}"
            for code, dotted, description, leaf in rows}  # fmt: skip


def _entry(entry: Entry) -> CodeInfo:
    _, dotted, leaf, description = entry.split("\t", 3)
    return CodeInfo(code=dotted, description=description, billable=leaf == "1")


#: The first line of the cached text: its format, then the SHA-256 of the lines after it.
_MAGIC = "txplan icd10cm table 1"


def _text(table: dict[str, Entry]) -> bytes | None:
    """The table as the cache keeps it: :data:`_MAGIC` and the SHA-256 of the body, then one
    entry a line; None when an entry cannot be a line (a code with a tab, a line break)."""
    body = "\n".join(table.values())
    if body.count("\n") != len(table) - 1 or any("\t" in code for code in table):
        return None
    data = body.encode("utf-8")
    return f"{_MAGIC}\t{hashlib.sha256(data).hexdigest()}\n".encode("ascii") + data


def _from_text(data: bytes) -> dict[str, Entry] | None:
    """The table :func:`_text` wrote, or None when the text is not that (damaged, cut
    short, another format): then the table is made again."""
    head, _, body = data.partition(b"\n")
    if head != f"{_MAGIC}\t{hashlib.sha256(body).hexdigest()}".encode("ascii"):
        return None
    try:
        lines = body.decode("utf-8").split("\n")
    except UnicodeDecodeError:  # pragma: no cover - the digest matched
        return None
    table = {line[: line.find("\t")]: line for line in lines}
    return table if len(table) == len(lines) else None


def _bundled() -> dict[str, Entry]:
    """The bundled table, built once per machine from simple-icd-10-cm in a child process
    and cached on disk (``$TXPLAN_CACHE`` or ``~/.cache/txplan``) as text, read back in a
    tenth of the time JSON took (its SHA-256 checked: a damaged cache is made again); an
    unwritable cache folder only costs the rebuild. The package stays the source of truth:
    a new version gives a new cache file.
    """
    path = _cache_file()
    with contextlib.suppress(OSError):
        table = _from_text(path.read_bytes())
        if table is not None:
            return table
    table = _entries(json.loads(_rows()))
    text = _text(table)
    if text is not None:
        with contextlib.suppress(OSError):  # an unwritable cache costs only the rebuild
            atomic.write_bytes(path, text)
    return table


def _rows() -> bytes:
    """The package's table as JSON rows: the JSON cache an earlier txplan (or a table no
    text can hold) left, else made by the package in a child process."""
    path = _cache_file(".json")
    with contextlib.suppress(OSError):
        return path.read_bytes()
    made = subprocess.run(
        [sys.executable, "-c", _BUILD_TABLE], check=True, timeout=300, capture_output=True
    )
    if _text(_entries(json.loads(made.stdout))) is None:  # kept as rows, as before
        with contextlib.suppress(OSError):
            atomic.write_bytes(path, made.stdout)
    return made.stdout


@lru_cache(maxsize=65536)
def normalize_code(raw: str) -> str:
    """The dotted, upper-case form of a code as people type it.

    ``"f411"``, ``" F41.1 "``, ``"(F41.1)"`` and ``"F41.1,"`` all give ``"F41.1"``. Spaces,
    quotes, brackets and trailing punctuation around the code and inside it are dropped and
    the dot is put after the third character. The result is not checked: ``"XYZ"`` gives
    ``"XYZ"`` and an empty or punctuation-only value gives ``""``; use :func:`lookup` or
    :func:`is_valid` to check it.
    """
    if raw is None:
        return ""
    text = "".join(ch for ch in str(raw).strip(_STRIP).upper() if ch.isalnum())
    if len(text) > 3:
        return f"{text[:3]}.{text[3:]}"
    return text


@lru_cache(maxsize=65536)
def lookup(code: str) -> CodeInfo | None:
    """The table entry of a code (normalized first), or None if it is not an ICD-10-CM code.

    Chapters and blocks ("F30-F39") are not codes and give None. ``billable`` is True for a
    leaf of the table (a code with no subdivisions), which is what HIPAA claims accept:
    ``F32`` is a valid category but not billable, ``F32.1`` is billable.
    """
    entry = _table().get(normalize_code(code).replace(".", ""))
    return None if entry is None else _entry(entry)


def is_valid(code: str) -> bool:
    """Whether the code (normalized first) is in the official ICD-10-CM table."""
    return lookup(code) is not None


def is_billable(code: str) -> bool:
    """Whether the code is in the table and is a leaf (billable)."""
    info = lookup(code)
    return info is not None and info.billable


def describe(code: str) -> str | None:
    """The official description of a code, or None if it is not a code."""
    info = lookup(code)
    return info.description if info else None


def billable_children(code: str, limit: int = 5) -> tuple[str, ...]:
    """A few billable codes under a non-billable category, to suggest in a message."""
    info = lookup(code)
    if info is None or info.billable:
        return ()
    stem = info.code.replace(".", "")
    leaves = (
        info.code
        for code, entry in _table().items()
        if code.startswith(stem) and code != stem and (info := _entry(entry)).billable
    )
    return tuple(islice(leaves, limit))


def find_codes(text: str) -> tuple[str, ...]:
    """Code-shaped tokens in a free-text cell, normalized, in order, without repeats.

    ``"F41.1 Generalized anxiety disorder; F43.10"`` gives ``("F41.1", "F43.10")``. A token
    is only a candidate: words such as ``"F/u"`` never match, but ``"A12"`` in prose would;
    check each with :func:`lookup`.
    """
    seen: dict[str, None] = {}
    for match in CODE_TOKEN.finditer(text):
        seen.setdefault(normalize_code(match.group(1)), None)
    return tuple(seen)


# --- ranges ---------------------------------------------------------------------------------

_SPEC_PART = re.compile(r"^[A-Z][0-9A-Z]*$")


@lru_cache(maxsize=4096)
def parse_range(spec: str) -> tuple[tuple[str, str], ...]:
    """A range spec as ``(low, high)`` pairs of dotless codes; see :func:`in_range`.

    Raises ValueProblem for a spec that is empty, has a part that is not code-shaped, or a
    range whose end comes before its start.
    """
    pairs: list[tuple[str, str]] = []
    parts = [p.strip() for p in re.split(r"[,;]", spec) if p.strip()]
    if not parts:
        raise ValueProblem(
            f"empty ICD-10-CM range {spec!r}: write a code (F33), a prefix (F40.1*) "
            "or a range (F32.0-F32.9)"
        )
    for part in parts:
        low_text, sep, high_text = (s.strip() for s in part.replace("\u2013", "-").partition("-"))
        if not sep:
            high_text = low_text
        low, high = (_dotless(t, spec) for t in (low_text, high_text))
        if high < low and not low.startswith(high):
            raise ValueProblem(
                f"ICD-10-CM range {part!r} in {spec!r} ends before it starts: "
                f"write the lower code first ({high_text}-{low_text})"
            )
        pairs.append((low, high))
    return tuple(pairs)


def _dotless(text: str, spec: str) -> str:
    code = text.rstrip("*").strip().upper().replace(".", "")
    if not _SPEC_PART.match(code):
        raise ValueProblem(
            f"{text!r} in ICD-10-CM range {spec!r} is not code-shaped: "
            "write a code (F33), a prefix (F40.1*) or a range (F32.0-F32.9)"
        )
    return code


def in_range(code: str, spec: str) -> bool:
    """Whether a code falls within a range spec.

    The spec syntax (case, spaces and dots do not matter):

    - ``F33`` -- the code and everything under it: F33, F33.0, ..., F33.9, F33.40.
    - ``F40.1*`` -- the same; the ``*`` only makes "and below" explicit. ``F4*`` is a
      prefix of categories (F40 ... F49).
    - ``F32.0-F32.9`` or ``F32-F33`` -- every code from the first to the last in table
      order, both ends included with everything under them (``F32-F33`` holds F33.9;
      ``F32.0-F32.9`` holds F32.89 but not F32.A, which sorts after F32.9).
    - ``F32-F33, F41.1; F43.1*`` -- several parts separated by commas or semicolons; the
      code matches if any part does.

    ICD-10-CM sorts as its dotless text (F32 < F32.0 < F32.89 < F32.9 < F32.A < F33), which
    is what the comparison uses. The code is normalized first; whether it exists is not
    checked here (use :func:`lookup`). Raises ValueProblem for a malformed spec.
    """
    target = normalize_code(code).replace(".", "")
    if not target:
        return False
    for low, high in parse_range(spec):
        if low <= target and (target <= high or target.startswith(high)):
            return True
    return False
