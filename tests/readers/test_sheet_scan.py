"""The one-pass sheet scanner (readers/sheetxml): calamine's rows for every plain workbook, the C
scanner and its Python twin alike on every sample and on odd or mangled XML, and anything it
does not read (hostile references, odd markup) left to calamine or openpyxl as before."""

from __future__ import annotations

import datetime as dt
import random
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from pipeline.readers import ReadOptions, read, sheetxml, xlsx
from pipeline.readers.grid import DENSE_CELLS
from pipeline.readers.sheetxml import book, scan
from tests.readers.test_grid_check import HOSTILE, _book, _rewritten
from tests.support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_intake_xlsx  # noqa: E402

WORKBOOKS = sorted(
    p
    for folder in ("inputs", "tests/data")
    for p in (ROOT / folder).rglob("*.xlsx")
    if p.name not in {"not_a_workbook.xlsx", "encrypted.xlsx", "corrupt.xlsx"}
)
native = pytest.mark.skipif(sheetxml.native is None, reason="the C scanner is not built")


@pytest.fixture(autouse=True)
def _kept_apart(monkeypatch) -> None:
    """The top rows xlsx keeps of the workbooks read here stay here (other tests look at all)."""
    monkeypatch.setattr(xlsx, "_TOPS", {})
    monkeypatch.setattr(xlsx, "_BOOKS", {})


def _calamine(path: Path) -> dict[str, list[list]]:
    _closer, found = xlsx.sheets(path, None, engine="calamine")
    return {sheet.name: [list(row) for row in sheet.rows()] for sheet in found}


def _scanned(path: Path, monkeypatch, scanner: str = "") -> dict[str, list[list]] | None:
    monkeypatch.setenv(sheetxml.SCANNER_VARIABLE, scanner)
    read_back = sheetxml.read_book(path, None)
    monkeypatch.delenv(sheetxml.SCANNER_VARIABLE)
    return None if read_back is None else dict(read_back[1])


@pytest.mark.parametrize("path", WORKBOOKS, ids=[p.name for p in WORKBOOKS])
def test_the_scanner_gives_calamines_rows(path: Path, monkeypatch) -> None:
    twin = _scanned(path, monkeypatch, "python")
    assert twin is not None  # every sample is plain enough
    assert twin == _calamine(path)
    if sheetxml.native is not None:
        assert _scanned(path, monkeypatch) == twin


def test_a_real_shaped_export_is_scanned_to_the_same_plans(tmp_path, monkeypatch) -> None:
    path = write_intake_xlsx(tmp_path / "export.xlsx", 40)
    assert _scanned(path, monkeypatch, "python") == _calamine(path)

    def plans(engine: str) -> list[str]:
        monkeypatch.setenv(xlsx.ENGINE_VARIABLE, engine)
        return [r.plan.model_dump_json() for r in read(path, ReadOptions()) if r.plan]

    assert plans("auto") == plans("calamine")
    assert len(plans("auto")) == 40


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_reference_is_left_to_the_grid_check(tmp_path, case, monkeypatch) -> None:
    path = _rewritten(_book(tmp_path / "hostile.xlsx"), HOSTILE[case])
    assert _scanned(path, monkeypatch, "python") is None
    if sheetxml.native is not None:
        assert _scanned(path, monkeypatch) is None


def _cell(ref: str, inner: str, attrs: str = ' t="inlineStr"') -> str:
    return f'<c r="{ref}"{attrs}>{inner}</c>'


HEAD = '<row r="1">' + _cell("A1", "<is><t>Client ID</t></is>") + "</row>"
#: sheetData contents: each is read exactly as calamine reads it, or left to calamine
ODD = {
    "entities": HEAD + '<row r="2">' + _cell("B2", "<is><t>a &amp; b &#233;&#x1F600;</t></is>"),
    "an unknown entity": HEAD + '<row r="2">' + _cell("B2", "<is><t>a &nbsp; b</t></is>"),
    "a space kept": HEAD
    + '<row r="2">'
    + _cell("B2", '<is><t xml:space="preserve"> padded </t></is>'),
    "a space trimmed by calamine": HEAD + '<row r="2">' + _cell("B2", "<is><t> x </t></is>"),
    "rich text": HEAD + '<row r="2">' + _cell("B2", "<is><r><t>a</t></r><r><t>b</t></r></is>"),
    "an escape": HEAD + '<row r="2">' + _cell("B2", "<is><t>a_x000D_b</t></is>"),
    "a formula string": HEAD + '<row r="2">' + _cell("B2", "<f>A1</f><v>x &lt; y</v>", ' t="str"'),
    "a formula number": HEAD + '<row r="2">' + _cell("B2", "<f>1+1</f><v>2</v>", ""),
    "a formula after its value": HEAD + '<row r="2">' + _cell("B2", "<v>2</v><f>1+1</f>", ""),
    "booleans": HEAD
    + '<row r="2">'
    + _cell("B2", "<v>1</v>", ' t="b"')
    + _cell("C2", "<v>0</v>", ' t="b"'),
    "an error": HEAD + '<row r="2">' + _cell("B2", "<v>#N/A</v>", ' t="e"'),
    "an ISO date": HEAD + '<row r="2">' + _cell("B2", "<v>2026-01-05</v>", ' t="d"'),
    "a number as text": HEAD + '<row r="2">' + _cell("B2", "<v>12abc</v>", ""),
    "an empty value": HEAD
    + '<row r="2">'
    + _cell("B2", "<v></v>", "")
    + _cell("C2", "<v/>", ' t="str"'),
    "a styled blank": HEAD + '<row r="2"><c r="B2" s="1"/>' + _cell("C2", "<v>7</v>", ""),
    "exponents": HEAD
    + '<row r="2">'
    + _cell("B2", "<v>1.5E-3</v>", "")
    + _cell("C2", "<v>-2e10</v>", ""),
    "a blank row between": HEAD + '<row r="3">' + _cell("C3", "<v>3</v>", ""),
    "a row of its own, closed": HEAD
    + '<row r="2" spans="1:3"/><row r="3">'
    + _cell("A3", "<v>1</v>", ""),
    "a cell after its row's column": HEAD
    + '<row r="2">'
    + _cell("C2", "<v>1</v>", "")
    + _cell("B2", "<v>2</v>", ""),
    "a row out of order": '<row r="2">'
    + _cell("A2", "<v>1</v>", "")
    + '</row><row r="1">'
    + _cell("A1", "<v>1</v>", ""),
    "a comment": HEAD + '<!-- note --><row r="2">' + _cell("A2", "<v>1</v>", ""),
    "an extension list": HEAD + '<row r="2">' + _cell("A2", "<v>1</v><extLst/>", ""),
    "cell metadata": HEAD + '<row r="2">' + _cell("A2", "<v>1</v>", ' cm="1" vm="1"'),
    "a control character": HEAD + '<row r="2">' + _cell("B2", "<is><t>a\x01b</t></is>"),
    "a carriage return": HEAD + '<row r="2">' + _cell("B2", "<is><t>a\r\nb</t></is>"),
    "a line feed": HEAD + '<row r="2">' + _cell("B2", "<is><t>a\nb</t></is>"),
}
for _name, _data in list(ODD.items()):
    if not _data.endswith("</row>"):
        ODD[_name] = _data + "</row>"


@pytest.mark.parametrize("case", sorted(ODD))
def test_odd_xml_is_read_as_calamine_reads_it_or_left_to_it(tmp_path, case, monkeypatch) -> None:
    path = _rewritten(_book(tmp_path / "odd.xlsx"), ODD[case])
    twin = _scanned(path, monkeypatch, "python")
    if sheetxml.native is not None:
        assert _scanned(path, monkeypatch) == twin
    if twin is not None:
        assert twin == _calamine(path)


def test_plain_cases_are_read_here(tmp_path, monkeypatch) -> None:
    for case in ("entities", "a formula number", "booleans", "a blank row between", "a line feed"):
        path = _rewritten(_book(tmp_path / f"{case}.xlsx"), ODD[case])
        assert _scanned(path, monkeypatch, "python") is not None, case


FORMATS = ["yyyy-mm-dd", "m/d/yy h:mm", "0.00", "#,##0", '"Due "dd/mm', "[h]:mm:ss", "General",
           '"$"#,##0_);[Red]("$"#,##0)', "mmm-yy", "[$-409]d-mmm", "hh:mm AM/PM", "@"]  # fmt: skip


def test_number_formats_are_read_as_calamine_reads_them(tmp_path, monkeypatch) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Client ID", *FORMATS])
    sheet.append(["C-1", *([46027] * len(FORMATS))])
    for column, number_format in enumerate(FORMATS, start=2):
        sheet.cell(2, column).number_format = number_format
    sheet.append(["C-2", dt.datetime(2026, 1, 5), dt.date(1999, 12, 31), 0.5, 12.25])
    path = tmp_path / "formats.xlsx"
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        styles = book.styles(archive)
    assert styles is not None and book.ODD in styles  # the duration: left to calamine
    without = [f for f in FORMATS if f != "[h]:mm:ss"]
    workbook.active.delete_cols(2 + FORMATS.index("[h]:mm:ss"))
    workbook.save(path)
    twin = _scanned(path, monkeypatch, "python")
    assert twin is not None and twin == _calamine(path)
    assert [type(v).__name__ for v in twin["Sheet"][1][1 : 1 + len(without)]] == [
        "date" if book.date_format(f) == book.DATE else "float" for f in without
    ]


def _mangled(seed: int, count: int) -> list[bytes]:
    """Valid sheet XML cut, doubled and sprinkled with markup characters."""
    rows = "".join(
        f'<row r="{n}">'
        + _cell(f"A{n}", f"<is><t>C-{n} &amp; x</t></is>")
        + _cell(f"B{n}", "<v>46027</v>", ' s="1"')
        + _cell(f"C{n}", f"<v>{n}.5</v>", "")
        + _cell(f"D{n}", "<v>0</v>", ' t="s"')
        + _cell(f"E{n}", "<f>A1</f><v>t</v>", ' t="str"')
        + "</row>"
        for n in range(1, 4)
    )
    base = f'<?xml version="1.0"?><worksheet><sheetData>{rows}</sheetData></worksheet>'.encode()
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        data = bytearray(base)
        for _edit in range(rng.randint(1, 3)):
            at = rng.randrange(len(data))
            kind = rng.random()
            if kind < 0.4:
                del data[at : at + rng.randint(1, 4)]
            elif kind < 0.8:
                data[at:at] = rng.choice(
                    [b"<", b">", b"/", b'"', b"&", b" ", b"r=", b"0", b"Z", b"\xe9"]
                )
            else:
                data[at : at + 1] = bytes([rng.randrange(256)])
        out.append(bytes(data))
    return out


@native
def test_the_c_scanner_and_its_python_twin_agree_on_mangled_xml() -> None:
    strings, styles = ["shared"], bytes([book.OTHER, book.DATE, book.ODD])
    accepted = 0
    for data in _mangled(19, 3000):
        python = scan.cells(data, strings, styles, DENSE_CELLS)
        assert sheetxml.native.cells(data, strings, styles, DENSE_CELLS) == python, data
        accepted += python is not None
    assert accepted > 100  # some mangling still reads (a changed value), most does not


@native
def test_the_c_shared_strings_and_the_twins_agree() -> None:
    base = (
        b'<?xml version="1.0"?><sst count="2"><si><t>a &lt; b</t></si>'
        b'<si><t xml:space="preserve"> c</t></si></sst>'
    )
    assert scan.strings(base) == ["a < b", " c"] == sheetxml.native.strings(base)
    rng = random.Random(4)
    for _ in range(2000):
        data = bytearray(base)
        at = rng.randrange(len(data))
        data[at : at + rng.randint(0, 2)] = rng.choice([b"<", b">", b"/", b"&", b" ", b"", b"x"])
        assert sheetxml.native.strings(bytes(data)) == scan.strings(bytes(data)), bytes(data)


def test_a_grid_past_the_limit_is_not_laid_out() -> None:
    xml = b"<worksheet><sheetData>" + b'<row r="1"><c r="A1"><v>1</v></c></row>'
    far = xml + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    for scanner in filter(None, (scan, sheetxml.native)):
        assert scanner.cells(far, [], b"", DENSE_CELLS) is None
        near = xml + b'<row r="3"><c r="C3"><v>1</v></c></row></sheetData></worksheet>'
        assert scanner.cells(near, [], b"", 9) is not None
        assert scanner.cells(near, [], b"", 8) is None


def test_without_the_c_scanner_calamine_reads(monkeypatch, tmp_path) -> None:
    path = write_intake_xlsx(tmp_path / "export.xlsx", 5)
    monkeypatch.setattr(sheetxml, "native", None)
    assert sheetxml.read_book(path, None) is None
    closer, found = xlsx.sheets(path, None)
    assert closer is None and found  # calamine's sheets


def _styles(xml: bytes) -> bytes | None:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(book.STYLES, xml)
    with zipfile.ZipFile(buffer) as archive:
        return book.styles(archive)


def test_cell_styles_are_read_in_order_and_odd_ones_refused() -> None:
    xfs = b'<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf/></cellXfs>'
    formats = b'<numFmts><numFmt numFmtId="164" formatCode="dd&quot;.&quot;mm"/></numFmts>'
    assert _styles(b"<styleSheet>" + formats + xfs + b"</styleSheet>") == bytes([0, 1, 1, 0])
    assert _styles(b'<styleSheet><numFmts count="0"/>' + xfs + b"</styleSheet>") == bytes(
        [0, 1, 0, 0]
    )
    assert _styles(b"<styleSheet>" + xfs + xfs + b"</styleSheet>") is None
    assert _styles(b"<styleSheet>" + b"<cellXfs>" * 200_000 + b"</styleSheet>") is None
    assert _styles(b"<x:styleSheet>" + xfs.replace(b"<xf", b"<x:xf") + b"</x:styleSheet>") is None
