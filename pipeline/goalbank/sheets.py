"""goalbank.xlsx as the sheets hold it: located rows, before any meaning is given to them.

The first of the goal bank's two reading steps (see :mod:`pipeline.goalbank.bank`); the linter
works on these rows so that it can name the sheet, row and column of every defect.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pipeline.errors import ConfigError, InputError
from pipeline.model import SAFETY_PLAN_SECTIONS
from pipeline.resources import default_goalbank

DEFAULT_GOALBANK = default_goalbank()

#: sheet -> required columns (extra columns are allowed and ignored).
COLUMNS: dict[str, tuple[str, ...]] = {
    "Families": ("family_id", "name", "kind", "icd10", "keywords", "notes"),
    "Problems": ("problem_id", "family_ids", "name", "definition", "keywords"),
    "Goals": ("goal_id", "problem_id", "client_words", "clinical_goal"),
    "Objectives": (
        "objective_id",
        "goal_id",
        "text",
        "measure",
        "kind",
        "direction",
        "baseline",
        "target",
        "due_days",
        "keywords",
    ),
    "Interventions": (
        "intervention_id",
        "problem_id",
        "modality",
        "description",
        "frequency",
        "evidence",
    ),
    "Instruments": ("instrument", "full_name", "min_score", "max_score", "lower_means"),
    "MeasureRules": ("instrument", "band", "min_score", "max_score", "rule", "value", "rationale"),
    "SafetyPlan": ("section", "text"),
}
#: sheet -> optional columns the loader reads when present (older banks lack them).
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "Problems": ("presumes",),
    "Interventions": ("requires_family", "alternative_group", "ages"),
}
#: what a problem's ``presumes`` may name: the client situations merge knows
PRESUMES = ("employed", "student", "parent")
RULES = ("none", "at_or_below", "percent_reduction", "points_reduction")
SAFETY_SECTIONS = SAFETY_PLAN_SECTIONS  #: the SafetyPlan sheet's sections are the model's


@dataclass(frozen=True)
class SheetRow:
    """One data row as the sheet holds it: values by header, and its row number."""

    sheet: str
    row: int
    values: MappingProxyType

    def get(self, column: str) -> Any:
        return self.values.get(column)

    def text(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else str(value).strip()

    def where(self, path: Path | str, column: str | None = None) -> str:
        place = f'{Path(path).name}, sheet "{self.sheet}", row {self.row}'
        return f'{place}, column "{column}"' if column else place


def split_list(text: str) -> tuple[str, ...]:
    """A semicolon-separated cell as its items."""
    return tuple(p.strip() for p in text.split(";") if p.strip())


_NOT_KEY = re.compile(r"[^A-Z0-9]")


@lru_cache(maxsize=4096)  # a pure function of a name: plans name the same few instruments
def instrument_key(name: str) -> str:
    """A spelling-insensitive key: 'phq9', 'PHQ 9' and 'PHQ-9' give 'PHQ9'."""
    return _NOT_KEY.sub("", name.upper())


def read_sheets(path: Path) -> dict[str, tuple[SheetRow, ...]]:
    """Every known sheet's rows (blank rows skipped). Missing sheets/columns raise ConfigError.

    Read with calamine (Rust: 5 ms for the shipped bank, against 0.25 s for openpyxl and its
    import, which every build paid before its workers could start); a workbook calamine
    cannot read, or with a cell that is not text, a number or a boolean (a date, an error),
    is read with openpyxl as before, which also words every error."""
    path = Path(path)
    if not path.exists():
        raise InputError("goal bank not found; check the path or pass --goalbank", str(path))
    grids = _calamine_grids(path)
    if grids is not None and all(sheet in grids for sheet in COLUMNS):
        return _rows_of(path, grids.__getitem__, set(grids))
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError(f"not a readable .xlsx workbook ({exc})", str(path)) from exc
    try:
        return _rows_of(path, lambda sheet: wb[sheet].iter_rows(values_only=True), wb.sheetnames)
    finally:
        wb.close()


def _calamine_grids(path: Path) -> dict[str, list[list[Any]]] | None:
    """The known sheets' cells as openpyxl gives them (from A1, blank cells None, numbers
    as read: int when whole), or None when openpyxl must read the workbook."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - a dependency; openpyxl still reads the bank
        return None
    plain = (str, int, float, bool)
    grids: dict[str, list[list[Any]]] = {}
    try:
        book = CalamineWorkbook.from_path(str(path))
        for sheet in COLUMNS:
            if sheet not in book.sheet_names:
                continue
            grid = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            rows = []
            for row in grid:
                cells = []
                for value in row:
                    if value == "":
                        value = None
                    elif type(value) is float and value.is_integer():
                        value = int(value)
                    elif type(value) not in plain:
                        return None
                    cells.append(value)
                rows.append(cells)
            grids[sheet] = rows
    except Exception:  # noqa: BLE001 - calamine's many errors: openpyxl then says what is wrong
        return None
    return grids


def _rows_of(path: Path, rows_of: Any, names: Any) -> dict[str, tuple[SheetRow, ...]]:
    """Each known sheet's located rows, from ``rows_of(sheet)`` (rows of cell values)."""
    found: dict[str, tuple[SheetRow, ...]] = {}
    for sheet, required in COLUMNS.items():
        if sheet not in names:
            raise ConfigError(
                f'sheet "{sheet}" is missing; add it with columns {", ".join(required)}',
                path.name,
            )
        rows = iter(rows_of(sheet))
        header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
        missing = [c for c in required if c not in header]
        if missing:
            raise ConfigError(
                f"column(s) {', '.join(missing)} missing from the header row; restore them",
                f'{path.name}, sheet "{sheet}", row 1',
            )
        items = []
        for number, values in enumerate(rows, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            cells = {h: _clean(v) for h, v in zip(header, values, strict=False) if h}
            items.append(SheetRow(sheet, number, MappingProxyType(cells)))
        found[sheet] = tuple(items)
    return found


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
