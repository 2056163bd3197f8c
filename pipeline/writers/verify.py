"""A document is checked before anything records it: a DOCX is a sound zip whose XML parts are
well-formed, a PDF opens and has pages. A writer's bug then fails one row, not a client."""

from __future__ import annotations

import contextlib
import io
import struct
import weakref
import zipfile
import zlib
from collections import OrderedDict
from typing import Any, NamedTuple
from xml.parsers import expat

from pipeline.errors import TxplanError


class BrokenDocument(TxplanError):
    """What a writer made is not a usable document."""


#: Zip members already found sound in this process (decompressed, CRC-checked and, for XML,
#: parsed well-formed), by their central fields: the whole local record (header, name,
#: compressed bytes). The parts a template gives every document unchanged (styles, theme,
#: numbering, pictures...) are checked once per batch, then known by comparing bytes.
_SOUND: dict[tuple[str, int, int, int, int, int], bytes] = {}
#: How many bytes of records :data:`_SOUND` holds at most (then it starts anew).
_SOUND_LIMIT = 8 << 20
_held = [0]
#: A zip local file header: signature, versions, flags, method, time, date, CRC, sizes,
#: name and extra field lengths.
_LOCAL = struct.Struct("<4s5HL2L2H")
#: Deflate expands at most about 1,032 times: a first output buffer is never made larger.
_RATIO = 1032


#: Parts a renderer made well-formed by construction (:func:`vouch`), by name and size: the
#: last few of them, as bytes, each with the zip record the renderer made of them (or None).
_VOUCHED: OrderedDict[tuple[str, int], tuple[bytes, bytes | None]] = OrderedDict()
_VOUCHED_LIMIT = 8
#: One part in this many found vouched for (and the first) is inflated and parsed all the same.
SAMPLE = 64
_vouches = [0]


#: The last package a renderer vouched for whole (:func:`vouch_archive`): (its bytes, the
#: renderer's template), by identity.
_ARCHIVE: list[tuple[bytes, Any] | None] = [None]
#: The templates one of whose packages vouched for was checked in full (and found sound).
_WHOLE: weakref.WeakSet[Any] = weakref.WeakSet()
_archives = [0]


def forget_sound() -> None:
    """Forget every member found sound and every part and package vouched for (the next
    check of each parses it again: tests and benchmarks measure a cold start with it)."""
    _SOUND.clear()
    _held[0] = 0
    _VOUCHED.clear()
    _vouches[0] = 0
    _ARCHIVE[0] = None
    _WHOLE.clear()
    _archives[0] = 0


def vouch(name: str, data: bytes, record: bytes | None = None) -> None:
    """Record that the part ``name`` holding exactly ``data`` is well-formed XML by
    construction (:mod:`pipeline.writers.docx.proof`), so :func:`verify_docx` need not parse
    it; and, with ``record``, that the renderer made that zip record of it (local header,
    name and ``data`` deflated by zlib), so it need not be inflated either.

    A part whose bytes differ in any way is parsed; a member whose record differs in any way
    is inflated and its size and CRC checked; and the first and one in :data:`SAMPLE` of the
    parts found vouched for are inflated and parsed all the same."""
    key = (name, len(data))
    _VOUCHED.pop(key, None)
    if len(_VOUCHED) >= _VOUCHED_LIMIT:
        with contextlib.suppress(KeyError):  # (another thread emptied it: no matter)
            _VOUCHED.popitem(last=False)
    _VOUCHED[key] = (data, record)


def vouch_archive(data: bytes, template: Any) -> None:
    """Record that the package ``data`` (this very bytes object) is ``template``'s members
    in its order, each either one of the template's own (the same bytes every package) or a
    part vouched for (:func:`vouch`) with the record the renderer made of it, assembled by
    ``fixed_zip.write_zip``: :func:`verify_docx` then need not read it again, but for the
    first package of each template and one in :data:`SAMPLE` (read in full as any other)."""
    _ARCHIVE[0] = (data, template)


def _trusted_archive(data: bytes) -> tuple[bool, Any]:
    """Whether ``data`` is the package last vouched for whole, its template's packages
    were found sound once and this one is not sampled (:func:`vouch_archive`); and its
    template (None: not vouched for)."""
    held = _ARCHIVE[0]
    if held is None or held[0] is not data:
        return False, None
    _ARCHIVE[0] = None
    _archives[0] += 1
    return held[1] in _WHOLE and _archives[0] % SAMPLE != 1, held[1]


def _trusted(entry: _Entry) -> tuple[bytes, bytes | None] | None:
    """What was vouched for under this member's name and size, unless this one is sampled."""
    vouched = _VOUCHED.get((entry.name, entry.size))
    if vouched is None:
        return None
    _vouches[0] += 1
    return vouched if _vouches[0] % SAMPLE != 1 else None


def _well_formed(name: str, data: bytes) -> None:
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        why = expat.errors.messages[exc.code]
        raise BrokenDocument(f"the DOCX part {name} is not well-formed ({why})") from exc


#: The end of central directory record (no comment), and a central directory file header.
_END = struct.Struct("<4s4H2LH")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
#: The fields of a central header read here: signature, flags, method, CRC-32, sizes,
#: name, extra field and comment lengths, and the local header's offset.
_FIELDS = struct.Struct("<4s4x2H4x3L3H8xL")


class _Entry(NamedTuple):
    """A member as the central directory gives it (and ``zipfile``'s info, when it read it)."""

    name: str
    flags: int
    method: int
    crc: int
    packed: int
    size: int
    offset: int
    info: zipfile.ZipInfo | None = None


def _directory(data: bytes) -> list[_Entry] | None:
    """The members of an archive laid out the plain way (as txplan writes them: no comment,
    no zip64, ASCII names, nothing between the records), read from its central directory;
    None for any other archive, which ``zipfile`` then reads (and judges)."""
    if len(data) < _END.size:
        return None
    magic, disk, first, here, total, length, start, note = _END.unpack_from(data, len(data) - 22)
    end = start + length
    if magic != b"PK\x05\x06" or disk or first or note or here != total or end != len(data) - 22:
        return None
    entries, pos, head = [], start, _CENTRAL.size
    unpack, made = _FIELDS.unpack_from, tuple.__new__  # (an _Entry made without a call)
    for _ in range(total):
        if pos + head > end:
            return None
        magic, flags, method, crc, packed, size, name_length, extra, note, offset = unpack(
            data, pos
        )
        name = data[pos + head : pos + head + name_length]
        if magic != b"PK\x01\x02" or extra or note or not name.isascii():
            return None
        entries.append(made(_Entry, (name.decode("ascii"), flags, method, crc, packed, size,
                                     offset, None)))  # fmt: skip
        pos += head + name_length
    return entries if pos == end else None


def _entry_of(info: zipfile.ZipInfo) -> _Entry:
    return _Entry(info.filename, info.flag_bits, info.compress_type, info.CRC,
                  info.compress_size, info.file_size, info.header_offset, info)  # fmt: skip


def _key(entry: _Entry) -> tuple[str, int, int, int, int, int]:
    """The central fields a sound record is known by: name, flags, method, CRC, sizes."""
    return entry[:6]  # type: ignore[return-value]


def _remember(entry: _Entry, record: bytes) -> None:
    if _held[0] + len(record) > _SOUND_LIMIT:
        forget_sound()
    _held[0] += len(record)
    _SOUND[_key(entry)] = record


def _member(data: bytes, entry: _Entry) -> tuple[bytes, memoryview] | None:
    """A plain member's local record and compressed bytes, or None for one to read through
    ``zipfile`` (a data descriptor, encryption, another method, a name that differs).

    The central directory must agree with the local header (method, flags, CRC, sizes,
    name); the record is the whole local record (header, name, compressed bytes).
    """
    start = entry.offset
    header = data[start : start + _LOCAL.size]
    if len(header) != _LOCAL.size:
        return None
    magic, _v, flags, method, _t, _d, crc, packed, size, name_length, extra = _LOCAL.unpack(header)
    if magic != b"PK\x03\x04" or flags & 0x09 or method not in (0, 8) or flags != entry.flags:
        return None
    if (method, crc, packed, size) != (entry.method, entry.crc, entry.packed, entry.size):
        return None
    begin = start + _LOCAL.size + name_length + extra
    end = begin + packed
    name = data[start + _LOCAL.size : start + _LOCAL.size + name_length]
    if end > len(data) or name != entry.name.encode("ascii", "replace"):
        return None
    return data[start:end], memoryview(data)[begin:end]


def _inflate(entry: _Entry, packed: memoryview) -> bytes:
    """A plain member's bytes, checked against its size and CRC-32 as ``zipfile`` does."""
    try:
        if entry.method == 8:  # into one buffer of the size the directory gives (bounded)
            size = min(entry.size, _RATIO * len(packed) + 64) or 1
            part = zlib.decompress(packed, -15, size)
        else:
            part = bytes(packed)
    except zlib.error as exc:
        why = f"{entry.name}: {exc}"
        raise BrokenDocument(f"the DOCX is not a sound zip archive ({why})") from exc
    if len(part) != entry.size or zlib.crc32(part) != entry.crc:
        why = f"bad CRC-32 for {entry.name}"
        raise BrokenDocument(f"the DOCX is not a sound zip archive ({why})")
    return part


def _check(data: bytes, entries: list[_Entry], archive: zipfile.ZipFile | None) -> bool:
    """Check every member (see :func:`verify_docx`); False when one must be read through
    ``zipfile`` and ``archive`` is None (the caller then reads the whole archive that way)."""
    names = {entry.name for entry in entries}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise BrokenDocument("the DOCX has no document part")
    for entry in entries:
        # a record found sound with the same central fields, byte for byte (its local
        # header, name and compressed bytes): it decompresses to the same sound part
        record = _SOUND.get(entry[:6])
        if record is not None and data.startswith(record, entry.offset):
            continue
        plain = _member(data, entry)
        vouched = _trusted(entry)
        if plain is not None and vouched is not None and vouched[1] == plain[0]:
            # the very record the renderer deflated from a part well-formed by construction
            # (not remembered: a part made for one plan is seldom seen again, and filling
            # the table with them would forget the template's parts, checked again then)
            continue
        if plain is not None:
            part = _inflate(entry, plain[1])
        elif archive is not None and entry.info is not None:
            part = archive.read(entry.info)
        else:
            return False
        xml = entry.name.endswith((".xml", ".rels"))
        if xml and (vouched is None or vouched[0] != part):
            _well_formed(entry.name, part)
        if plain is not None:
            _remember(entry, plain[0])
    return True


def verify_docx(data: bytes) -> None:
    """Raise :class:`BrokenDocument` unless ``data`` is a zip whose XML parts are well-formed.

    Every member is decompressed (its size and CRC checked) and every XML part parsed, except
    a member byte-identical to one already found sound (the same central fields and the same
    local record, byte for byte): a template's unchanged parts are checked once per batch, the
    parts rendered per plan every time; a part a renderer vouched for (:func:`vouch`) is not
    parsed, nor inflated if its record is the one the renderer made (but for a sample). An
    archive laid out the plain way is read from its central directory directly; any other
    through ``zipfile``. A package vouched for whole (:func:`vouch_archive`: parts vouched
    for and its template's own members, which the first package of the template checked)
    is not read again, but for a sample.
    """
    trusted, template = _trusted_archive(data)
    if trusted:
        return
    try:
        entries = _directory(data)
        if entries is not None and _check(data, entries, None):
            if template is not None:  # found sound: the template's members are known sound
                _WHOLE.add(template)
            return
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            _check(data, [_entry_of(info) for info in infos], archive)
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


def plain_member(data: bytes, name: str) -> bytes | None:
    """The bytes of the member ``name`` of an archive laid out the plain way (as txplan writes
    them), inflated and checked against its size and CRC-32; None when the archive is not
    plain, has no such member or the member is not plain (read it with ``zipfile`` then)."""
    found = _directory(data)
    entry = next((e for e in found or () if e.name == name), None)
    record = _member(data, entry) if entry is not None else None
    if record is None:
        return None
    try:
        return _inflate(entry, record[1])
    except BrokenDocument:
        return None
