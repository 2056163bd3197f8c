"""fixed_zip: members as zipfile writes them; per-plan members deflated by libdeflate."""

from __future__ import annotations

import io
import zipfile
import zlib

from hypothesis import given
from hypothesis import strategies as st

from pipeline.writers.fixed_zip import LEVEL, QUICK, ZIP_TIME, member, rezip, write_zip


@given(st.binary(max_size=3000) | st.text(max_size=2000).map(str.encode))
def test_a_quick_member_reads_back_with_zipfile(data: bytes) -> None:
    archive = write_zip([member("word/document.xml", data, QUICK), member("a.xml", data)])
    with zipfile.ZipFile(io.BytesIO(archive)) as read:
        assert read.testzip() is None  # every CRC-32 checked
        assert read.read("word/document.xml") == data == read.read("a.xml")
        info = read.getinfo("word/document.xml")
        assert info.compress_type == zipfile.ZIP_DEFLATED and info.date_time == ZIP_TIME


def test_quick_is_libdeflate_and_the_stock_level_is_still_zlibs() -> None:
    """The per-plan level changes only the compressed bytes of the members written per plan;
    an archive rewritten at LEVEL (the committed samples, the stock path) is as zipfile's."""
    body = b"<w:p><w:r><w:t>Objective 1.1: sleep 7 hours</w:t></w:r></w:p>" * 400
    quick = member("word/document.xml", body, QUICK)
    assert zlib.decompress(quick.local[30 + len(quick.name) :], -15) == body
    assert quick.local != member("word/document.xml", body, 1).local
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    stock = member("word/document.xml", body)
    assert stock.local[30 + len(stock.name) :] == packer.compress(body) + packer.flush()
    assert rezip(write_zip([quick])) == write_zip([stock])
