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
from dataclasses import astuple, dataclass, replace
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
    "values", "tables",
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
    #: (normalized column, ((cell as written, lower case) -> value)): a column's value map
    values: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    #: (file or sheet name, lower case, ((normalized column, path), ...)): one table's columns
    tables: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def scoped(self, file: str | None, sheet: str | None) -> Profile:
        """This profile for one file or sheet: its ``tables:`` entry first, then ``columns:``."""
        names = {FilePath(file).name.lower() if file else "", (sheet or "").lower()} - {""}
        extra = tuple(col for name, cols in self.tables if name in names for col in cols)
        return replace(self, columns=extra + self.columns, tables=()) if extra else self

    def map_value(self, label: str, value: Any) -> Any:
        """A cell's value through the column's ``values:`` map (unchanged when none applies)."""
        if not self.values or value is None:
            return value
        key = normalize(label)
        for column, mapping in self.values:
            if column == key:
                cell = str(value).strip().lower()
                for raw, mapped in mapping:
                    if raw == cell:
                        return mapped
        return value

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
    values = _value_maps(data.get("values") or {}, where)
    tables = _tables(data.get("tables") or {}, where)
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
        values=values,
        tables=tables,
    )


def _columns(columns: Any, where: str, what: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(columns, dict):
        raise ConfigError(f"{what} must map column names to model paths", where)
    parsed: list[tuple[str, str]] = []
    for column, path in columns.items():
        text = str(path).strip() if path is not None else IGNORE
        if parse_path(text) is None:
            raise ConfigError(
                f"{what}, column {str(column)!r}: {text!r} is not a model path; use e.g. "
                "client.first_name, diagnoses[].code, measures[PHQ-9].items[9] or ignore",
                where,
            )
        parsed.append((normalize(str(column)), text))
    return tuple(parsed)


def _tables(data: Any, where: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """``tables: {form_phq9.csv: {date: measures[PHQ-9].date}}``: columns of one file/sheet."""
    if not isinstance(data, dict):
        raise ConfigError("'tables:' must map file or sheet names to their columns", where)
    return tuple(
        (str(name).strip().lower(), _columns(cols, where, f"tables: {name}"))
        for name, cols in data.items()
    )


def _value_maps(data: Any, where: str) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """``values: {sex: {1: Female, 2: Male}}``: what a column's coded cells mean."""
    if not isinstance(data, dict) or not all(isinstance(m, dict) for m in data.values()):
        raise ConfigError("'values:' maps a column to {cell: value}, e.g. sex: {1: Female}", where)
    return tuple(
        (normalize(str(column)), tuple((str(k).strip().lower(), v) for k, v in mapping.items()))
        for column, mapping in data.items()
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
