"""FHIR intake reads the client's Coverage: group number, and the member id and payer an EHR
keeps only there; a cancelled Coverage, or one for another member id, is not the client's."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.readers import read


def _patient(member: str | None = None) -> dict:
    ident = [{"type": {"coding": [{"code": "MR"}]}, "value": "EHR-77"}]
    if member:
        ident.append({"type": {"coding": [{"code": "MB"}]}, "value": member})
    return {"resourceType": "Patient", "id": "p1", "identifier": ident,
            "name": [{"family": "Moss", "given": ["Ada"]}]}  # fmt: skip


def _coverage(cid: str, member: str, group: str, payer: str, **more: object) -> dict:
    return {
        "resourceType": "Coverage", "id": cid, "status": "active",
        "subscriberId": member, "beneficiary": {"reference": "Patient/p1"},
        "payor": [{"display": payer}],
        "class": [
            {"type": {"coding": [{"code": "plan"}]}, "value": "GOLD-PPO"},
            {"type": {"coding": [{"code": "group"}]}, "value": group},
        ],
    } | more  # fmt: skip


def _client(tmp_path: Path, *resources: dict):
    bundle = {"resourceType": "Bundle", "type": "searchset",
              "entry": [{"resource": r} for r in resources]}  # fmt: skip
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    (result,) = list(read(path))
    assert result.plan is not None, [str(f) for f in result.findings]
    return result.plan.client


def test_member_id_payer_and_group_from_an_ehr_coverage(tmp_path: Path) -> None:
    got = _client(tmp_path, _patient(), _coverage("c1", "W229104877", "286143-012", "Aetna"))
    assert (got.member_id, got.payer_name, got.group_number) == (
        "W229104877",
        "Aetna",
        "286143-012",
    )


def test_the_coverage_of_the_patients_member_id_wins(tmp_path: Path) -> None:
    got = _client(
        tmp_path,
        _patient("B-2"),
        _coverage("c1", "A-1", "GRP-A", "Plan A", order=1),
        _coverage("c2", "B-2", "GRP-B", "Plan B", order=2),
    )
    assert (got.member_id, got.group_number, got.payer_name) == ("B-2", "GRP-B", "Plan B")


def test_cancelled_or_another_members_coverage_is_not_read(tmp_path: Path) -> None:
    got = _client(
        tmp_path, _patient(), _coverage("c1", "A-1", "GRP-A", "Plan A", status="cancelled")
    )
    assert (got.member_id, got.group_number) == (None, None)
    got = _client(tmp_path, _patient("B-2"), _coverage("c1", "A-1", "GRP-A", "Plan A"))
    assert (got.member_id, got.group_number) == ("B-2", None)
