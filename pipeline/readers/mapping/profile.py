"""Mapping profiles: a small YAML file that names an export's columns (column -> model path).

Example (see README, "Intake: spreadsheets and CSV")::

    name: CarePoint export
    header_row: 3          # 1-based; default: found automatically
    sheet: Clients         # default: every sheet
    date_order: DMY        # MDY (default) or DMY, for dates like 05/03/1990
    use_aliases: true      # also use the built-in alias table for the other columns
    columns:
      Pt Acct: client.id
      Dx (all): diagnoses[].code
      Q9 self-harm: measures[PHQ-9].items[9]
      Internal flag: ignore
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass
from functools import cached_property
from pathlib import Path as FilePath
from typing import Any

import yaml

from pipeline.bounded import load_yaml
from pipeline.errors import ConfigError, InputError
from pipeline.readers.mapping.aliases import normalize
from pipeline.readers.mapping.paths import IGNORE, parse_path

_KEYS = {
    "name", "header_row", "sheet", "date_order", "use_aliases", "columns", "id_from_filename",
}  # fmt: skip


@dataclass(frozen=True)
class Profile:
    """A parsed mapping profile (immutable, hashable)."""

    name: str = ""
    columns: tuple[tuple[str, str], ...] = ()  #: (normalized column label, model path)
    header_row: int | None = None
    sheet: str | None = None
    date_order: str = "MDY"
    use_aliases: bool = True
    #: a regular expression over the file name whose ``id`` group (or first group) is the
    #: client id of a file that has none (a client-completed form): ``(?P<id>\d+)_intake``
    id_from_filename: str | None = None

    def __hash__(self) -> int:  # a key of the per-label caches, looked up for every cell
        return self._hash

    @cached_property
    def _hash(self) -> int:
        return hash(astuple(self))

    def lookup(self, label: str) -> str | None:
        """The path this profile gives a label (``ignore`` included), or None."""
        key = normalize(label)
        for column, path in self.columns:
            if column == key:
                return path
        return None


def profile_from_data(data: Any, where: str) -> Profile:
    """Validate decoded YAML; every problem names the key and what to write instead."""
    if not isinstance(data, dict):
        raise ConfigError("a profile is a mapping with a 'columns:' section", where)
    unknown = sorted(set(map(str, data)) - _KEYS)
    if unknown:
        raise ConfigError(f"unknown key {unknown[0]!r}; use {', '.join(sorted(_KEYS))}", where)
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise ConfigError("'columns:' must map column names to model paths", where)
    parsed: list[tuple[str, str]] = []
    for column, path in columns.items():
        text = str(path).strip() if path is not None else IGNORE
        if parse_path(text) is None:
            raise ConfigError(
                f"column {str(column)!r}: {text!r} is not a model path; use e.g. "
                "client.first_name, diagnoses[].code, measures[PHQ-9].items[9], "
                "goals[1].objectives[1].text or ignore (see README)",
                where,
            )
        parsed.append((normalize(str(column)), text))
    header_row = data.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise ConfigError(f"header_row must be a row number from 1 (got {header_row!r})", where)
    order = str(data.get("date_order", "MDY")).upper()
    if order not in ("MDY", "DMY"):
        raise ConfigError(f"date_order must be MDY or DMY (got {order!r})", where)
    use_aliases = data.get("use_aliases", True)
    if not isinstance(use_aliases, bool):
        raise ConfigError(f"use_aliases must be true or false (got {use_aliases!r})", where)
    sheet = data.get("sheet")
    id_pattern = data.get("id_from_filename")
    if id_pattern is not None:
        try:
            re.compile(str(id_pattern))
        except re.error as exc:
            msg = f"id_from_filename is not a regular expression ({exc})"
            raise ConfigError(msg, where) from None
    return Profile(
        name=str(data.get("name") or ""),
        columns=tuple(parsed),
        header_row=header_row,
        sheet=str(sheet) if sheet is not None else None,
        date_order=order,
        use_aliases=use_aliases,
        id_from_filename=str(id_pattern) if id_pattern is not None else None,
    )


def load_profile(path: str | FilePath) -> Profile:
    """Read a profile YAML file; ConfigError (naming the file) when it is wrong."""
    path = FilePath(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8-sig"), str(path))
    except FileNotFoundError:
        raise ConfigError("profile not found; check the path", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the profile ({exc})", str(path)) from exc
    except InputError as exc:
        raise ConfigError(exc.message, str(path)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"{path}, line {mark.line + 1}" if mark else str(path)
        raise ConfigError(f"not valid YAML ({getattr(exc, 'problem', exc)})", place) from exc
    return profile_from_data(data, str(path))
