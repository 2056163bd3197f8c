"""The C sheet scanner reads untrusted XML: it must agree with its Python twin on every small
edit of a real-shaped sheet and shared-strings part (each character inserted, bytes deleted, the
part cut short at every offset), and do so without one out-of-bounds read or undefined
operation under AddressSanitizer and UndefinedBehaviorSanitizer (a subprocess runs the same
edits against a sanitized build of ``cscan.c``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline.readers import sheetxml
from pipeline.readers.sheetxml import book, scan
from tests.support import ROOT

STRINGS = ["shared", "two"]
STYLES = bytes([book.OTHER, book.DATE, book.ODD])
SHEET = (
    b'<?xml version="1.0"?><worksheet><dimension ref="A1:E2"/><sheetData>'
    b'<row r="1" spans="1:5"><c r="A1" t="s"><v>1</v></c><c r="B1" s="1"><v>46027</v></c>'
    b'<c r="C1" t="inlineStr"><is><t>x &#x10FFFF; &#233; &amp;</t></is></c>'
    b'<c r="D1" t="b"><v>1</v></c><c r="E1" t="str"><f>A1</f><v>t</v></c></row>'
    b'<row r="2"><c r="A2"><v>-1.5E+3</v></c><c r="B2" s="2"><v>46027.5</v></c>'
    b'<c r="C2" t="e"><v>#N/A</v></c><c r="D2"/></row></sheetData>'
    b'<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>'
)
SHARED = (
    b'<?xml version="1.0"?><sst count="3"><si><t>a &lt; b</t></si>'
    b'<si><r><rPr/><t>rich</t></r></si><si><t xml:space="preserve"> c&#10;</t></si><si/></sst>'
)
INSERTED = [b"<", b">", b"/", b'"', b"&", b";", b"#", b"x", b"0", b"9", b"A", b"Z", b" ",
            b"\0", b"\xff", b"\xe9", b"r=", b"&#", b"</c>", b"<c>", b'"/>']  # fmt: skip


def edits(base: bytes) -> Iterator[bytes]:
    """``base`` with each of INSERTED put in at every offset, 1-5 bytes deleted there, and
    cut short there."""
    for at in range(len(base) + 1):
        for piece in INSERTED:
            yield base[:at] + piece + base[at:]
        for count in (1, 2, 3, 5):
            yield base[:at] + base[at + count :]
        yield base[:at]


def check(native: object) -> int:
    """Every edit read by ``native`` as by the twin; the number of edits read."""
    cases: list[tuple[bytes, Callable[[object, bytes], object]]] = [
        (SHEET, lambda m, d: m.cells(d, STRINGS, STYLES, 1 << 20)),  # type: ignore[attr-defined]
        (SHEET, lambda m, d: m.cells(d, [], b"", 64)),  # type: ignore[attr-defined]
        (SHARED, lambda m, d: m.strings(d)),  # type: ignore[attr-defined]
    ]
    count = 0
    for base, call in cases:
        for data in edits(base):
            assert call(native, data) == call(scan, data), data
            count += 1
    return count


@pytest.mark.skipif(sheetxml.native is None, reason="the C scanner is not built")
def test_every_small_edit_is_read_as_the_twin_reads_it() -> None:
    assert check(sheetxml.native) > 20_000


def _runtime(compiler: str, name: str) -> str | None:
    found = subprocess.run([compiler, f"-print-file-name={name}"], capture_output=True,
                           text=True, check=False).stdout.strip()  # fmt: skip
    return found if os.path.isabs(found) and os.path.exists(found) else None


@pytest.mark.slow
def test_the_scanner_is_memory_safe_under_sanitizers(tmp_path: Path) -> None:
    compiler = shutil.which("gcc")
    headers = sysconfig.get_paths()["include"]
    if compiler is None or not (Path(headers) / "Python.h").exists():
        pytest.skip("no gcc or Python headers: the C scanner is not built here either")
    asan, ubsan = _runtime(compiler, "libasan.so"), _runtime(compiler, "libubsan.so")
    if asan is None or ubsan is None:
        pytest.skip("gcc's sanitizer runtimes are not installed")
    module = tmp_path / f"cscan{sysconfig.get_config_var('EXT_SUFFIX')}"
    source = ROOT / "pipeline" / "readers" / "sheetxml" / "cscan.c"
    subprocess.run([compiler, "-O1", "-g", "-fsanitize=address,undefined",
                    "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-shared", "-fPIC",
                    f"-I{headers}", str(source), "-o", str(module)], check=True)  # fmt: skip
    script = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('cscan', {str(module)!r})\n"
        "native = importlib.util.module_from_spec(spec); spec.loader.exec_module(native)\n"
        "from tests.readers.test_sheet_scan_safety import check\n"
        "print('read', check(native))\n"
    )
    env = {**os.environ, "LD_PRELOAD": f"{asan}:{ubsan}", "PYTHONMALLOC": "malloc",
           "ASAN_OPTIONS": "detect_leaks=0", "PYTHONPATH": str(ROOT)}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.startswith("read "), done.stdout
