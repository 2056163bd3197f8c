"""The parent's per-plan steps made cheaper give what the general ones gave."""

from __future__ import annotations

import dataclasses
import hashlib
import sys

from pipeline.batch import aside
from pipeline.batch.aside import fields_text
from pipeline.batch.job import transport
from pipeline.batch.manifest import Output, Row
from pipeline.batch.versioning import Pending, origin_for, statuses
from pipeline.cli.plan_report import PlanReport
from pipeline.errors import TxplanError
from pipeline.findings import error, info, warning
from pipeline.model import Source
from pipeline.model.canonical import aside_text, encode_value
from pipeline.readers import ReadOptions, read
from pipeline.versions import store
from pipeline.versions.record import Origin
from tests.support import DATA, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import write_intake_xlsx  # noqa: E402

ROWS = [
    {"payer": "clinical", "status": "blocked", "draft": True,
     "findings": [{"code": "TXR018", "severity": "error", "where": "signatures", "message": "é"},
                  {"code": "TXR015", "severity": "warning", "where": "x", "message": "m"}]},
    {"payer": "medicaid-isp", "status": "ok", "findings": []},
]  # fmt: skip


def test_origin_for_is_replace_of_the_decisions_origin() -> None:
    for origin in (
        Origin(kind="intake", sources=(("a.csv", "d1"),)),
        Origin(kind="update", intake_hash="old", rationale="why", expected=3),
    ):
        for intake_hash in (None, "", "new"):
            made = origin_for(Pending(origin, "build", True), intake_hash, ROWS)
            keep = origin.intake_hash or not intake_hash
            wanted = dataclasses.replace(
                origin,
                intake_hash=origin.intake_hash if keep else intake_hash,
                statuses=statuses(ROWS),
            )
            assert made == wanted
            assert type(made) is Origin


def test_the_stores_statuses_are_their_canonical_json() -> None:
    for value in (statuses(ROWS), {}, {"b": {"z": 1, "a": [None, True, 1.5, "ü\u2028"]}}):
        assert store._statuses(value) == encode_value(value)


def _row(client: str, payer: str, status: str, *findings) -> Row:
    return Row(client, payer, "riverside", status, "in.csv, row 2", False, findings,
               (Output(f"{client}_{payer}.docx", "ab" * 32),))  # fmt: skip


def test_a_reports_json_rows_are_its_rows() -> None:
    signed = error("TXR018", "signatures.clinician.signed_date", "missing")
    said = [info("BLD007", "x", "an info is never listed"), warning("TXR015", "p", "missing")]
    rows = [
        _row("C-1", "clinical", "blocked", signed, *said),
        _row("C-1", "medicaid-isp", "blocked", signed),
        _row("C-2", "clinical", "ok"),
        _row("C-3", "clinical", "failed", error("BLD001", "C-3 / clinical", "ünïcode")),
    ]
    by_row, by_json = PlanReport(), PlanReport()
    for row in rows:
        by_row.add_row(row)
        by_json.add_row_json(row.as_json())
    assert by_json.clients == by_row.clients
    assert by_json.lines(verbose=True) == by_row.lines(verbose=True)
    assert by_json.lines(limit=2) == by_row.lines(limit=2)


def test_the_ledgers_plan_hash_is_of_the_json_and_the_sources_aside(tmp_path) -> None:
    write_intake_xlsx(tmp_path / "in.xlsx", 6)
    plans = [r.plan for r in read(tmp_path / "in.xlsx", ReadOptions()) if r.plan]
    assert plans
    for plan in plans:
        _plan, plan_json, aside, digest = transport(plan)
        assert aside == aside_text(plan)
        sent = plan_json if aside is None else f"{plan_json}\n{aside}"
        assert digest == hashlib.sha256(sent.encode("utf-8")).hexdigest()


class _Text(str):
    """A str subclass: the generated encoder sends such a plan the general way."""


def _with_fields(plan, fields: dict) -> object:
    provenance = plan.provenance.model_copy(update={"fields": fields})
    return plan.model_copy(update={"provenance": provenance})


def test_field_sources_are_encoded_as_aside_text_encodes_them(tmp_path) -> None:
    write_intake_xlsx(tmp_path / "in.xlsx", 4)
    plans = [r.plan for r in read(tmp_path / "in.xlsx", ReadOptions()) if r.plan]
    for folder in (DATA / "intake", ROOT / "inputs"):
        for path in sorted(folder.glob("*")):
            if path.suffix in (".csv", ".xlsx") and not path.name.startswith(("corrupt", "enc")):
                try:
                    plans += [r.plan for r in read(path, ReadOptions()) if r.plan]
                except TxplanError:
                    continue
    assert len(plans) > 10
    plan = plans[0]
    for read_plan in plans:  # read intakes take the loop, not the general way
        assert aside._encoded(read_plan.provenance.fields) == aside_text(read_plan)
    odd = [
        {"a": Source(file="f", sheet="S", row=1, column="C"),
         "b": Source(file="f", sheet="S", row=2, column="C")},
        {"b": Source(file="f", sheet=None, row=None, column=None, page=2, field="x"),
         "a": Source(file="f", sheet="S", row=3, column="C")},
        {"a": Source(file="ü\u2028", row=1, column="é\"\\"), "b": Source(file="g", row=1)},
        {"a": Source.model_construct(file="f", row=True, column="C")},  # a bool as the row
        {"a": Source.model_construct(file="f", row=1, column=_Text("C"))},
        {"a": Source.model_construct(file="f", row=1, column=7)},
        {"a": Source.model_construct(file="f", row=1.0, column="C")},
        {"a": Source.model_construct(file=_Text("f"), row=1, column="C")},
        {1: Source(file="f", row=1)},
    ]  # fmt: skip
    plans += [_with_fields(plan, fields) for fields in odd]
    for plan in plans:
        for _twice in range(2):  # the kept texts give what encoding gives
            assert fields_text(plan) == aside_text(plan)
