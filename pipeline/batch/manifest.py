"""The build manifest: one row per plan and payer (status, findings, outputs, SHA-256)."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.findings import Finding, Severity, error, info, warning
from pipeline.writers.spreadsheet_safe import CsvWriter, csv_bytes, csv_line

STATUSES = ("ok", "blocked", "failed")
CSV_COLUMNS = (
    "client_id",
    "payer",
    "agency",
    "status",
    "draft",
    "source",
    "findings",
    "outputs",
    "sha256",
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: Findings read back from rows, by content (a Finding is immutable: rows that say the same
#: thing share one object); emptied when it reaches :data:`_FINDINGS_MAX` entries.
_FINDINGS: dict[tuple[Any, ...], Finding] = {}
_FINDINGS_MAX = 4096


#: A finding's severity as its JSON form writes it -> how to make one of that severity.
_MAKE = {"error": error, "warning": warning, "info": info}


def _finding(data: Any) -> Finding:
    """``Finding.model_validate(data)``, made once per distinct finding of a JSON-form row:
    its four members exactly ``str`` and a severity of ours (as every row the build makes
    holds) without pydantic's validator (:func:`pipeline.findings.error` and the like, which
    validate anything else), any other form validated."""
    if type(data) is not dict or len(data) != 4:
        return Finding.model_validate(data)
    key = (data.get("code"), data.get("severity"), data.get("where"), data.get("message"))
    found = _FINDINGS.get(key)
    if found is None:
        code, severity, where, message = key
        make = _MAKE.get(severity) if type(severity) is str else None
        if _PLAIN_FINDING and make is not None and type(code) is str:
            found = make(code, where, message)  # validated unless where and message are str
        else:
            found = Finding.model_validate(data)
        if len(_FINDINGS) >= _FINDINGS_MAX:
            _FINDINGS.clear()
        _FINDINGS[key] = found
    return found


#: A finding of a JSON-form row as :meth:`Row.from_json` makes it (the same object).
finding_from_json = _finding


#: Whether a Finding's JSON form is its four string members (as ``model_dump`` gives them).
_PLAIN_FINDING = tuple(Finding.model_fields) == ("code", "severity", "where", "message")


def _finding_json(f: Finding) -> dict[str, Any]:
    """``f.model_dump(mode="json")``, written directly for the Finding this module knows."""
    if _PLAIN_FINDING and type(f) is Finding and type(f.severity) is Severity:
        return {"code": f.code, "severity": f.severity.value, "where": f.where,
                "message": f.message}  # fmt: skip
    return f.model_dump(mode="json")


@dataclass(frozen=True)
class Output:
    """One written file, relative to the output folder, with its digest."""

    path: str
    sha256: str


@dataclass(frozen=True)
class Row:
    """What happened to one plan for one payer."""

    client_id: str
    payer: str
    agency: str
    status: str  #: ok | blocked (a rule error) | failed (rendering or conversion)
    source: str = ""
    draft: bool = False
    findings: tuple[Finding, ...] = ()
    outputs: tuple[Output, ...] = field(default=())

    def as_json(self) -> dict:
        return {
            "client_id": self.client_id,
            "payer": self.payer,
            "agency": self.agency,
            "status": self.status,
            "draft": self.draft,
            "source": self.source,
            "findings": [_finding_json(f) for f in self.findings],
            "outputs": [{"path": o.path, "sha256": o.sha256} for o in self.outputs],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        """The row back from its JSON form (manifest.json, the build ledger)."""
        return cls(
            client_id=data["client_id"],
            payer=data["payer"],
            agency=data["agency"],
            status=data["status"],
            source=data.get("source", ""),
            draft=bool(data.get("draft", False)),
            findings=tuple(_finding(f) for f in data.get("findings", ())),
            outputs=tuple(Output(o["path"], o["sha256"]) for o in data.get("outputs", ())),
        )

    def as_csv(self) -> dict[str, str]:
        """The row for manifest.csv (:class:`CsvWriter` makes formula-like cells text)."""
        return {
            "client_id": self.client_id,
            "payer": self.payer,
            "agency": self.agency,
            "status": self.status,
            "draft": "yes" if self.draft else "no",
            "source": self.source,
            "findings": "\n".join(str(f) for f in self.findings),
            "outputs": ";".join(o.path for o in self.outputs),
            "sha256": ";".join(o.sha256 for o in self.outputs),
        }


def write_manifest(out_dir: Path, rows: list[Row]) -> tuple[Path, Path]:
    """Write manifest.csv and manifest.json into ``out_dir`` (atomically); return both paths."""
    csv_path, json_path = Path(out_dir) / "manifest.csv", Path(out_dir) / "manifest.json"
    atomic.write_bytes(csv_path, csv_bytes(CSV_COLUMNS, (row.as_csv() for row in rows)))
    data = json.dumps([r.as_json() for r in rows], indent=2, ensure_ascii=False) + "\n"
    atomic.write_bytes(json_path, data.encode("utf-8"))
    return csv_path, json_path


def csv_cells(row: dict[str, Any]) -> list[str]:
    """A JSON-form row's CSV cells, in :data:`CSV_COLUMNS` order (as :meth:`Row.as_csv`)."""
    findings = []
    for f in row["findings"]:
        place = f"{f['where']}: " if f["where"] else ""
        findings.append(f"{place}{f['severity']} {f['code']}: {f['message']}")
    return [
        row["client_id"],
        row["payer"],
        row["agency"],
        row["status"],
        "yes" if row["draft"] else "no",
        row["source"],
        "\n".join(findings),
        ";".join(o["path"] for o in row["outputs"]),
        ";".join(o["sha256"] for o in row["outputs"]),
    ]


def _csv_of(row: dict[str, Any]) -> dict[str, str]:
    """A JSON-form row as a CSV row (the same columns as :meth:`Row.as_csv`)."""
    return dict(zip(CSV_COLUMNS, csv_cells(row), strict=True))


class _Unusual(Exception):
    """A value :func:`_encode` does not write itself (``json`` writes the row instead)."""


def _encode(value: Any, indent: str) -> str:
    """``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it at
    ``indent``, for the types a JSON-form row holds (strings through ``json``'s C escaper)."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None or isinstance(value, bool):
        return "null" if value is None else ("true" if value else "false")
    if type(value) is int:
        return repr(value)
    inner = indent + "  "
    if type(value) is dict:
        if not value:
            return "{}"
        items = []
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            items.append(f"{inner}{encode_basestring(key)}: {_encode(item, inner)}")
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if type(value) is list or type(value) is tuple:
        if not value:
            return "[]"
        return (
            "[\n" + ",\n".join(inner + _encode(item, inner) for item in value) + "\n" + indent + "]"
        )
    raise _Unusual


#: A row's keys and its findings' and outputs' keys, in the order rows are written.
_ROW_KEYS = ("client_id", "payer", "agency", "status", "draft", "source", "findings", "outputs")
_FINDING_KEYS = ("code", "severity", "where", "message")
_OUTPUT_KEYS = ("path", "sha256")
#: The item of a row of that shape, as :func:`_encode` writes it (``%s``: an encoded value).
_ROW_ITEM = "{\n" + ",\n".join(f'    "{key}": %s' for key in _ROW_KEYS) + "\n  }"
_FINDING_ITEM = "      {\n" + ",\n".join(f'        "{k}": %s' for k in _FINDING_KEYS) + "\n      }"
_OUTPUT_ITEM = "      {\n" + ",\n".join(f'        "{k}": %s' for k in _OUTPUT_KEYS) + "\n      }"


def _items(parts: list[str]) -> str:
    return "[\n" + ",\n".join(parts) + "\n    ]" if parts else "[]"


#: The same row as the ledger's line holds it: ``json.dumps(row, ensure_ascii=False)``.
_LINE_ROW = "{" + ", ".join(f'"{key}": %s' for key in _ROW_KEYS) + "}"
_LINE_FINDING = "{" + ", ".join(f'"{k}": %s' for k in _FINDING_KEYS) + "}"
_LINE_OUTPUT = "{" + ", ".join(f'"{k}": %s' for k in _OUTPUT_KEYS) + "}"


def shaped_item(row: dict[str, Any]) -> str | None:
    """:func:`json_item` of a row of the shape the build makes (every key in its place, text
    where text is), in one template; None for any other row."""
    shaped = _shaped(row, False)
    return None if shaped is None else shaped[0]


def shaped_texts(row: dict[str, Any]) -> tuple[str, str] | None:
    """For a row of the build's shape: :func:`json_item` of it and the row as the ledger's
    line holds it (``json.dumps(row, ensure_ascii=False)``), each value escaped once for
    both; None for any other row."""
    return _shaped(row, True)


def _shaped(row: dict[str, Any], line: bool) -> tuple[str, str] | None:
    e = encode_basestring  # raises TypeError for anything but text
    try:
        if tuple(row) != _ROW_KEYS or type(row["draft"]) is not bool:
            return None
        if type(row["findings"]) is not list or type(row["outputs"]) is not list:
            return None
        findings, found = [], []
        for f in row["findings"]:
            if type(f) is not dict or tuple(f) != _FINDING_KEYS:
                return None
            values = (e(f["code"]), e(f["severity"]), e(f["where"]), e(f["message"]))
            findings.append(_FINDING_ITEM % values)
            if line:
                found.append(_LINE_FINDING % values)
        outputs, put = [], []
        for o in row["outputs"]:
            if type(o) is not dict or tuple(o) != _OUTPUT_KEYS:
                return None
            values = (e(o["path"]), e(o["sha256"]))
            outputs.append(_OUTPUT_ITEM % values)
            if line:
                put.append(_LINE_OUTPUT % values)
        head = (e(row["client_id"]), e(row["payer"]), e(row["agency"]), e(row["status"]),
                "true" if row["draft"] else "false", e(row["source"]))  # fmt: skip
    except TypeError:
        return None
    item = _ROW_ITEM % (*head, _items(findings), _items(outputs))
    if not line:
        return item, ""
    return item, _LINE_ROW % (*head, f"[{', '.join(found)}]", f"[{', '.join(put)}]")


def json_item(row: dict[str, Any]) -> str:
    """One row of manifest.json, indented as the array's item (the bytes ``json`` would write:
    ``json.dumps(row, indent=2)`` with every line indented two more spaces)."""
    shaped = shaped_item(row)
    if shaped is not None:
        return shaped
    try:
        return _encode(row, "  ")
    except _Unusual:
        return json.dumps(row, indent=2, ensure_ascii=False).replace("\n", "\n  ")


def stream_manifest(out_dir: Path, rows: Iterable[dict[str, Any]], *,
                    then: ManifestParts | None = None) -> tuple[Path, Path]:  # fmt: skip
    """Write manifest.csv and manifest.json from JSON-form rows, one row at a time (flat
    memory), each to a temporary file renamed into place; the same bytes as write_manifest.
    ``then``: rows already written to parts, which follow ``rows``."""
    out_dir = Path(out_dir)
    csv_path, json_path = out_dir / "manifest.csv", out_dir / "manifest.json"
    with (
        atomic.atomic_open(csv_path, "w", newline="") as c,
        atomic.atomic_open(json_path, "w") as j,
    ):
        writer = CsvWriter(c, CSV_COLUMNS)
        writer.writeheader()
        j.write("[")
        count = 0
        for row in rows:
            writer.writerow(_csv_of(row))
            item = json_item(row)
            j.write(("," if count else "") + "\n  " + item)
            count += 1
        if then is not None and then.count:
            j.write("," if count else "")
            for part, head, handle in zip(then._parts, then._heads, (c, j), strict=True):
                _copy_from(part.tmp, head, handle)
            count += then.count
        j.write("\n]\n" if count else "]\n")
    return csv_path, json_path


def _copy_from(part: Path, offset: int, handle: Any) -> None:
    """Append the bytes of ``part`` from ``offset`` to the text file ``handle``."""
    handle.flush()
    with part.open("rb") as source:
        source.seek(offset)
        shutil.copyfileobj(source, handle.buffer, 1 << 20)
    handle.buffer.flush()


class ManifestParts:
    """manifest.csv and manifest.json written while the build records its rows: each batch's
    rows go, in ledger order, to private temporary files beside the manifest (``.part``: a
    killed build's are removed by the next), which :meth:`finish` puts in place after the
    rows the folder keeps from earlier runs. The same bytes as :func:`stream_manifest` over
    the ledger's rows, without reading them back at the end of the build."""

    def __init__(self, out_dir: Path) -> None:
        self.out = Path(out_dir)
        self.count = 0
        self._parts: list[atomic.PartFile] = []
        csv_part = self._open(atomic.PartFile(self.out / "manifest.csv", newline=""))
        json_part = self._open(atomic.PartFile(self.out / "manifest.json"))
        self._csv, self._json = csv_part.handle, json_part.handle
        self._writer = CsvWriter(self._csv, CSV_COLUMNS)
        self._writer.writeheader()
        self._json.write("[")
        self._heads = (csv_part.offset(), json_part.offset())

    def _open(self, part: atomic.PartFile) -> atomic.PartFile:
        self._parts.append(part)
        return part

    def filenos(self) -> tuple[int, ...]:
        """The open parts' descriptors (worker processes close them as they start)."""
        return tuple(part.handle.fileno() for part in self._parts)

    def add(self, row: dict[str, Any], item: str | None = None) -> None:
        """One JSON-form row (as the ledger records it), after the ones added before;
        ``item``: its :func:`json_item`, when the caller has it."""
        self._csv.write(csv_line(csv_cells(row)))
        self._json.write(("," if self.count else "") + "\n  " + (item or json_item(row)))
        self.count += 1

    def finish(self, kept: Iterable[dict[str, Any]]) -> tuple[Path, Path]:
        """The manifest: ``kept`` (earlier runs' rows), then the rows added; both files
        fsynced and renamed into place, then the folder fsynced."""
        csv_path, json_path = self.out / "manifest.csv", self.out / "manifest.json"
        kept = iter(kept)
        first = next(kept, None)
        if first is None:  # nothing before this run's rows: the parts are the manifest
            self._json.write("\n]\n" if self.count else "]\n")
            parts, self._parts = self._parts, []
            for part in parts:
                part.commit(sync_folder=part is parts[-1])
        else:
            for part in self._parts:
                part.offset()  # flushed, to be copied
            stream_manifest(self.out, itertools.chain((first,), kept), then=self)
            self.discard()
        return csv_path, json_path

    def discard(self) -> None:
        """Remove the temporary files (a build that stopped, or made no rows)."""
        for part in self._parts:
            part.discard()
        self._parts = []
