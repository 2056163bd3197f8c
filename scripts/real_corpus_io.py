"""What the real-corpus shapes share: the shape registry, CSV/XLSX writers, name and date styles."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixed_zip import fixed_zip  # noqa: E402
from real_corpus_people import Person  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real"
FIXED = dt.datetime(2026, 2, 1, 9, 0, 0)

Rows = list[list[object]]
SHAPES: dict[str, Callable[[Path], list[dict]]] = {}


def shape(name: str):
    def register(func: Callable[[Path], list[dict]]) -> Callable[[Path], list[dict]]:
        SHAPES[name] = func
        return func

    return register


def write_csv(path: Path, rows: Rows, delimiter: str = ",") -> None:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    path.write_bytes(text.getvalue().encode("utf-8"))


def write_xlsx(path: Path, sheets: dict[str, Rows]) -> None:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.properties.created = FIXED
    book.properties.modified = FIXED
    book.properties.creator = "txplan real-corpus generator"
    raw = io.BytesIO()
    book.save(raw)
    path.write_bytes(fixed_zip(raw.getvalue(), FIXED))


def us(day: dt.date) -> str:
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def dx_text(person: Person) -> list[str]:
    return [f"{code} - {name}" for code, name in person.diagnoses]


def full(person: Person) -> str:
    return f"{person.first} {person.last}"


def last_first(person: Person, upper: bool = False) -> str:
    name = f"{person.last}, {person.first}" + (f" {person.middle[0]}" if person.middle else "")
    return name.upper().replace(", ", ",") if upper else name
