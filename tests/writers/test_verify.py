"""verify_docx checks a template's unchanged parts once by digest and every plan's own parts
each time: a part corrupted after a sound copy of it was seen is still caught."""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile

import pytest

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.docx.render import render_docx
from pipeline.writers.verify import BrokenDocument, forget_sound, verify_docx
from tests.support import DATA


@pytest.fixture(scope="module")
def good() -> bytes:
    plan = Plan.model_validate(json.loads((DATA / "render" / "full.json").read_text("utf-8")))
    data = render_docx(plan, load_payer("clinical"), load_agency("riverside"), renderer="fast")
    forget_sound()
    verify_docx(data)  # every part now known sound, by digest
    verify_docx(data)
    return data


def _rewritten(data: bytes, name: str, change) -> bytes:
    """The archive with one part's content changed (a consistent zip: sizes and CRC right)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info)
            dst.writestr(info, change(part) if info.filename == name else part)
    return out.getvalue()


def _offset(data: bytes, name: str) -> tuple[int, int]:
    """Where a member's compressed bytes start, and how many there are."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    start = info.header_offset
    name_length, extra = struct.unpack("<2H", data[start + 26 : start + 30])
    return start + 30 + name_length + extra, info.compress_size


@pytest.mark.parametrize("name", ["word/styles.xml", "[Content_Types].xml", "word/document.xml",
                                  "docProps/core.xml", "word/_rels/document.xml.rels"])  # fmt: skip
def test_a_part_made_ill_formed_is_caught_even_after_its_sound_copy(good: bytes, name: str) -> None:
    broken = _rewritten(good, name, lambda part: part.replace(b"</", b"<</", 1))
    with pytest.raises(BrokenDocument, match=re.escape(f"{name} is not well-formed")):
        verify_docx(broken)


@pytest.mark.parametrize("name", ["word/styles.xml", "word/media/image1.png", "word/document.xml"])
def test_a_flipped_byte_in_a_known_part_is_caught(good: bytes, name: str) -> None:
    begin, size = _offset(good, name)
    damaged = bytearray(good)
    damaged[begin + size // 2] ^= 0x55
    with pytest.raises(BrokenDocument, match="not a sound zip"):
        verify_docx(bytes(damaged))


def test_a_central_directory_that_disagrees_with_the_local_header_is_caught(good: bytes) -> None:
    """A central CRC changed (the local record still the known one): read the slow way."""
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        info = archive.getinfo("word/styles.xml")
    record = good.find(b"PK\x01\x02")
    while record >= 0:
        length = struct.unpack("<H", good[record + 28 : record + 30])[0]
        if good[record + 46 : record + 46 + length] == info.filename.encode():
            break
        record = good.find(b"PK\x01\x02", record + 4)
    damaged = bytearray(good)
    damaged[record + 16 : record + 20] = struct.pack("<L", info.CRC ^ 1)
    with pytest.raises(BrokenDocument, match="not a sound zip"):
        verify_docx(bytes(damaged))


def test_a_cut_short_or_partless_document_is_caught(good: bytes) -> None:
    with pytest.raises(BrokenDocument, match="zip"):
        verify_docx(good[: len(good) - 100])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
    with pytest.raises(BrokenDocument, match="no document part"):
        verify_docx(out.getvalue())


def test_a_sound_document_passes_every_time(good: bytes) -> None:
    for _ in range(3):
        verify_docx(good)
    forget_sound()
    verify_docx(good)


def test_an_archive_zipfile_must_read_is_checked_the_same(good: bytes) -> None:
    """An archive comment (not how txplan writes) sends it through ``zipfile``: a sound one
    passes, an ill-formed part is caught, a cut-short one too."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.comment = b"written elsewhere"
    verify_docx(out.getvalue())
    broken = _rewritten(out.getvalue(), "word/styles.xml", lambda p: p.replace(b"</", b"<</", 1))
    commented = io.BytesIO(broken)
    with zipfile.ZipFile(commented, "a") as archive:
        archive.comment = b"written elsewhere"
    broken = commented.getvalue()
    assert broken.endswith(b"written elsewhere")
    with pytest.raises(BrokenDocument, match=re.escape("word/styles.xml is not well-formed")):
        verify_docx(broken)
    with pytest.raises(BrokenDocument, match="zip"):
        verify_docx(out.getvalue()[:-40])


def test_a_member_claiming_a_huge_size_is_refused_without_reserving_it(good: bytes) -> None:
    """Local header and central directory both claim 4 GB for the body: the first output
    buffer stays bounded by what the compressed bytes can give, and the size is refused."""
    damaged = bytearray(good)
    name = b"word/document.xml"
    local = good.find(b"PK\x03\x04")
    while good[local + 30 : local + 30 + len(name)] != name:
        local = good.find(b"PK\x03\x04", local + 4)
    damaged[local + 22 : local + 26] = struct.pack("<L", 0xFFFFFFF0)
    central = good.find(b"PK\x01\x02")
    while good[central + 46 : central + 46 + len(name)] != name:
        central = good.find(b"PK\x01\x02", central + 4)
    damaged[central + 24 : central + 28] = struct.pack("<L", 0xFFFFFFF0)
    with pytest.raises(BrokenDocument, match="not a sound zip"):
        verify_docx(bytes(damaged))


# --- a record the renderer made of a part it vouched for --------------------------------------


def _made(body: bytes) -> tuple[bytes, bytes]:
    """A small DOCX and the record (local header, name, deflated bytes) of its body."""
    from pipeline.writers.fixed_zip import member, write_zip

    entry = member("word/document.xml", body, 1)
    types = member("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
    return write_zip([types, entry]), entry.local


def _inflations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from pipeline.writers import verify

    seen: list[str] = []
    inflate = verify._inflate

    def counted(entry, packed):  # noqa: ANN001, ANN202
        seen.append(entry.name)
        return inflate(entry, packed)

    monkeypatch.setattr(verify, "_inflate", counted)
    return seen


def test_a_vouched_record_is_not_inflated_but_for_a_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """The renderer's own record of a vouched part is trusted as the deflated part (the first
    and one in SAMPLE are inflated and parsed all the same); any other record is inflated."""
    from pipeline.writers.verify import SAMPLE, vouch

    forget_sound()
    seen = _inflations(monkeypatch)
    for n in range(2 * SAMPLE + 1):
        body = b"<w:document><w:body><w:t>%d</w:t></w:body></w:document>" % (10_000 + n)
        data, record = _made(body)
        vouch("word/document.xml", body, record)
        verify_docx(data)
    assert seen.count("word/document.xml") == 3  # the 1st, the 65th and the 129th


def test_a_vouched_part_in_another_record_is_inflated_and_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same part deflated at another level is a record the renderer did not make: it is
    inflated and checked; a damaged byte in the record it made is caught."""
    from pipeline.writers.fixed_zip import member, write_zip
    from pipeline.writers.verify import vouch

    forget_sound()
    seen = _inflations(monkeypatch)
    body = b"<w:document><w:body>" + b"<w:p><w:t>x</w:t></w:p>" * 100 + b"</w:body></w:document>"
    data, record = _made(body)
    for _ in range(2):  # (the first part found vouched for is sampled)
        vouch("word/document.xml", body, record)
        verify_docx(data)
    assert seen.count("word/document.xml") == 1
    types = member("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
    other = write_zip([types, member("word/document.xml", body, 9)])
    vouch("word/document.xml", body, record)
    verify_docx(other)
    assert seen.count("word/document.xml") == 2
    damaged = bytearray(data)
    at = data.find(record) + len(record) // 2
    damaged[at] ^= 0x55
    vouch("word/document.xml", body, record)
    with pytest.raises(BrokenDocument, match="not a sound zip"):
        verify_docx(bytes(damaged))
