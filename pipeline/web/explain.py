"""What a batch's uploads will give, before building: each file's column mapping (the
``--explain`` findings), the columns it ignores, the records found and what cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import TxplanError
from pipeline.findings import Severity
from pipeline.web.db import Batch

#: Records read per file at most for the preview (the build reads them all).
PREVIEW_RECORDS = 500
MAPPED, IGNORED = "IN010", "IN011"


@dataclass
class FileMapping:
    name: str
    mapped: list[dict[str, str]] = field(default_factory=list)
    ignored: list[dict[str, str]] = field(default_factory=list)
    records: int = 0
    rejected: int = 0
    more: bool = False  #: stopped after PREVIEW_RECORDS
    problems: list[dict[str, str]] = field(default_factory=list)


def explain(batch: Batch) -> list[FileMapping]:
    """Read each upload with ``explain`` on, up to PREVIEW_RECORDS records each."""
    from pipeline.readers import ReadOptions, read

    out = []
    for item in batch.inputs:
        mapping = FileMapping(item["name"])
        seen: set[tuple[str, str]] = set()
        try:
            for result in read(batch.uploads / item["stored"], ReadOptions(explain=True)):
                for finding in result.findings:
                    entry = _entry(batch, finding)
                    if finding.code in (MAPPED, IGNORED):
                        key = (finding.code, finding.message)
                        if key not in seen:
                            seen.add(key)
                            (mapping.mapped if finding.code == MAPPED else mapping.ignored).append(
                                entry
                            )
                    elif finding.severity is not Severity.INFO and len(mapping.problems) < 50:
                        mapping.problems.append(entry)
                if result.plan is not None:
                    mapping.records += 1
                elif any(f.severity is Severity.ERROR for f in result.findings):
                    mapping.rejected += 1
                if mapping.records + mapping.rejected >= PREVIEW_RECORDS:
                    mapping.more = True
                    break
        except TxplanError as exc:
            mapping.problems.append(
                {
                    "where": batch.display(exc.where),
                    "code": "INPUT",
                    "severity": "error",
                    "message": batch.display(exc.message),
                }
            )
        out.append(mapping)
    return out


def _entry(batch: Batch, finding: Any) -> dict[str, str]:
    """The finding for display; a mapping's ``"Label" -> field`` is split into both."""
    label, arrow, field = finding.message.partition(" -> ")
    return {
        "column": label.strip('"') if arrow else "",
        "field": field,
        "where": batch.display(finding.where),
        "code": finding.code,
        "severity": finding.severity.value,
        "message": batch.display(finding.message),
    }
