"""The dense-grid check before calamine holds a sheet: every cell calamine could place far away
is seen (a reference below every row, in any part, however written), and an ordinary export,
whatever its chunks, still fits."""

from __future__ import annotations

import re
import struct
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.errors import InputError
from pipeline.readers import ReadOptions, grid, xlsx
from tests.support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_intake_xlsx  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"
_SHEET_DATA = re.compile(rb"<sheetData>.*</sheetData>|<sheetData/>", re.S)


def _cell(ref: str, attrs: str = "") -> str:
    return f'<c r="{ref}"{attrs} t="inlineStr"><is><t>x</t></is></c>'


HEADER = f'<row r="1">{_cell("A1")}{_cell("B1")}</row><row r="2">{_cell("A2")}{_cell("B2")}</row>'
#: sheetData contents calamine could lay out as a grid of billions of cells (A1048576 and XFD1:
#: 1,048,576 x 16,384) while the rows and references the old check read said 2 x 2, or where
#: a cell has no reference the check can read
HOSTILE = {
    "a cell below its row": '<row r="1"><c r="A1048576"><v>1</v></c><c r="XFD1"><v>1</v></c></row>',
    "rows without numbers": '<row><c r="A1048576"><v>1</v></c><c r="XFD1"><v>1</v></c></row>',
    "a lowercase reference": HEADER + '<row r="3"><c r="xfd1048576"><v>1</v></c></row>',
    "a reference of 4 letters": HEADER + '<row r="3"><c r="AAAA3"><v>1</v></c></row>',
    "a single-quoted reference": HEADER + "<row r=\"3\"><c r='XFD3'><v>1</v></c></row>",
    "a spaced reference": HEADER + '<row r="3"><c r = "XFD3"><v>1</v></c></row>',
    "a reference not first": HEADER + '<row r="3"><c s="1" r="XFD3"><v>1</v></c></row>',
    "a zero-led reference": HEADER + '<row r="3"><c r="A0001048576"><v>1</v></c></row>',
    "a prefixed cell": HEADER + '<row r="3"><x:c r="XFD3"><v>1</v></x:c></row>',
    "a prefixed reference": HEADER + '<row r="3"><c x:r="XFD3"><v>1</v></c></row>',
    "a cell without reference": HEADER + '<row r="3"><c t="n"><v>1</v></c></row>',
    "an empty cell without reference": HEADER + '<row r="3"><c/></row>',
}


def _rewritten(path: Path, data: str, *, member: str = SHEET, rename: str | None = None) -> Path:
    """The workbook at ``path`` with ``member``'s sheetData replaced (and the part renamed,
    the workbook's relationship following it)."""
    source = path.with_suffix(".src.xlsx")
    path.rename(source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            content = old.read(item.filename)
            name = item.filename
            if name == member:
                cells = f"<sheetData>{data}</sheetData>".encode()
                content = _SHEET_DATA.sub(cells, content)
                name = rename or name
            if rename and name == "xl/_rels/workbook.xml.rels":
                content = content.replace(member[3:].encode(), rename[3:].encode())
            new.writestr(name, content)
    source.unlink()
    return path


def _book(path: Path) -> Path:
    book = Workbook()
    book.active["A1"], book.active["B1"] = "Client ID", "First Name"
    book.active["A2"], book.active["B2"] = "C-1", "Ana"
    book.save(path)
    return path


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_cell_calamine_could_place_far_away_is_not_laid_out_by_it(tmp_path, case) -> None:
    path = _rewritten(_book(tmp_path / "hostile.xlsx"), HOSTILE[case])
    assert not grid.grid_fits(path)
    closer, _sheets = xlsx.sheets(path, None)
    assert closer is not None  # openpyxl's streaming reader (never iterated here)
    closer.close()


def test_a_sheet_part_outside_the_worksheets_folder_is_checked(tmp_path) -> None:
    path = _book(tmp_path / "moved.xlsx")
    _rewritten(path, HOSTILE["a cell below its row"], rename="xl/elsewhere/data.xml")
    with zipfile.ZipFile(path) as archive:
        assert "xl/elsewhere/data.xml" in archive.namelist()
    assert not grid.grid_fits(path)


def test_an_excel_style_sheet_fits(tmp_path) -> None:
    """Namespaces declared (``xmlns:r``), rows with spans and Excel's own attributes, shared
    strings, formulas, a hyperlink after the cells: nothing odd."""
    rows = "".join(
        f'<row r="{n}" spans="1:3" x14ac:dyDescent="0.25">'
        f'<c r="A{n}" s="1" t="s"><v>0</v></c><c r="B{n}"><v>{n}</v></c><c r="C{n}" t="str">'
        f"<f>B{n}*2</f><v>{2 * n}</v></c></row>"
        for n in range(1, 40)
    )
    path = _rewritten(_book(tmp_path / "excel.xlsx"), rows)
    with zipfile.ZipFile(path) as old:
        parts = {i.filename: old.read(i) for i in old.infolist()}
    parts[SHEET] = (
        parts[SHEET]
        .replace(b"<worksheet ", b'<worksheet xmlns:r="urn:r" xmlns:x14ac="urn:x" ', 1)
        .replace(
            b"</sheetData>",
            b'</sheetData><hyperlinks><hyperlink ref="A1" '
            b'xmlns:r="urn:r" r:id="rId1"/></hyperlinks>',
        )  # fmt: skip
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, content in parts.items():
            new.writestr(name, content)
    assert b"xmlns:r" in parts[SHEET]
    assert grid.grid_fits(path)


@pytest.mark.parametrize("chunk", [97, 1000, 4096])
def test_small_chunks_cut_cells_anywhere_and_change_nothing(tmp_path, monkeypatch, chunk) -> None:
    """Chunks that end inside every kind of tag: an ordinary export still fits, and a cell
    below the rows near the end is still seen."""
    monkeypatch.setattr(grid, "CHUNK", chunk)
    path = write_intake_xlsx(tmp_path / "export.xlsx", 60)
    assert grid.grid_fits(path)
    with zipfile.ZipFile(path) as archive:
        cells = archive.read(SHEET).split(b"<sheetData>")[1].split(b"</sheetData>")[0].decode()
    tall = cells.replace('<c r="B63"', '<c r="B1048576"', 1)
    assert tall != cells
    assert not grid.grid_fits(_rewritten(tmp_path / "export.xlsx", tall))


def test_the_column_and_row_bounds_take_exactly_what_is_within() -> None:
    refs = [grid.column_letters(m) for m in range(1, grid.MAX_COLUMN + 1)]
    assert refs[:3] == ["A", "B", "C"] and refs[26] == "AA" and refs[-1] == "ZZZ"
    assert all(grid.column_number(r.encode()) == m for m, r in enumerate(refs, start=1))
    cells = b"".join(f'<c r="{r}7">'.encode() for r in refs)
    for number in (1, 25, 26, 27, 44, 52, 399, 701, 702, 703, 5000, 18_277, 18_278):
        flagged = {
            grid.column_number(m.group(0)[6:].rstrip(b"7"))
            for m in re.finditer(rb'<c r="[A-Z]+7', cells)
            if grid.odd_cell(7, number).match(cells, m.start())
        }
        assert flagged == set(range(number + 1, grid.MAX_COLUMN + 1)), number
    for rows in (1, 9, 10, 11, 99, 100, 101, 5004, 10_000, 1_048_576):
        within = {n for n in range(1, rows * 2 + 20) if not grid.odd_cell(rows, 1).match(
            f'<c r="A{n}">'.encode())}  # fmt: skip
        assert within == set(range(1, rows + 1)), rows


@pytest.mark.parametrize("engine", ["auto", "openpyxl"])
def test_a_sheet_with_a_wrong_crc_is_a_located_error(tmp_path, monkeypatch, engine) -> None:
    """The scan does not check CRCs; calamine (or openpyxl) does, and says the workbook is
    damaged: no "unexpected BadZipFile in the reader" (the scan used to raise it)."""
    path = write_intake_xlsx(tmp_path / "export.xlsx", 5)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    wrong = struct.pack("<L", info.CRC ^ 1)
    data[info.header_offset + 14 : info.header_offset + 18] = wrong  # the local header's
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(SHEET)] != SHEET.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 16 : central + 20] = wrong  # and the central directory's
    path.write_bytes(bytes(data))
    monkeypatch.setenv(xlsx.ENGINE_VARIABLE, engine)
    with pytest.raises(InputError, match="damaged|cannot be opened"):
        list(xlsx.read(path, ReadOptions()))
