"""The one zip writer: archives whose bytes depend on their content only (time, order, level).

Members are deflated and laid out exactly as :mod:`zipfile` writes them (no data descriptor,
no extra fields), so a package made here is what ``zipfile`` would make with a fixed entry
time. :func:`member` compresses one member once; the DOCX fast path keeps unchanged members
as bytes and copies them into every plan's package (:func:`write_zip`). :func:`rezip`
rewrites a whole archive (a saved DOCX, a generated XLSX) with fixed times and order.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from typing import NamedTuple

import deflate  # libdeflate: one-shot raw deflate and CRC-32

#: The earliest time a zip entry can hold: output never depends on the clock.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: The stock writer's compression level (zlib's default).
LEVEL = 6
#: The level of the members written for each plan (the DOCX fast path's rendered parts, a
#: body written again, charts): libdeflate's level 1 (the ``deflate`` package, pinned in
#: pyproject.toml: its output is fixed for a version). On the rendered bodies it takes about
#: 0.6 of the time of zlib's level 1 (the quickest zlib has) for 1 % fewer bytes; the parts
#: compressed once (at :data:`LEVEL`, with zlib) stay as they were.
QUICK = "libdeflate-1"
#: "Made by" system and external attributes: ``dos`` as txplan's documents have always been
#: written (rw-r--r-- recorded, MS-DOS host); ``unix`` as ``zipfile`` writes an entry on
#: Linux (rw-------), as the generated samples (goal bank, intake files) were written.
SYSTEMS = {"dos": (0, 0o644 << 16), "unix": (3, 0o600 << 16)}


class Entry(NamedTuple):
    """One zip member, compressed: local header + data, and its central record sans offset."""

    local: bytes
    central: bytes
    name: bytes


def _dos_fields(when: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = when[:6]
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


_ZIP_DOS_TIME = _dos_fields(ZIP_TIME)


def _dos_time(when: tuple[int, ...]) -> tuple[int, int]:
    return _ZIP_DOS_TIME if when is ZIP_TIME else _dos_fields(when)


_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5HL")
_OFFSET = struct.Struct("<L")


def member(name: str, data: bytes, level: int | str = LEVEL, *,
           when: tuple[int, ...] = ZIP_TIME, system: str = "dos") -> Entry:  # fmt: skip
    """A deflated member exactly as ``zipfile`` writes it (no data descriptor, fixed time),
    deflated by zlib at ``level`` or, for :data:`QUICK`, by libdeflate at its level 1."""
    if level == QUICK:
        packed: bytes | bytearray = deflate.deflate_compress(data, 1)  # (joined as it is)
    else:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)  # type: ignore[arg-type]
        packed = packer.compress(data) + packer.flush()
    return _entry(name, data, packed, when, system)


class Packed(NamedTuple):
    """Fixed bytes deflated once (:func:`pack_once`) for :func:`joined_member`."""

    raw: bytes
    packed: bytes


#: Deflate's stored block header (not the last block, byte-aligned: its 3 bits, then 5 bits
#: of padding, then the length and its complement), and the empty last block that ends a
#: stream made of pieces.
_STORED = struct.Struct("<BHH")
_LAST = b"\x01\x00\x00\xff\xff"
_MOST_STORED = 0xFFFF


def pack_once(raw: bytes) -> Packed:
    """``raw`` deflated once (zlib, level 9) as blocks that end on a byte, none of them the
    last, referring to nothing before them (a fresh stream, sync-flushed): a run of blocks a
    deflate stream can hold anywhere between other such runs."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Packed(raw, packer.compress(raw) + packer.flush(zlib.Z_SYNC_FLUSH))


def joined_member(name: str, pieces: Iterable[bytes | Packed]) -> tuple[Entry, bytes]:
    """A member holding the pieces' bytes in order, and those bytes, deflated as one stream
    with none compressed here: each :class:`Packed` piece as it was deflated once, the bytes
    between them as stored blocks, then an empty last block (for a part whose bytes are
    mostly fixed text deflated once per batch, the rest a few values a plan)."""
    out: list[bytes] = []
    raw: list[bytes] = []
    loose: list[bytes] = []
    for piece in pieces:
        if type(piece) is Packed:
            if loose:
                _stored(b"".join(loose), out)
                loose = []
            out.append(piece.packed)
            raw.append(piece.raw)
        elif piece:
            loose.append(piece)  # type: ignore[arg-type]
            raw.append(piece)  # type: ignore[arg-type]
    if loose:
        _stored(b"".join(loose), out)
    out.append(_LAST)
    data = b"".join(raw)
    return _entry(name, data, b"".join(out), ZIP_TIME, "dos"), data


def _stored(data: bytes, out: list[bytes]) -> None:
    for start in range(0, len(data), _MOST_STORED):
        chunk = data[start : start + _MOST_STORED]
        out.append(_STORED.pack(0, len(chunk), len(chunk) ^ 0xFFFF))
        out.append(chunk)


def _entry(name: str, data: bytes, packed: bytes | bytearray, when: tuple[int, ...],
           system: str) -> Entry:  # fmt: skip
    raw = name.encode("ascii")
    crc = deflate.crc32(data)  # the same CRC-32 as zlib's, about 3x quicker
    time, date = _dos_time(when)
    made_by, attributes = SYSTEMS[system]
    local = _LOCAL.pack(b"PK\x03\x04", 20, 0, 0, 8, time, date, crc, len(packed), len(data),
                        len(raw), 0)  # fmt: skip
    central = _CENTRAL.pack(b"PK\x01\x02", 20, made_by, 20, 0, 0, 8, time, date, crc,
                            len(packed), len(data), len(raw), 0, 0, 0, 0, attributes)  # fmt: skip
    return Entry(b"".join((local, raw, packed)), central, raw)


def write_zip(entries: Iterable[Entry]) -> bytes:
    """The archive of ``entries`` in order: members, central directory, end record."""
    chunks, directory, offset, count = [], [], 0, 0
    pack = _OFFSET.pack
    for local, central, name in entries:
        chunks.append(local)
        directory.append(central + pack(offset) + name)
        offset += len(local)
        count += 1
    central = b"".join(directory)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), offset, 0)
    return b"".join(chunks) + central + end


def office_order(names: Iterable[str]) -> list[str]:
    """Part names sorted, ``[Content_Types].xml`` first (where Office readers look for it)."""
    return sorted(names, key=lambda n: (n != "[Content_Types].xml", n))


Edit = Callable[[str, bytes], bytes]


def rezip(data: bytes, *, when: tuple[int, ...] | dt.datetime = ZIP_TIME, sort: bool = True,
          system: str = "dos", edit: Edit | None = None) -> bytes:  # fmt: skip
    """An archive rewritten with every entry dated ``when`` and deflated at :data:`LEVEL`.

    ``sort`` puts the members in :func:`office_order` (else they keep the archive's order);
    ``edit(name, data)`` may change a member's bytes on the way (a date inside a part).
    """
    stamp = when.timetuple()[:6] if isinstance(when, dt.datetime) else tuple(when)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        entries = []
        for name in office_order(names) if sort else names:
            content = source.read(name)
            if edit is not None:
                content = edit(name, content)
            entries.append(member(name, content, LEVEL, when=stamp, system=system))
    return write_zip(entries)


def entries(data: bytes) -> list[Entry]:
    """An archive's members as :class:`Entry` values, in its order, copied still compressed
    (a member with extra fields or a data descriptor is compressed again with :func:`member`),
    so ``write_zip(entries(data)) == data`` for an archive written here; an edit changes only
    the members it replaces."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for info in source.infolist():
            start = info.header_offset
            name_length, extra_length = struct.unpack("<2H", data[start + 26 : start + 30])
            raw = info.filename.encode("ascii") if info.filename.isascii() else b""
            plain = not (info.extra or extra_length or info.comment or info.flag_bits & 0x08)
            if not raw or not plain or name_length != len(raw):
                system = "unix" if info.create_system == 3 else "dos"
                out.append(member(info.filename, source.read(info), LEVEL, when=info.date_time,
                                  system=system))  # fmt: skip
                continue
            end = start + 30 + name_length + info.compress_size
            time, date = _dos_time(info.date_time)
            central = struct.pack("<4s4B4HL2L5HL", b"PK\x01\x02", info.create_version,
                                  info.create_system, info.extract_version, info.reserved,
                                  info.flag_bits, info.compress_type, time, date, info.CRC,
                                  info.compress_size, info.file_size, len(raw), 0, 0, 0,
                                  info.internal_attr, info.external_attr)  # fmt: skip
            out.append(Entry(data[start:end], central, raw))
    return out
