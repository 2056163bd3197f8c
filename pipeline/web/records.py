"""What the pages and the API read from the version store, as plain data (dicts and lists)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.versions.diff import PlanDiff, diff_plans
from pipeline.versions.store import Store, Version
from pipeline.web.db import Batch
from pipeline.writers.spreadsheet_safe import CsvWriter, csv_bytes

#: Clients a search lists at most.
SEARCH_LIMIT = 50


def counts(batch: Batch, rows: list[dict[str, Any]]) -> dict[str, int]:
    """ok / blocked / failed over the rows (or the progress while the batch runs)."""
    if rows:
        tally = Counter(r["status"] for r in rows)
    else:
        tally = Counter(batch.progress.get("statuses", {}))
    return {status: tally.get(status, 0) for status in ("ok", "blocked", "failed")}


@cache
def _interval(payer: str) -> int:
    from pipeline.profiles import load_payer

    return load_payer(payer).review_interval_days


def due(store: Path, today: dt.date, within: int) -> tuple[list[dict[str, Any]], list[str]]:
    """Reviews overdue or due within ``within`` days, as CSV-shaped dicts, and warnings."""
    from pipeline.versions.due import due_reviews

    with Store(store) as st:
        items, findings = due_reviews(
            st.latest_all(), today=today, within_days=within, payer_interval=_interval
        )
    out = []
    for item in items:
        row: dict[str, Any] = item.row()
        row["days_left"] = item.days_left
        out.append(row)
    return out, [str(f) for f in findings]


def due_csv(items: list[dict[str, Any]]) -> bytes:
    from pipeline.versions.due import CSV_COLUMNS

    numeric = ("version", "interval_days", "days_left")
    rows = [{k: int(v) if k in numeric else v for k, v in item.items()} for item in items]
    return csv_bytes(CSV_COLUMNS, rows)


def versions(store: Path, client_id: str) -> list[Version]:
    with Store(store) as st:
        found = st.history(client_id)
    if not found:
        raise InputError(f"no versions for client {client_id!r}", "client")
    return found


def history(store: Path, client_id: str) -> dict[str, Any]:
    """Every version with its changes from the one before (as ``txplan history --json``)."""
    found = versions(store, client_id)
    data, previous = [], None
    for version in found:
        changes = () if previous is None else diff_plans(previous, version.plan).changes
        data.append(
            {
                "version": version.number,
                "created_at": version.created_at.isoformat(),
                "reason": version.reason,
                "inputs": [Path(i).name for i in version.inputs],
                "payers": list(version.payers),
                "content_hash": version.content_hash,
                "changes": [c.to_json() for c in changes],
            }
        )
        previous = version.plan
    return {"client_id": client_id, "name": found[-1].plan.client.display_name, "versions": data}


def search(store: Path, query: str) -> list[dict[str, Any]]:
    """Clients whose id or name holds ``query`` (case ignored), latest version each."""
    needle = query.strip().lower()
    found = []
    with Store(store) as st:
        for version in st.latest_all():
            client = json.loads(version.plan_json).get("client") or {}
            names = " ".join(
                str(client.get(k) or "")
                for k in ("first_name", "middle_name", "last_name", "preferred_name")
            )
            name = " ".join(names.split())
            if needle and needle not in version.client_id.lower() and needle not in name.lower():
                continue
            found.append(
                {
                    "client_id": version.client_id,
                    "name": name,
                    "version": version.number,
                    "updated": version.created_at.strftime("%Y-%m-%d"),
                }
            )
            if len(found) >= SEARCH_LIMIT:
                break
    return found


def compare(
    store: Path, client_id: str, old: int | None, new: int | None
) -> tuple[Any, Any, PlanDiff]:
    """Two versions (default: the latest and the one before) and the changes between them."""
    with Store(store) as st:
        to_version = st.get(client_id, new)
        if old is None:
            old = max(1, to_version.number - 1)
        from_version = st.get(client_id, old)
    changes = diff_plans(
        from_version.plan,
        to_version.plan,
        old_label=f"version {from_version.number}",
        new_label=f"version {to_version.number}",
    )
    return from_version, to_version, changes


def redline(store: Path, client_id: str, old: int | None, new: int | None) -> bytes:
    from pipeline.writers.docx.redline import render_redline

    before, after, changes = compare(store, client_id, old, new)
    return render_redline(before.plan, after.plan, changes)


def measures(found: list[Version]) -> dict[str, list[tuple[str, int]]]:
    """Per instrument, its totals over the versions: (date, total), oldest first, unique."""
    series: dict[str, dict[str, int]] = {}
    for version in found:
        for measure in version.plan.measures:
            if measure.total is None:
                continue
            when = str(measure.date or version.created_at.date())
            series.setdefault(measure.instrument, {})[when] = measure.total
    return {name: sorted(points.items()) for name, points in sorted(series.items())}


REVIEW_COLUMNS = (
    "Client ID",
    "Review date",
    "Reviewer",
    "Goal ID",
    "Objective ID",
    "Objective",
    "Measured by",
    "Status",
    "Measure",
    "Score",
    "New concern",
    "Concern code",
    "Rationale",
)


def review_sheet(version: Version) -> bytes:
    """A CSV to fill at a progress review: one row per open objective of the latest plan,
    with the columns ``txplan revise`` reads. Objective and Measured by are reminders only
    (not read back); Measure and Score are filled together when a measure was taken."""
    plan = version.plan
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(REVIEW_COLUMNS)
    closed = {"met", "discontinued"}
    for goal in plan.goals:
        for objective in goal.objectives:
            if objective.status.value in closed:
                continue
            cells = [
                plan.client.id,
                "",
                "",
                goal.id,
                objective.id,
                objective.text,
                objective.measure or "",
                "",
                "",
                "",
                "",
                "",
                "",
            ]
            writer.writerow(cells)
    return out.getvalue().encode("utf-8")
