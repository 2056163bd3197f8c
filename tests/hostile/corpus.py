"""The hostile-input corpus, generated at test time (nothing of it is committed).

Each :class:`Case` is one input (or a few files) and the ``txplan`` command line that reads
it. Categories follow issue 16: ordinary bad values in intake columns, broken CSV structure
and encodings, plan JSON, XLSX and DOCX packages (zip and XML bombs, entities, impossible
rows), PDFs (huge pages, page counts, stream bombs, damaged forms), YAML mapping profiles
(alias bombs, python tags) and review CSVs. :func:`cases` yields them all (>= 500);
``fast`` ones are the subset ``make test`` runs.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

SHEET_NS = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
HEADER = ["Client ID", "First Name", "Last Name", "DOB", "Diagnosis", "PHQ-9 Total",
          "GAD-7 Total", "Intake Date", "Review Interval", "Notes"]  # fmt: skip
GOOD = ["H-001", "Ana", "Diaz", "1980-04-12", "F41.1", "14", "12", "2026-01-05", "90", "ok"]


@dataclass(frozen=True)
class Case:
    id: str
    category: str
    files: dict[str, Callable[[], bytes]]  #: name -> maker (made lazily, at test time)
    argv: tuple[str, ...]  #: txplan arguments; "{f}" is replaced by the first file's path
    fast: bool = False
    notes: dict = field(default_factory=dict)


def _csv(rows: list[list[str]], *, encoding: str = "utf-8", sep: str = ",") -> bytes:
    def cell(value: str) -> str:
        if any(c in value for c in f'{sep}"\n\r'):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "\r\n".join(sep.join(cell(v) for v in row) for row in rows).encode(
        encoding, "surrogatepass"
    )


def _row(**changes: str) -> list[str]:
    row = dict(zip(HEADER, GOOD, strict=True))
    row.update(changes)
    return [row[h] for h in HEADER]


def _intake(**changes: str) -> bytes:
    return _csv([HEADER, _row(**changes), _row(**{"Client ID": "H-002"})])


def _parse(name: str, maker: Callable[[], bytes]) -> dict:
    return {"files": {name: maker}, "argv": ("parse", "{f}")}


# --- ordinary values that once crashed a run ----------------------------------------------

DIAGNOSES = ["N/A", "none", "-", "deferred", "Deferred", "123", "", "F41", "F41.", "f411",
             "F41.1; F32.1", "ICD-9 300.02", "SNOMED 35489007", "Z00.00", "F99.99999999",
             "F41.1 " + "x" * 5000, "=cmd|' /C calc'!A0", "\x00F41.1", "F41.1\u202e", "R/O F41.1",
             "799.9", "V71.09", "unknown", "?"]  # fmt: skip
PHQ_TOTALS = ["n/a", "refused", "12.5", "-1", "28", "1e999", "NaN", "inf", "9" * 400, "",
              "14/27", "fourteen", "0x0E", "١٤", "14 (moderate)", "12,5", "+14", "=1+1",
              "\x1b[2J14"]  # fmt: skip
DATES = ["9999-12-31", "0001-01-01", "0000-00-00", "31/02/1990", "2026-13-01", "1e10", "-1",
         "99999999999", "1900-02-29", "2026-02-29", "yesterday", "01/02/03", "2026-01-05T25:00",
         "20260105", "5 Jan 2026", "Jan 5", "1/1/1"]  # fmt: skip
IDS = ["", "   ", "../../escape", "/abs/olute", "./H-001", "H-001\nforged: ok", "\x00", "\x1b]0;x",
       "C\u202e1", "x" * 10_000, "=HYPERLINK(\"http://x\")", "H-001", "H-\ud800"]  # fmt: skip
NAMES = ["\x00", "\x0bJosé", "Ana\x1b[31m", "\u202eDiaz", "A" * 100_000, "José", "Jos\u0065\u0301",
         "'; DROP TABLE versions;--", "{{ 7*7 }}", "{% for x in range(10**9) %}{% endfor %}",
         "\ud800"]  # fmt: skip
INTERVALS = ["-90", "0", "1e9", "abc", "999999999999999999999", "90.5", ""]


def value_cases() -> Iterator[Case]:
    for i, value in enumerate(DIAGNOSES):
        yield Case(f"dx-{i}", "values", **_parse("x.csv", lambda v=value: _intake(Diagnosis=v)),
                   fast=i < 6)  # fmt: skip
    for i, value in enumerate(PHQ_TOTALS):
        yield Case(f"phq-{i}", "values",
                   **_parse("x.csv", lambda v=value: _intake(**{"PHQ-9 Total": v})),
                   fast=i < 3)  # fmt: skip
    for i, (dx, phq) in enumerate(itertools.product(DIAGNOSES[:12], PHQ_TOTALS[:14])):
        maker = lambda d=dx, p=phq: _intake(Diagnosis=d, **{"PHQ-9 Total": p})  # noqa: E731
        yield Case(f"dx-phq-{i}", "values", **_parse("x.csv", maker))
    for i, (column, value) in enumerate(itertools.product(("DOB", "Intake Date"), DATES)):
        yield Case(f"date-{i}", "values", **_parse("x.csv", lambda c=column, v=value: _intake(**{c: v})),
                   fast=i in (0, 3))  # fmt: skip
    for i, value in enumerate(IDS):
        yield Case(f"id-{i}", "values", **_parse("x.csv", lambda v=value: _intake(**{"Client ID": v})),
                   fast=i in (0, 2, 5))  # fmt: skip
    for i, (column, value) in enumerate(
        itertools.product(("First Name", "Last Name", "Notes"), NAMES)
    ):
        yield Case(f"name-{i}", "values", **_parse("x.csv", lambda c=column, v=value: _intake(**{c: v})),
                   fast=i in (1, 2))  # fmt: skip
    for i, value in enumerate(INTERVALS):
        yield Case(f"interval-{i}", "values",
                   **_parse("x.csv", lambda v=value: _intake(**{"Review Interval": v})))  # fmt: skip
    for i, (dx, date) in enumerate(itertools.product(DIAGNOSES[:8], DATES[:8])):
        yield Case(f"dx-date-{i}", "values",
                   **_parse("x.csv", lambda d=dx, t=date: _intake(Diagnosis=d, DOB=t)))  # fmt: skip


# --- CSV structure and encodings ----------------------------------------------------------


def _good_lines(n: int = 3) -> list[list[str]]:
    return [HEADER] + [_row(**{"Client ID": f"H-{k:03d}"}) for k in range(1, n + 1)]


def structure_cases() -> Iterator[Case]:
    good = _csv(_good_lines())
    makers: dict[str, Callable[[], bytes]] = {
        "unclosed-quote": lambda: good.replace(b"Ana", b'"Ana', 1),
        "quote-swallows-next": lambda: good.replace(b"Diaz", b'Di"az"x', 1),
        "field-10mb": lambda: _intake(Notes="x" * 10_000_000),
        "cp1252-row-in-utf8": lambda: (
            good
            + "\r\nH-009,Jos\u00e9,Pe\u00f1a,1980-01-01,F41.1,3,3,2026-01-05,90,".encode("cp1252")
        ),
        "invalid-utf8": lambda: good.replace(b"Ana", b"An\xff\xfe", 1),
        "utf16-bom": lambda: _csv(_good_lines(), encoding="utf-16"),
        "utf16-no-bom": lambda: _csv(_good_lines(), encoding="utf-16-le"),
        "bom-only": lambda: b"\xef\xbb\xbf",
        "nul-bytes": lambda: good.replace(b",", b"\x00,", 5),
        "all-nul": lambda: b"\x00" * 10_000,
        "empty": lambda: b"",
        "header-only": lambda: _csv([HEADER]),
        "newlines-only": lambda: b"\n" * 100_000,
        "columns-20000": lambda: _csv([[f"c{i}" for i in range(20_000)], ["1"] * 20_000]),
        "cr-only": lambda: good.replace(b"\r\n", b"\r"),
        "mixed-delimiters": lambda: good.replace(b",", b";", 7),
        "duplicate-headers": lambda: _csv([HEADER + HEADER, GOOD + GOOD]),
        "header-10k-chars": lambda: _csv([[h * 1000 for h in HEADER], GOOD]),
        "one-line-2mb": lambda: b"a" * 2_000_000,
        "binary-garbage": lambda: bytes(range(256)) * 400,
        "zip-renamed": lambda: _zip({"a.txt": b"hello"}),
        "html-renamed": lambda: b"<html><body><table><tr><td>x</td></tr></table></body></html>",
        "rows-5000": lambda: _csv(_good_lines(5_000)),
        "same-id-twice-differing": lambda: _csv([HEADER, GOOD, _row(DOB="1957-08-17")]),
        "ragged-rows": lambda: _csv([HEADER, GOOD[:3], GOOD + ["x"] * 50]),
        "quotes-everywhere": lambda: b'"' * 100_000,
        "deep-quotes": lambda: b'"""' * 30_000 + b"\n",
        "tabs-and-semicolons": lambda: _csv(_good_lines(), sep="\t").replace(b"\t", b";\t", 4),
        "long-lines-100": lambda: _csv(
            [HEADER] + [_row(**{"Client ID": f"L{k}", "Notes": "n" * 100_000}) for k in range(100)]
        ),
        "title-rows-1000": lambda: b"title\r\n" * 1000 + good,
    }
    fast = {"unclosed-quote", "cp1252-row-in-utf8", "invalid-utf8", "field-10mb", "empty"}
    for name, maker in makers.items():
        yield Case(f"csv-{name}", "csv", **_parse("x.csv", maker), fast=name in fast)
    for name in ("unclosed-quote", "cp1252-row-in-utf8", "nul-bytes", "utf16-bom", "field-10mb"):
        yield Case(f"tsv-{name}", "csv", **_parse("x.tsv", makers[name]))


# --- plan JSON ----------------------------------------------------------------------------


def _plan() -> dict:
    from tests.support import DATA

    return json.loads((DATA / "render" / "full.json").read_text(encoding="utf-8"))


def _with(path: list, value) -> Callable[[], bytes]:
    def make() -> bytes:
        data = _plan()
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return json.dumps(data).encode("utf-8")

    return make


def json_cases() -> Iterator[Case]:
    makers: dict[str, Callable[[], bytes]] = {
        "nested-1000": lambda: b"[" * 1000 + b"]" * 1000,
        "nested-100000": lambda: b"[" * 100_000 + b"]" * 100_000,
        "nested-objects-5000": lambda: b'{"a":' * 5000 + b"1" + b"}" * 5000,
        "int-5000-digits": lambda: b'{"schema_version": ' + b"9" * 5000 + b"}",
        "float-1e999": lambda: b'{"schema_version": 1e999}',
        "lone-surrogate": _with(["client", "first_name"], "\ud800"),
        "escaped-lone-surrogate": lambda: (
            json.dumps(_plan()).replace('"Maya"', '"\\ud800"').encode()
        ),
        "string-5mb": _with(["client", "first_name"], "x" * 5_000_000),
        "goals-100000": lambda: json.dumps(
            {**_plan(), "goals": [_plan()["goals"][0]] * 100_000}
        ).encode(),
        "null": lambda: b"null",
        "array-empty": lambda: b"[]",
        "wrong-schema": _with(["schema_version"], "99.0"),
        "truncated": lambda: json.dumps(_plan()).encode()[:500],
        "bom": lambda: b"\xef\xbb\xbf" + json.dumps(_plan()).encode(),
        "nan": lambda: json.dumps(_plan()).replace('"Maya"', "NaN").encode(),
        "duplicate-keys": lambda: json.dumps(_plan())[:-1].encode() + b', "client": {}}',
        "date-9999": _with(["plan_date"], "9999-12-31"),
        "date-0001": _with(["intake_date"], "0001-01-01"),
        "empty-id": _with(["client", "id"], ""),
        "negative-interval": _with(["review", "interval_days"], -90),
        "huge-interval": _with(["review", "interval_days"], 10**30),
        "control-name": _with(["client", "first_name"], "\x00\x1b\u202eMaya"),
        "number-as-string": _with(["client", "id"], 123),
        "measures-huge-total": _with(["measures"], [{"instrument": "PHQ-9", "total": 10**4000}]),
    }
    fast = {"nested-1000", "int-5000-digits", "lone-surrogate", "goals-100000", "date-9999"}
    for name, maker in makers.items():
        yield Case(f"json-{name}", "json", **_parse("x.json", maker), fast=name in fast)
    good = lambda: json.dumps(_plan()).encode()  # noqa: E731
    jsonl: dict[str, Callable[[], bytes]] = {
        "invalid-utf8-line": lambda: good() + b"\n" + b'{"client": "\xff\xfe"}\n' + good() + b"\n",
        "one-bad-line": lambda: good() + b"\n{nope\n" + good() + b"\n",
        "blank-lines": lambda: b"\n\n" + good() + b"\n\n\n",
        "lines-100000-empty-objects": lambda: b"{}\n" * 100_000,
        "deep-line": lambda: good() + b"\n" + b"[" * 50_000 + b"\n",
        "crlf": lambda: good() + b"\r\n" + good() + b"\r\n",
    }
    for name, maker in jsonl.items():
        yield Case(
            f"jsonl-{name}", "json", **_parse("x.jsonl", maker), fast=name == "invalid-utf8-line"
        )


# --- XLSX and DOCX packages -----------------------------------------------------------------


def _zip(members: dict[str, bytes], *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@functools.lru_cache(maxsize=8)
def _deflated(size: int, prefix: bytes, fill: bytes = b"a") -> tuple[bytes, int, int]:
    """Raw deflate data of ``prefix`` + ``fill`` up to ``size`` bytes, its CRC-32 and Adler-32.

    One megabyte is compressed once after a full flush (which makes a block independent of
    what came before) and repeated, so a 1.5 GB bomb costs a second to make, not a minute."""
    chunk = fill * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count, left = divmod(size - len(prefix), len(chunk))
    tail = compressor.compress(chunk[:left]) + compressor.flush()
    crc, adler = zlib.crc32(prefix), zlib.adler32(prefix)
    for _ in range(count):
        crc, adler = zlib.crc32(chunk, crc), zlib.adler32(chunk, adler)
    crc, adler = zlib.crc32(chunk[:left], crc), zlib.adler32(chunk[:left], adler)
    return head + block * count + tail, crc, adler


def _bomb_member(name: str, size: int, prefix: bytes = b"") -> tuple[bytes, int]:
    body, crc, _adler = _deflated(size, prefix)
    return body, crc


BOMB_PREFIX = {
    "xl/sharedStrings.xml": b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>',
    "xl/worksheets/sheet1.xml": SHEET_NS + b'<sheetData><row r="1"><c t="inlineStr"><is><t>',
    "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>',
}


def _raw_zip(members: dict[str, bytes], bombs: dict[str, int]) -> bytes:
    """A zip with ordinary members and deflated members of a given inflated size."""
    import struct

    out = io.BytesIO()
    central = []
    for name, data in list(members.items()) + [(n, None) for n in bombs]:
        if data is None:
            body, crc = _bomb_member(name, bombs[name], BOMB_PREFIX.get(name, b"<x>"))
            size = bombs[name]
        else:
            comp = zlib.compressobj(6, zlib.DEFLATED, -15)
            body = comp.compress(data) + comp.flush()
            crc, size = zlib.crc32(data), len(data)
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), size,
                              len(encoded), 0) + encoded + body)  # fmt: skip
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc,
                                   len(body), size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)  # fmt: skip
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                          out.tell() - start, start, 0))  # fmt: skip
    return out.getvalue()


def _xlsx(sheet: bytes, shared: bytes | None = None, extra: dict[str, bytes] | None = None,
          bombs: dict[str, int] | None = None) -> bytes:  # fmt: skip
    members = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Clients" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        members["xl/sharedStrings.xml"] = shared
    members.update(extra or {})
    if bombs:
        return _raw_zip({k: v for k, v in members.items() if k not in bombs}, bombs)
    return _zip(members)


def _sheet(
    rows: list[list[str]], row_numbers: list[int] | None = None, dimension: str = ""
) -> bytes:
    parts = [SHEET_NS]
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>'.encode())
    parts.append(b"<sheetData>")
    for i, row in enumerate(rows):
        number = row_numbers[i] if row_numbers else i + 1
        cells = "".join(f'<c t="inlineStr"><is><t>{_xml(v)}</t></is></c>' for v in row)
        parts.append(f'<row r="{number}">{cells}</row>'.encode())
    parts.append(b"</sheetData></worksheet>")
    return b"".join(parts)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
                     for i in range(1, 10))
          + b"]>")  # fmt: skip


def xlsx_cases() -> Iterator[Case]:
    good_rows = [HEADER, GOOD]
    makers: dict[str, Callable[[], bytes]] = {
        "good": lambda: _xlsx(_sheet(good_rows)),
        "bomb-shared-strings": lambda: _xlsx(
            _sheet(good_rows), bombs={"xl/sharedStrings.xml": 1_500_000_000}
        ),
        "bomb-sheet": lambda: _xlsx(b"", bombs={"xl/worksheets/sheet1.xml": 1_500_000_000}),
        "shared-index-out-of-range": lambda: _xlsx(
            SHEET_NS
            + b'<sheetData><row r="1"><c t="s"><v>999999</v></c></row></sheetData></worksheet>',
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>a</t></si></sst>',
        ),
        "row-99999999999": lambda: _xlsx(_sheet(good_rows, [1, 99_999_999_999])),
        "row-1048576": lambda: _xlsx(_sheet(good_rows, [1, 1_048_576])),
        "rows-descending": lambda: _xlsx(_sheet([HEADER, GOOD, GOOD], [3, 2, 1])),
        "dimension-huge": lambda: _xlsx(_sheet(good_rows, dimension="A1:XFD1048576")),
        "laughs-shared": lambda: _xlsx(
            _sheet(good_rows),
            LAUGHS
            + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>',
        ),
        "laughs-sheet": lambda: _xlsx(
            LAUGHS
            + SHEET_NS[21:]
            + b'<sheetData><row r="1"><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
        ),
        "xxe-file": lambda: _xlsx(
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            + SHEET_NS[21:]
            + b'<sheetData><row r="1"><c t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>'
        ),
        "xxe-network": lambda: _xlsx(
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>'
            + SHEET_NS[21:]
            + b'<sheetData><row r="1"><c t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>'
        ),
        "no-workbook": lambda: _zip({"[Content_Types].xml": b"<Types/>"}),
        "truncated": lambda: _xlsx(_sheet(good_rows))[:-200],
        "central-directory-garbage": lambda: (
            _xlsx(_sheet(good_rows))[:-22] + b"PK\x05\x06" + b"\xff" * 18
        ),
        "not-xml-sheet": lambda: _xlsx(b"\x00\x01 not xml"),
        "empty-sheet": lambda: _xlsx(SHEET_NS + b"<sheetData/></worksheet>"),
        "columns-16384": lambda: _xlsx(_sheet([[f"h{i}" for i in range(16384)], ["1"] * 16384])),
        "cell-32767": lambda: _xlsx(_sheet([HEADER, _row(Notes="x" * 32767)])),
        "date-serial-huge": lambda: _xlsx(
            SHEET_NS
            + b'<sheetData><row r="1"><c t="inlineStr"><is><t>Client ID</t></is></c><c t="inlineStr"><is><t>DOB</t></is></c></row><row r="2"><c t="inlineStr"><is><t>X1</t></is></c><c s="1"><v>1e308</v></c></row></sheetData></worksheet>'
        ),
        "control-chars-escaped": lambda: _xlsx(
            _sheet([HEADER, _row(**{"First Name": "_x0000__x001B_Ana"})])
        ),
        "many-sheets-rels-loop": lambda: _xlsx(
            _sheet(good_rows),
            extra={
                "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="../../../etc/passwd"/></Relationships>'
            },
        ),
        "many-members": lambda: _zip({f"junk/{i}.xml": b"<a/>" for i in range(20_000)}),
        "ole-header": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000,
    }
    fast = {"bomb-shared-strings", "shared-index-out-of-range", "row-99999999999", "laughs-shared"}
    for name, maker in makers.items():
        yield Case(f"xlsx-{name}", "xlsx", **_parse("x.xlsx", maker), fast=name in fast)


DOCX_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
DOCX_RELS = b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(document: bytes | None, bombs: dict[str, int] | None = None) -> bytes:
    members = {"[Content_Types].xml": DOCX_TYPES, "_rels/.rels": DOCX_RELS}
    if document is not None:
        members["word/document.xml"] = document
    if bombs:
        return _raw_zip(members, bombs)
    return _zip(members)


def _table(rows: int) -> bytes:
    row = b"<w:tr><w:tc><w:p><w:r><w:t>Client ID</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>D-1</w:t></w:r></w:p></w:tc></w:tr>"
    return (
        b'<?xml version="1.0"?><w:document '
        + W
        + b"><w:body><w:tbl>"
        + row * rows
        + b"</w:tbl></w:body></w:document>"
    )


def docx_cases() -> Iterator[Case]:
    def body(inner: bytes) -> bytes:
        return (
            b'<?xml version="1.0"?><w:document '
            + W
            + b"><w:body>"
            + inner
            + b"</w:body></w:document>"
        )

    makers: dict[str, Callable[[], bytes]] = {
        "no-body": lambda: _docx(b'<?xml version="1.0"?><w:document ' + W + b"/>"),
        "no-document": lambda: _docx(None),
        "bomb-document": lambda: _docx(None, bombs={"word/document.xml": 1_500_000_000}),
        "laughs": lambda: _docx(
            LAUGHS
            + b"<w:document "
            + W
            + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
        ),
        "xxe": lambda: _docx(
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:document '
            + W
            + b"><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>"
        ),
        "truncated": lambda: _docx(body(b"<w:p/>"))[:-100],
        "table-100000-rows": lambda: _docx(_table(100_000)),
        "nested-tables-500": lambda: _docx(
            body(b"<w:tbl><w:tr><w:tc>" * 500 + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * 500)
        ),
        "nested-sdt-5000": lambda: _docx(
            body(b"<w:sdt><w:sdtContent>" * 5000 + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * 5000)
        ),
        "control-char-ref": lambda: _docx(
            body(b"<w:p><w:r><w:t>Client ID: &#x1b;A&#x0;</w:t></w:r></w:p>")
        ),
        "not-xml": lambda: _docx(b"\xff\xfe garbage"),
        "text-10mb": lambda: _docx(
            body(b"<w:p><w:r><w:t>" + b"x" * 10_000_000 + b"</w:t></w:r></w:p>")
        ),
        "paragraphs-200000": lambda: _docx(
            body(b"<w:p><w:r><w:t>Name: A</w:t></w:r></w:p>" * 200_000)
        ),
        "empty-zip": lambda: _zip({}),
        "renamed-text": lambda: b"Client ID: X\nName: Y\n",
    }
    fast = {"no-body", "bomb-document", "laughs"}
    for name, maker in makers.items():
        yield Case(f"docx-{name}", "docx", **_parse("x.docx", maker), fast=name in fast)


# --- PDF ------------------------------------------------------------------------------------


def _pdf(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, root, trailer_extra, xref))  # fmt: skip
    return out.getvalue()


def _pages(count: int, box: bytes = b"[0 0 612 792]", content: bytes | None = None) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)]  # fmt: skip
    stream_ref = b""
    if content is not None:
        stream_ref = b" /Contents %d 0 R" % (3 + count)
    for _ in range(count):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox %s%s >>" % (box, stream_ref))
    if content is not None:
        objects.append(content)
    return _pdf(objects)


def _flate_stream(size: int) -> bytes:
    body, _crc, adler = _deflated(size, b"", b"0 0 m ")
    data = b"\x78\xda" + body + adler.to_bytes(4, "big")
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"


def pdf_cases() -> Iterator[Case]:
    makers: dict[str, Callable[[], bytes]] = {
        "blank-huge-page": lambda: _pages(1, b"[0 0 200000 200000]"),
        "blank-page": lambda: _pages(1),
        "pages-2000": lambda: _pages(2000),
        "stream-bomb": lambda: _pages(1, content=_flate_stream(1_500_000_000)),
        "truncated": lambda: _pages(1)[:-60],
        "not-pdf": lambda: b"%PDF-garbage" + b"\x00" * 100,
        "empty": lambda: b"",
        "pages-loop": lambda: _pdf(
            [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]
        ),  # fmt: skip
        "acroform-fields-loop": lambda: _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                b"<< /T (Client ID) /Kids [4 0 R] /V (X) >>",
            ]
        ),
        "acroform-broken-field": lambda: _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 99 0 R 5] >> >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                b"<< /T (Client ID) /FT /Tx /V (P-1) >>",
            ]
        ),
        "image-50000px": lambda: _image_pdf(50_000, 50_000),
        "text-huge-font": lambda: _pages(
            1,
            content=b"<< /Length 44 >>\nstream\nBT /F1 100000 Tf 0 0 Td (Client ID: X) Tj ET\nendstream",
        ),
        "xref-garbage": lambda: _pages(1).replace(b"xref", b"xxxx"),
        "encrypted-marker": lambda: _pdf(
            [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"],
            trailer_extra=b"/Encrypt << /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >> ",
        ),
        "count-lies": lambda: _pdf(
            [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 99999999 >>"]
        ),
    }
    fast = {"blank-huge-page", "stream-bomb", "acroform-broken-field"}
    for name, maker in makers.items():
        yield Case(f"pdf-{name}", "pdf", **_parse("x.pdf", maker), fast=name in fast)


def _image_pdf(width: int, height: int) -> bytes:
    data = zlib.compress(b"\xff" * (width // 8 + 1) * 64, 9)
    image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
             b"/BitsPerComponent 1 /Length %d /Filter /FlateDecode >>\nstream\n" % (width, height, len(data))
             + data + b"\nendstream")  # fmt: skip
    content = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
            image,
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )


# --- YAML mapping profiles and review CSVs ---------------------------------------------------


def _yaml_alias_bomb() -> bytes:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\ncolumns: *a9\n").encode()


def yaml_cases() -> Iterator[Case]:
    makers: dict[str, Callable[[], bytes]] = {
        "alias-bomb": _yaml_alias_bomb,
        "python-tag": lambda: b"!!python/object/apply:os.system ['echo pwned > pwned.txt']\n",
        "python-name": lambda: b"columns: !!python/name:os.system\n",
        "size-20mb": lambda: b"columns:\n" + b"  x: client.id\n" * 1_500_000,
        "deep": lambda: b"columns: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
        "tabs": lambda: b"columns:\n\tx: y\n",
        "not-utf8": lambda: b"columns:\n  \xff\xfe: client.id\n",
        "wrong-types": lambda: b"columns: 12\nsheet: [1, 2]\n",
        "scalar": lambda: b"just text\n",
        "empty": lambda: b"",
        "huge-int": lambda: b"header_row: " + b"9" * 5000 + b"\n",
        "duplicate-keys": lambda: b"columns:\n  a: client.id\n  a: client.first_name\n",
        "unknown-target": lambda: b"columns:\n  Client ID: client.nope\n",
    }
    for name, maker in makers.items():
        yield Case(f"yaml-{name}", "yaml", {"p.yaml": maker, "x.csv": lambda: _intake()},
                   ("parse", "--profile", "{f}", "x.csv"), fast=name == "alias-bomb")  # fmt: skip


REVIEW = ["Client ID", "Review Date", "Objective ID", "Status", "Measure", "Score", "Rationale"]


def review_cases() -> Iterator[Case]:
    def review(*rows: list[str]) -> Callable[[], bytes]:
        return lambda: _csv([REVIEW, *rows])

    makers: dict[str, Callable[[], bytes]] = {
        "field-10mb": review(["C-1", "2024-04-01", "G1.O1", "Met", "", "", "x" * 10_000_000]),
        "score-400-digits": review(["C-1", "2024-04-01", "G1.O1", "Met", "PHQ-9", "9" * 400, ""]),
        "met-and-not-met": review(
            ["C-1", "2024-04-01", "G1.O1", "Met", "", "", ""],
            ["C-1", "2024-04-01", "G1.O1", "Not met", "", "", ""],
        ),
        "date-9999": review(["C-1", "9999-12-31", "G1.O1", "Met", "", "", ""]),
        "empty-id": review(["", "2024-04-01", "G1.O1", "Met", "", "", ""]),
        "control-chars": review(["C-\x1b1", "2024-04-01", "G1.O1\x00", "Met\u202e", "", "", ""]),
        "header-only": review(),
        "empty": lambda: b"",
        "unclosed-quote": lambda: _csv(
            [REVIEW, ["C-1", "2024-04-01", "G1.O1", "Met", "", "", "x"]]
        ).replace(b"Met", b'"Met', 1),
        "binary": lambda: bytes(range(256)) * 100,
    }
    for name, maker in makers.items():
        yield Case(f"review-{name}", "review", {"r.csv": maker},
                   ("revise", "{f}", "--store", "s.sqlite3", "--no-bank"),
                   fast=name in ("score-400-digits", "met-and-not-met"))  # fmt: skip


def cases() -> list[Case]:
    """Every case, in a stable order."""
    from tests.hostile.corpus_templates import template_cases, watch_cases

    return [*value_cases(), *structure_cases(), *json_cases(), *xlsx_cases(), *docx_cases(),
            *pdf_cases(), *yaml_cases(), *review_cases(), *template_cases(),
            *watch_cases()]  # fmt: skip
