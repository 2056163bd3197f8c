"""Office files (XLSX, DOCX) whose bytes never change from one generation to the next."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.writers.fixed_zip import rezip  # noqa: E402


def fixed_zip(raw: bytes, when: dt.datetime) -> bytes:
    """Re-pack an Office package with every entry dated ``when`` and the core properties'
    ``modified`` stamp set to it (openpyxl writes the save time there); members keep their
    order (pipeline/writers/fixed_zip.py is the one zip writer)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def dated(name: str, data: bytes) -> bytes:
        if name != "docProps/core.xml":
            return data
        return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)

    return rezip(raw, when=when, sort=False, system="unix", edit=dated)
