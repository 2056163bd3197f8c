"""The .pdf reader: one PDF form is one client; fillable forms by their fields, flat ones by text.

Files that cannot be used raise :class:`InputError` with what to do: an encrypted PDF (remove
the password), a corrupt or truncated file, a scanned image when OCR is not installed or reads
no text. A scanned page (no text layer) is read by OCR (:mod:`pipeline.readers.pdf.ocr`) when
tesseract is installed. Everything else becomes one :class:`RawRecord` mapped by
:func:`fields.map_record`.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.bounded import LIMITS, too_big
from pipeline.errors import InputError
from pipeline.findings import warning
from pipeline.readers import ReadOptions, ReadResult
from pipeline.readers.raw import RawField, RawRecord

_TAIL = 2048  #: the end-of-file marker must be within this many bytes of the end
READ_BY_OCR = "IN030"  #: values read by OCR from a scanned page, to be checked
OCR_KIND = "read by OCR"  #: in a record's place when OCR read some of its pages


def _quiet() -> None:
    """pypdf and pdfminer log warnings about damaged files; our errors say it instead."""
    for name in ("pypdf", "pdfminer"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _load(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > LIMITS.pdf_bytes:
            raise InputError(too_big("the file size", size, LIMITS.pdf_bytes, "pdf_bytes"),
                             str(path))  # fmt: skip
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", str(path)) from exc
    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError("not a PDF (no %PDF header); export the form as PDF again", str(path))
    if b"%%EOF" not in data[-_TAIL:]:
        raise InputError(
            "truncated PDF (no end-of-file marker); copy or download the file again", str(path)
        )
    return data


def _open_pypdf(data: bytes, where: str):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("encrypted; remove the password and export again", where)
        pages = len(reader.pages)
        if pages > LIMITS.pdf_pages:
            raise InputError(too_big("the number of pages", pages, LIMITS.pdf_pages, "pdf_pages")
                             + "; an intake form has a few", where)  # fmt: skip
        _check_streams(reader, where)
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise InputError(f"corrupt PDF ({exc}); export the form again", where) from exc
    except Exception as exc:  # noqa: BLE001 - pypdf has no single error type for damage
        if "crypt" in type(exc).__name__.lower() or "password" in str(exc).lower():
            raise InputError("encrypted; remove the password and export again", where) from exc
        raise InputError(f"corrupt PDF ({exc}); export the form again", where) from exc
    return reader


def _check_streams(reader: Any, where: str) -> None:
    """Refuse a page whose content stream inflates past pypdf's cap (a PDF bomb) before
    pdfplumber, which has no cap, reads it."""
    from pypdf.errors import LimitReachedError

    for number, page in enumerate(reader.pages, start=1):
        try:
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()
        except LimitReachedError as exc:
            raise InputError(f"page {number}'s content inflates past the limit ({exc}); it "
                             "looks like a PDF bomb", where) from exc  # fmt: skip


def _flat_fields(data: bytes, where: str) -> tuple[list[RawField], list[int]]:
    """The labelled values of a flat PDF, and the pages read by OCR (scanned, no text)."""
    import pdfplumber

    from pipeline.readers.pdf import ocr as pdf_ocr
    from pipeline.readers.pdf.flat import page_fields

    found: list[RawField] = []
    has_text = False
    scanned: list[int] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            chars = 0
            for number, page in enumerate(pdf.pages, start=1):
                chars += len(page.chars)
                if chars > LIMITS.pdf_words * 8:
                    raise InputError(too_big("the text (words)", chars // 8, LIMITS.pdf_words,
                                             "pdf_words"), where)  # fmt: skip
                if page.chars:
                    has_text = True
                    found.extend(page_fields(page, where, number))
                elif len(scanned) >= LIMITS.ocr_pages:
                    raise InputError(too_big("the number of scanned pages", len(scanned) + 1,
                                             LIMITS.ocr_pages, "ocr_pages"), where)  # fmt: skip
                elif pdf_ocr.available():
                    read_by_ocr = pdf_ocr.page_fields(page, where, number)
                    if read_by_ocr:
                        scanned.append(number)
                        found.extend(read_by_ocr)
    except InputError as exc:
        if not exc.where:
            raise InputError(exc.message, where) from exc
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds for damaged files
        raise InputError(f"corrupt PDF ({exc}); export the form again", where) from exc
    if not has_text and not scanned:
        if not pdf_ocr.available():
            raise InputError(
                "scanned image and OCR is not installed (Debian: apt install tesseract-ocr); "
                "export the form as text, or retype it",
                where,
            )
        raise InputError(
            "scanned image with no text OCR can read; scan it again at 300 dpi or retype it",
            where,
        )
    return found, scanned


def raw_record(path: Path, profile: Any = None) -> RawRecord:
    """The form as labelled values: its AcroForm fields, or the words of a flat PDF."""
    from pipeline.readers.pdf.acroform import form_fields, has_fields, is_xfa_only, raw_fields

    _quiet()
    where = str(path)
    data = _load(path)
    reader = _open_pypdf(data, where)
    if has_fields(reader):
        try:
            fields = raw_fields(form_fields(reader), where, profile)
        except Exception as exc:  # noqa: BLE001 - a damaged field tree
            raise InputError(f"corrupt form fields ({exc}); export the form again", where) from exc
        kind = "fillable form"
    elif is_xfa_only(reader):
        raise InputError(
            "a dynamic XFA (LiveCycle) form, which txplan cannot read; open it in Acrobat "
            "and save it as a standard fillable PDF, or print it to PDF",
            where,
        )
    else:
        fields, scanned = _flat_fields(data, where)
        kind = "flat form"
        if scanned:
            pages = ", ".join(map(str, scanned))
            kind = f"scanned form {OCR_KIND} on page{'s' * (len(scanned) > 1)} {pages}"
    pages = len(reader.pages)
    return RawRecord(f"{where} ({kind}, {pages} page{'s' * (pages != 1)})", tuple(fields))


def read(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    from pipeline.readers.mapping.collect import map_record

    record = raw_record(path, options.profile)
    result = map_record(record, options.profile, explain=options.explain)
    if OCR_KIND in record.where:
        pages = sorted({f.source.page for f in record.fields if f.source.page is not None})
        note = warning(
            READ_BY_OCR,
            str(path),
            f"read by OCR from a scanned image (page {', '.join(map(str, pages))}): check every "
            "value against the scan; tables and checkboxes are read less reliably",
        )
        result = replace(result, findings=(note, *result.findings))
    yield result
