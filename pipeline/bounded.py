"""Limits on what reading a file may cost, and the bounded loaders that enforce them.

Every input comes from outside, so sizes are checked before work, not found out by running
out of memory: archive members (size, ratio, count) before anything inflates them, JSON size
and nesting, YAML size and aliases, PDF pages, words and the pixels of a page rendered for
OCR (the items of a plan are bounded by the model itself: ``pipeline.model.MAX_ITEMS``).
Each limit has a default that real files stay far below and can be raised for one run with
``TXPLAN_LIMIT_<NAME>`` (``TXPLAN_LIMIT_PDF_PAGES=200``).
"""

from __future__ import annotations

import contextlib
import json
import os
import zipfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from pipeline.errors import InputError

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    zip_members: int = 5_000  #: members of an XLSX or DOCX package
    zip_member_bytes: int = 256 * MB  #: inflated size of one member
    zip_total_bytes: int = 512 * MB  #: inflated size of all members
    zip_ratio: int = 300  #: inflated / compressed size of a member over 1 MB
    json_bytes: int = 64 * MB  #: a plan JSON file, or one JSON Lines line
    json_depth: int = 64  #: nesting of arrays and objects
    yaml_bytes: int = 1 * MB  #: a profile
    yaml_aliases: int = 200  #: aliases (``*name``) in a profile
    pdf_bytes: int = 100 * MB
    pdf_pages: int = 60  #: pages of an intake form
    pdf_words: int = 100_000  #: words of a flat form's text layer
    ocr_pages: int = 12  #: scanned pages read by OCR
    ocr_pixels: int = 40_000_000  #: pixels of one page rendered for OCR (Letter at 300 dpi: 8.4 M)
    form_items: int = 20_000  #: paragraphs and table rows of a Word form
    cell_chars: int = 100_000  #: characters of one cell or field value


def _from_env() -> Limits:
    values: dict[str, Any] = {}
    for item in fields(Limits):
        raw = os.environ.get(f"TXPLAN_LIMIT_{item.name.upper()}")
        if raw:
            with contextlib.suppress(ValueError):
                values[item.name] = int(raw)
    return Limits(**values)


LIMITS = _from_env()


def too_big(what: str, size: int, limit: int, name: str) -> str:
    return (f"{what} ({size:,}) is over the limit of {limit:,}; if the file is genuine, raise "
            f"it with TXPLAN_LIMIT_{name.upper()}")  # fmt: skip


def check_archive(path: Path, kind: str, limits: Limits = LIMITS) -> None:
    """Refuse a zip package (XLSX, DOCX) whose members would inflate past the limits, from its
    directory alone (nothing is inflated)."""
    where = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"not a readable {kind} (a damaged zip package: {exc})", where) from exc
    if len(members) > limits.zip_members:
        raise InputError(too_big("the number of parts", len(members), limits.zip_members,
                                 "zip_members"), where)  # fmt: skip
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > limits.zip_member_bytes:
            raise InputError(f"part {member.filename} would inflate to "
                             + too_big("bytes", size, limits.zip_member_bytes, "zip_member_bytes")
                             + "; it looks like a zip bomb", where)  # fmt: skip
        if size > MB and size > limits.zip_ratio * max(1, member.compress_size):
            ratio = size // max(1, member.compress_size)
            raise InputError(f"part {member.filename} inflates {ratio:,} "
                             f"times (limit {limits.zip_ratio}); it looks like a zip bomb; raise "
                             "TXPLAN_LIMIT_ZIP_RATIO if the file is genuine", where)  # fmt: skip
    if total > limits.zip_total_bytes:
        raise InputError(too_big("the inflated size", total, limits.zip_total_bytes,
                                 "zip_total_bytes"), where)  # fmt: skip


def json_depth_ok(value: Any, limit: int) -> bool:
    """Whether decoded JSON nests at most ``limit`` deep (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, dict | list))
    return True


def load_json(text: str | bytes, where: str, limits: Limits = LIMITS) -> Any:
    """``json.loads`` with size and nesting limits; big integers and NaN are refused."""
    if len(text) > limits.json_bytes:
        raise InputError(too_big("the JSON size", len(text), limits.json_bytes, "json_bytes"),
                         where)  # fmt: skip
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_int=_bounded_int)
    except RecursionError as exc:
        raise InputError("the JSON is nested too deeply to read", where) from exc
    if not json_depth_ok(value, limits.json_depth):
        raise InputError(f"the JSON is nested more than {limits.json_depth} deep", where)
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _bounded_int(text: str) -> int:
    if len(text) > 40:
        raise ValueError(f"a {len(text)}-digit number")
    return int(text)


def load_yaml(text: str, where: str, limits: Limits = LIMITS) -> Any:
    """YAML through the safe loader (no Python tags), with size and alias limits."""
    import yaml

    if len(text) > limits.yaml_bytes:
        raise InputError(too_big("the YAML size", len(text), limits.yaml_bytes, "yaml_bytes"),
                         where)  # fmt: skip

    class Loader(yaml.SafeLoader):
        aliases = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                Loader.aliases += 1
                if Loader.aliases > limits.yaml_aliases:
                    raise yaml.YAMLError(f"more than {limits.yaml_aliases} aliases (*name); "
                                         "a profile needs few, if any")  # fmt: skip
            return super().compose_node(parent, index)

    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - Loader is a SafeLoader
    except RecursionError as exc:
        raise yaml.YAMLError("nested too deeply") from exc
