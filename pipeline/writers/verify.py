"""A document is checked before anything records it: a DOCX is a sound zip whose XML parts are
well-formed, a PDF opens and has pages. A writer's bug then fails one row, not a client."""

from __future__ import annotations

import hashlib
import io
import zipfile
from xml.parsers import expat

from pipeline.errors import TxplanError


class BrokenDocument(TxplanError):
    """What a writer made is not a usable document."""


#: Digests of XML parts already found well-formed in this process: the parts a template gives
#: every document unchanged (styles, theme, numbering...) are parsed once, not per document.
_SOUND: set[bytes] = set()
_SOUND_LIMIT = 4096


def _well_formed(name: str, data: bytes) -> None:
    key = hashlib.blake2b(data, digest_size=16, person=b"txplan-xml").digest()
    if key in _SOUND:
        return
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        why = expat.errors.messages[exc.code]
        raise BrokenDocument(f"the DOCX part {name} is not well-formed ({why})") from exc
    if len(_SOUND) >= _SOUND_LIMIT:
        _SOUND.clear()
    _SOUND.add(key)


def verify_docx(data: bytes) -> None:
    """Raise :class:`BrokenDocument` unless ``data`` is a zip whose XML parts are well-formed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise BrokenDocument("the DOCX has no document part")
            for name in names:
                if name.endswith((".xml", ".rels")):
                    _well_formed(name, archive.read(name))
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
