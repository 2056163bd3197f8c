"""A CMS ICD-10-CM release read from its official files: the order file, the codes file, or the zip.

CMS publishes each release (FY2027 took effect on 2026-10-01) as "Code Descriptions in
Tabular Order", a zip holding ``icd10cm_order_YYYY.txt`` and ``icd10cm_codes_YYYY.txt``.

- The **order file** is fixed-width, one code a line (CMS's published layout): columns 1-5 the
  order number (zero-filled), 6 blank, 7-13 the code without its dot (left-justified), 14
  blank, 15 ``1`` when the code is valid for HIPAA transactions (billable) or ``0`` for a
  header, 16 blank, 17-76 the short description, 77 blank, 78 on the long description. It
  holds headers (categories) and billable codes in tabular order: everything txplan needs.
- The **codes file** lists billable codes only: the code (without its dot), spaces, the long
  description. The categories above them are kept as non-billable headers without a
  description of their own.

:func:`load` reads either (or the zip, preferring its order file) into the rows of txplan's
code table and a label naming the release; a malformed line is a ConfigError naming the file
and line.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from pipeline.errors import ConfigError

#: (dotless code, dotted code, description, billable), in table order.
Row = tuple[str, str, str, bool]

_CODE = re.compile(r"^[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$")
_ORDER_NAME = re.compile(r"icd10cm[ _-]*order[ _-]*(?!.*addend).*\.txt$", re.I)
_CODES_NAME = re.compile(r"icd10cm[ _-]*codes[ _-]*(?!.*addend).*\.txt$", re.I)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")  # fmt: skip
LAYOUT = (
    "CMS order-file layout: order number in columns 1-5, the code without its dot in 7-13, "
    "1 (billable) or 0 (header) in 15, short description 17-76, long description from 78"
)


def dotted(code: str) -> str:
    return f"{code[:3]}.{code[3:]}" if len(code) > 3 else code


def _order_rows(lines: list[str], name: str) -> list[Row]:
    rows: list[Row] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        code, flag, long = line[6:13].strip(), line[14:15], line[77:].strip()
        shaped = (
            len(line) >= 78
            and line[:5].isdigit()
            and line[5] == line[13] == line[15] == " "
            and flag in ("0", "1")
            and _CODE.match(code)
            and long
        )
        if not shaped:
            raise ConfigError(f"not an ICD-10-CM order-file line ({LAYOUT})",
                              f"{name}, line {number}")  # fmt: skip
        rows.append((code, dotted(code), long, flag == "1"))
    return rows


def _codes_rows(lines: list[str], name: str) -> list[Row]:
    rows: list[Row] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.strip().split(None, 1)
        if len(parts) != 2 or not _CODE.match(parts[0]):
            raise ConfigError(
                "not an ICD-10-CM codes-file line (the code without its dot, spaces, the "
                "description)",
                f"{name}, line {number}",
            )
        code, description = parts[0], parts[1].strip()
        for length in range(3, len(code)):  # the headers above a billable code
            header = code[:length]
            if header not in seen:
                seen.add(header)
                rows.append((header, dotted(header), "", False))
        seen.add(code)
        rows.append((code, dotted(code), description, True))
    return rows


def _text(data: bytes, name: str) -> list[str]:
    for encoding in ("utf-8", "cp1252"):  # CMS files are plain ASCII; some carry cp1252 dashes
        try:
            return data.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise ConfigError("is not a text file", name)  # pragma: no cover - cp1252 decodes all


def _member(path: Path) -> tuple[str, bytes]:
    """The order file of a CMS zip (else its codes file): (name, bytes)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            for pattern in (_ORDER_NAME, _CODES_NAME):
                found = sorted(n for n in names if pattern.search(Path(n).name))
                if found:
                    return found[0], archive.read(found[0])
    except (zipfile.BadZipFile, OSError) as exc:
        raise ConfigError(f"cannot be read as a zip: {exc}", str(path)) from exc
    raise ConfigError(
        "holds no icd10cm_order_YYYY.txt or icd10cm_codes_YYYY.txt: give CMS's \"Code "
        'Descriptions in Tabular Order" zip or one of those files',
        str(path),
    )


def load(path: Path) -> tuple[list[Row], str]:
    """The code table rows of a CMS release file (order, codes, or the zip) and its label:
    ``ICD-10-CM FY2027 (CMS icd10cm_order_2027.txt, 74,719 codes, sha256 1a2b3c4d5e6f)``."""
    path = Path(path)
    try:
        if zipfile.is_zipfile(path):
            member, data = _member(path)
            where, name = f"{path}, {member}", Path(member).name
        else:
            data, where, name = path.read_bytes(), str(path), path.name
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc.strerror or exc}", str(path)) from exc
    lines = _text(data, where)
    first = next((line for line in lines if line.strip()), "")
    order = first[:5].isdigit() and first[5:6] == " "  # the order file starts "00001 A00 ..."
    rows = _order_rows(lines, where) if order else _codes_rows(lines, where)
    if not rows:
        raise ConfigError("holds no ICD-10-CM codes", where)
    billable = sum(1 for row in rows if row[3])
    kind = "order file" if order else "codes file"
    digest = hashlib.sha256(data).hexdigest()[:12]
    return rows, f"ICD-10-CM {_release_name(path.name, name)} (CMS {kind} {name}, " \
                 f"{billable:,} billable codes, sha256 {digest})"  # fmt: skip


def _release_name(*names: str) -> str:
    """``FY2027`` (CMS names files by fiscal year), ``FY2026 April update`` when a month
    is named; the file's own name when it names no year."""
    text = " ".join(names)
    year = _YEAR.search(text)
    if year is None:
        return names[-1]
    month = next((m for m in _MONTHS if m in text.lower()), None)
    return f"FY{year.group(1)}" + (f" {month.capitalize()} update" if month else "")
