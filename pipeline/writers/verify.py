"""A document is checked before anything records it: a DOCX is a sound zip whose XML parts are
well-formed, a PDF opens and has pages. A writer's bug then fails one row, not a client."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from xml.parsers import expat

from pipeline.errors import TxplanError


class BrokenDocument(TxplanError):
    """What a writer made is not a usable document."""


#: Digests of zip members already found sound in this process (decompressed, CRC-checked and,
#: for XML, parsed well-formed): the parts a template gives every document unchanged (styles,
#: theme, numbering, pictures...) are checked once per batch, then known by their digest.
_SOUND: set[bytes] = set()
_SOUND_LIMIT = 4096
#: A zip local file header: signature, versions, flags, method, time, date, CRC, sizes,
#: name and extra field lengths.
_LOCAL = struct.Struct("<4s2B4HL2L2H")


def forget_sound() -> None:
    """Forget every member found sound (the next check of each parses it again: tests and
    benchmarks measure a cold start with it)."""
    _SOUND.clear()


def _well_formed(name: str, data: bytes) -> None:
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        why = expat.errors.messages[exc.code]
        raise BrokenDocument(f"the DOCX part {name} is not well-formed ({why})") from exc


def _member(data: bytes, info: zipfile.ZipInfo) -> tuple[bytes, memoryview] | None:
    """A plain member's digest and compressed bytes, or None for one to read through
    ``zipfile`` (a data descriptor, encryption, another method, a name that differs).

    The central directory must agree with the local header (method, flags, CRC, sizes,
    name); the digest covers the whole local record (header, name, compressed bytes), so a
    member with the digest of one found sound decompresses to the same sound part.
    """
    start = info.header_offset
    header = data[start : start + _LOCAL.size]
    if len(header) != _LOCAL.size:
        return None
    magic, _v, _s, flags, method, _t, _d, crc, packed, size, name_length, extra = _LOCAL.unpack(
        header
    )
    if magic != b"PK\x03\x04" or flags & 0x09 or method not in (0, 8) or flags != info.flag_bits:
        return None
    if (method, crc, packed, size) != (info.compress_type, info.CRC, info.compress_size,
                                       info.file_size):  # fmt: skip
        return None
    begin = start + _LOCAL.size + name_length + extra
    end = begin + packed
    name = data[start + _LOCAL.size : start + _LOCAL.size + name_length]
    if end > len(data) or name != info.filename.encode("ascii", "replace"):
        return None
    digest = hashlib.blake2b(memoryview(data)[start:end], digest_size=16, person=b"txplan-zip")
    return digest.digest(), memoryview(data)[begin:end]


def _inflate(info: zipfile.ZipInfo, packed: memoryview) -> bytes:
    """A plain member's bytes, checked against its size and CRC-32 as ``zipfile`` does."""
    try:
        part = zlib.decompress(packed, -15) if info.compress_type == 8 else bytes(packed)
    except zlib.error as exc:
        raise BrokenDocument(
            f"the DOCX is not a sound zip archive ({info.filename}: {exc})"
        ) from exc
    if len(part) != info.file_size or zlib.crc32(part) != info.CRC:
        raise BrokenDocument(
            f"the DOCX is not a sound zip archive (bad CRC-32 for {info.filename})"
        )
    return part


def verify_docx(data: bytes) -> None:
    """Raise :class:`BrokenDocument` unless ``data`` is a zip whose XML parts are well-formed.

    Every member is decompressed (its size and CRC checked) and every XML part parsed, except
    a member byte-identical to one already found sound (its central fields and local record
    have the same digest): a template's unchanged parts are checked once per batch, the
    parts rendered per plan every time.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise BrokenDocument("the DOCX has no document part")
            for info in infos:
                plain = _member(data, info)
                if plain is not None and plain[0] in _SOUND:
                    continue
                part = archive.read(info) if plain is None else _inflate(info, plain[1])
                if info.filename.endswith((".xml", ".rels")):
                    _well_formed(info.filename, part)
                if plain is not None:
                    if len(_SOUND) >= _SOUND_LIMIT:
                        _SOUND.clear()
                    _SOUND.add(plain[0])
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise BrokenDocument(f"the DOCX is not a sound zip archive ({exc})") from exc


def verify_pdf(data: bytes) -> None:
    """Raise :class:`BrokenDocument` unless ``data`` is a PDF that opens and has pages."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise BrokenDocument("the PDF is cut short or not a PDF")
    try:
        if len(PdfReader(io.BytesIO(data)).pages) < 1:
            raise BrokenDocument("the PDF has no pages")
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise BrokenDocument(f"the PDF does not open ({type(exc).__name__})") from exc


def verify_json(data: bytes) -> None:
    """Raise :class:`BrokenDocument` unless ``data`` is UTF-8 JSON (a FHIR bundle)."""
    import json

    try:
        json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BrokenDocument(f"the JSON document does not parse ({type(exc).__name__})") from exc


def verify(data: bytes, suffix: str) -> None:
    """Check a document by its file extension (``.docx``, ``.pdf`` or ``.json``)."""
    if suffix.endswith(".json"):
        verify_json(data)
    else:
        (verify_pdf if suffix == ".pdf" else verify_docx)(data)
