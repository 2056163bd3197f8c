"""Property: a client copy goes out only for a plan in force (review s2-r20: copies were issued
for plans every payer blocked). Over a full plan with things a payer refuses (the clinician's
or the client's signature missing, a member id of another payer, no goals) and any set of
payers, the build's client-copy row is ok only if some payer's decision on the plan is ok; it
is blocked otherwise, made at most as a DRAFT under ``--draft``; and a plan in force gets its
copy. The client-copy slot is built alone (the payer rows reused, as a rebuild does), so the
copy's decision cannot lean on rows made in the same task.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.batch.build import BuildOptions
from pipeline.batch.decision import decide
from pipeline.batch.job import PlanJob, PlanTask
from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from tests.support import DATA

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BASE = Plan.model_validate_json((DATA / "render" / "full.json").read_text(encoding="utf-8"))
AGENCY = load_agency("riverside")
PAYERS = ("clinical", "medicare-poc", "medicaid-isp", "managed-care-otr", "bluepeak-pdf")
_JOBS: dict[tuple[tuple[str, ...], bool], tuple[PlanJob, tempfile.TemporaryDirectory]] = {}


def _job(payers: tuple[str, ...], draft: bool) -> PlanJob:
    """One job per payer set and draft flag (a job compiles its templates once)."""
    if (payers, draft) not in _JOBS:
        folder = tempfile.TemporaryDirectory()
        options = BuildOptions(out_dir=Path(folder.name), formats=("docx",), merge=False,
                               client_copy=True, draft=draft, resume=False)  # fmt: skip
        _JOBS[payers, draft] = (PlanJob([load_payer(p) for p in payers], AGENCY, options), folder)
    return _JOBS[payers, draft][0]


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    plan = BASE
    signatures = plan.signatures
    if draw(st.booleans()):  # the treating clinician has not signed (TXR018)
        clinician = signatures.clinician.model_copy(update={"signed_date": None})
        signatures = signatures.model_copy(update={"clinician": clinician})
    if draw(st.booleans()):  # nor the client, and no reason recorded (TXR009)
        client = signatures.client.model_copy(update={"signed_date": None})
        signatures = signatures.model_copy(
            update={"client": client, "client_unsigned_reason": None}
        )
    update: dict = {"signatures": signatures}
    member = draw(st.sampled_from([None, "BPH-4400-1177", "OHP4471920"]))
    if member is not None:  # another payer's member id (TXR017)
        update["client"] = plan.client.model_copy(update={"member_id": member})
    if draw(st.integers(0, 4)) == 0:  # no goals (TXR002 and more)
        update["goals"] = ()
    return plan.model_copy(update=update)


@PROPERTY
@given(
    plans(),
    st.lists(st.sampled_from(PAYERS), min_size=1, max_size=3, unique=True).map(tuple),
    st.booleans(),
)
def test_no_client_copy_for_a_plan_no_payer_accepts(plan: Plan, payers, draft: bool) -> None:
    job = _job(payers, draft)
    in_force = any(not decide(plan, load_payer(p), AGENCY).blocked for p in payers)
    task = PlanTask(plan.model_dump_json(), ((len(payers), "copy"),), "full.json", merge=False)
    (made,) = job.run(task).made
    row = made.row
    assert row["payer"] == "client-copy"
    if not in_force:
        assert row["status"] == "blocked", row
        assert bool(row["outputs"]) == (draft and row["draft"]), row
        assert "TXR031" in {f["code"] for f in row["findings"]}
    else:
        assert row["status"] == "ok" and row["outputs"] and not row["draft"], row
