"""The reader registry: one module per input format, every reader with the same signature.

A reader turns one file into :class:`ReadResult` items, one per client record (a spreadsheet
row group, a form), plus items with ``plan=None`` that carry file-level findings (the column
mapping that ``--explain`` shows, skipped footer rows...). A file that cannot be used at all
raises :class:`~pipeline.errors.InputError`; a bad record is a result with error findings and
no plan, so the rest of the batch goes on. A result that carries an error finding never
carries a plan (the record is rejected); warnings and info may come with a plan.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, TxplanError
from pipeline.findings import Finding
from pipeline.model import Plan


@dataclass(frozen=True)
class ReadOptions:
    """What a caller may tell every reader."""

    profile: Any = None  #: a mapping profile (see readers.fields); None = built-in aliases
    sheet: str | None = None  #: only this sheet of a workbook
    explain: bool = False  #: also report how labels/columns were mapped (info findings)
    debug: bool = False  #: a reader's unexpected exception carries its traceback


class ReaderBug(InputError):
    """An unexpected exception inside a reader, caught at the file boundary (a txplan bug).

    It ends that file only; ``details`` holds the traceback, shown only with ``--debug``.
    """

    def __init__(self, message: str, where: str = "", details: str = "") -> None:
        super().__init__(message, where)
        self.details = details


@dataclass(frozen=True)
class ReadResult:
    """One client record read from a file: a plan, or the findings that stopped it."""

    where: str
    plan: Plan | None = None
    findings: tuple[Finding, ...] = field(default=())


Reader = Callable[[Path, ReadOptions], Iterator[ReadResult]]

#: suffix -> reader. Filled lazily so importing the registry stays cheap.
_REGISTRY: dict[str, str] = {
    ".json": "pipeline.readers.plan_json:read",
    ".jsonl": "pipeline.readers.plan_json:read",
    ".ndjson": "pipeline.readers.plan_json:read",  # FHIR Bulk Data, else export records
    ".xlsx": "pipeline.readers.xlsx:read",
    ".xlsm": "pipeline.readers.xlsx:read",
    ".csv": "pipeline.readers.delimited:read",
    ".tsv": "pipeline.readers.delimited:read",
    ".txt": "pipeline.readers.delimited:read",
    ".pdf": "pipeline.readers.pdf.reader:read",
    ".docx": "pipeline.readers.docx_form:read",
}


def register(suffix: str, target: str) -> None:
    """Register ``"package.module:function"`` as the reader for a file suffix."""
    _REGISTRY[suffix.lower()] = target


def reader_for(path: Path) -> Reader:
    target = _REGISTRY.get(path.suffix.lower())
    if target is None:
        known = ", ".join(sorted(_REGISTRY))
        raise InputError(
            f"no reader for {path.suffix or 'files without a suffix'} (known: {known})", str(path)
        )
    module_name, func = target.split(":")
    module = __import__(module_name, fromlist=[func])
    return getattr(module, func)


def _bulk_folder(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    from pipeline.readers.fhir.reader import read_folder

    return read_folder(path, options)


def read(path: Path, options: ReadOptions | None = None) -> Iterator[ReadResult]:
    """Read one input file of any registered format."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found; check the path", str(path))
    if path.is_dir():
        if not any(path.glob("*.ndjson")):
            raise InputError("is a folder; pass the files in it (e.g. inputs/*)", str(path))
        reader: Reader = _bulk_folder  # a FHIR Bulk Data export: its NDJSON files together
    else:
        reader = reader_for(path)
    try:
        yield from reader(path, options or ReadOptions())
    except (TxplanError, MemoryError, RecursionError):
        raise
    except Exception as exc:  # noqa: BLE001 - the file boundary: one file never ends a batch
        name = type(exc).__name__
        raise ReaderBug(
            f"could not be read: unexpected {name} in the reader; this is a bug in txplan; "
            "please report it (run with --debug for the details)",
            str(path),
            traceback.format_exc(),
        ) from exc
