"""Office files (XLSX, DOCX) whose bytes never change from one generation to the next."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile


def fixed_zip(raw: bytes, when: dt.datetime) -> bytes:
    """Re-pack an Office package with every entry dated ``when`` and the core properties'
    ``modified`` stamp set to it (openpyxl writes the save time there)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            dst.writestr(entry, data)
    return out.getvalue()
