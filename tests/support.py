"""What many tests share: the checkout's folders and the one golden-file helper."""

from __future__ import annotations

import csv
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def accepting() -> bool:
    """True when goldens are being rewritten on purpose (``TXPLAN_ACCEPT=1``)."""
    return os.environ.get("TXPLAN_ACCEPT") == "1"


def assert_golden(golden: Path, text: str) -> None:
    """``text`` equals the golden file; ``TXPLAN_ACCEPT=1`` rewrites it (read the diff after).

    Goldens are named ``<sample>.golden.<ext>`` beside the data they describe.
    """
    if accepting():
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden {golden}: run with TXPLAN_ACCEPT=1 and read the diff"
    assert golden.read_text(encoding="utf-8") == text, (
        f"{golden.name} differs; if the change is intended, rerun with TXPLAN_ACCEPT=1 "
        "and read the diff before committing"
    )


TEST_DATA = DATA  #: for modules whose own DATA is a subfolder


def write_csv(path: Path, header: list[str], *rows: list[str]) -> Path:
    """A small CSV export for a test: the header, then the rows (UTF-8, as written)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def filled_bank_objective(bank, row, plan_date, score=None):  # noqa: ANN001, ANN201 - test helper
    """A goal-bank objective row filled as the merge fills it, for a client whose score (for a
    questionnaire's row: ``score``, else the scale's worst) was measured on the plan date;
    reviewed 90 days on."""
    import datetime as dt

    from pipeline.merge.client import ClientFacts
    from pipeline.merge.fill import fill

    if row.kind != "instrument":
        score = None
    elif score is None:
        score = bank.instruments[row.measure_key][2]
    client = ClientFacts(
        scores={row.measure_key: score} if score is not None else {},
        text="",
        plan_date=plan_date,
        review_date=plan_date + dt.timedelta(days=90),
        responsible="Jordan Reyes, LPC",
        baseline_dates={row.measure_key: plan_date} if score is not None else {},
        intake_date=plan_date,
    )
    return fill(bank, client, row, "weekly", set())
