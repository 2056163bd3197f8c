"""Deflated zip members written once and copied as bytes, and the archive around them.

The fast DOCX path (:mod:`pipeline.writers.docx.fast`) compresses a template's unchanged parts
once per batch and copies those bytes into every plan's package; members are laid out exactly
as ``zipfile`` writes them (no data descriptor, fixed entry time), so packages are
deterministic.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_DOSDATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the stock writer's fixed entry time


@dataclass(frozen=True)
class Entry:
    """One zip member, compressed: local header + data, and its central record sans offset."""

    local: bytes
    central: bytes
    name: bytes


def member(name: str, data: bytes, level: int) -> Entry:
    """A deflated member exactly as ``zipfile`` writes it (no data descriptor, fixed time)."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    raw = name.encode("ascii")
    crc = zlib.crc32(data)
    local = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 8, 0, _DOSDATE,
                        crc, len(packed), len(data), len(raw), 0)  # fmt: skip
    central = struct.pack("<4s4B4HL2L5HL", b"PK\x01\x02", 20, 0, 20, 0, 0, 8, 0, _DOSDATE,
                          crc, len(packed), len(data), len(raw), 0, 0, 0, 0, 0o644 << 16)  # fmt: skip  # noqa: E501
    return Entry(local + raw + packed, central, raw)


def write_zip(entries: list[Entry]) -> bytes:
    """The archive of ``entries`` in order: members, central directory, end record."""
    chunks, directory, offset = [], [], 0
    for entry in entries:
        chunks.append(entry.local)
        directory.append(entry.central + struct.pack("<L", offset) + entry.name)
        offset += len(entry.local)
    central = b"".join(directory)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(central), offset, 0)  # fmt: skip
    return b"".join(chunks) + central + end
