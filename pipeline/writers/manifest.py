"""The build manifest: one row per plan and payer (status, findings, outputs, SHA-256)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding
from .jsonl import atomic_write_bytes

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
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "outputs": [{"path": o.path, "sha256": o.sha256} for o in self.outputs],
        }

    def as_csv(self) -> dict[str, str]:
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
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.as_csv())
    csv_path, json_path = Path(out_dir) / "manifest.csv", Path(out_dir) / "manifest.json"
    atomic_write_bytes(csv_path, text.getvalue().encode("utf-8"))
    data = json.dumps([r.as_json() for r in rows], indent=2, ensure_ascii=False) + "\n"
    atomic_write_bytes(json_path, data.encode("utf-8"))
    return csv_path, json_path
