"""A stored version's content hash never changes for the same plan: stores on disk hold them.

``tests/data/versions/content_hashes.json`` was written once (before the canonical JSON was
encoded straight from the model) and is never regenerated: if a hash here changes, every
store on disk would take an unchanged plan for a new version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator

import pytest

from pipeline.goalbank.bank import load_bank
from pipeline.merge.core import merge
from pipeline.model import ObjectiveProgress, ObjectiveStatus, Plan, Revision, RevisionChange
from pipeline.versions.record import content_hash, prepare
from tests.support import DATA
from tests.versions.versions_helpers import sample_plan

PINNED = DATA / "versions" / "content_hashes.json"


def known_plans() -> Iterator[tuple[str, Plan]]:
    """Sample plans as read, merged with the default bank, and revised."""
    bank = load_bank()
    plans: list[tuple[str, Plan]] = []
    for path in sorted((DATA / "render").glob("*.json")) + sorted((DATA / "rules").glob("*.json")):
        plans.append(
            (f"{path.parent.name}/{path.name}", Plan.model_validate_json(path.read_text()))
        )
    for path in sorted((DATA / "intake").glob("*.golden.json")):
        for n, data in enumerate(json.loads(path.read_text())["plans"]):
            plans.append((f"intake/{path.name}#{n}", Plan.model_validate(data)))
    review = Revision(
        date=dt.date(2024, 4, 1),
        reviewer="Maya Okafor, LCSW",
        reason="90-day review: «progress»\n\tnoted",
        changes=(RevisionChange(target="G1.O2", change="status met", rationale="PHQ-9 < 10"),),
        progress=(ObjectiveProgress(objective="G1.O2", status=ObjectiveStatus.MET, note="ok"),),
    )
    plans.append(("sample", sample_plan()))
    plans.append(("sample-reviewed", sample_plan(revision=review, reviews=(review,))))
    plans.append(("sample-revision-no-progress", sample_plan(revision=Revision(reason="x"))))
    odd = sample_plan().client.model_copy(
        update={"first_name": 'Zo\u00eb "Z" \\ \x01\x1f\x7f\u2028 \U0001f600'}
    )
    plans.append(("sample-odd-characters", sample_plan(client=odd)))
    for name, plan in plans:
        yield name, plan
        if not name.startswith("sample"):
            yield f"{name} merged", merge(plan, bank)[0]


@pytest.fixture(scope="module")
def pinned() -> dict[str, list[str]]:
    return json.loads(PINNED.read_text(encoding="utf-8"))


def test_known_plans_keep_their_content_hash_and_canonical_json(pinned) -> None:
    found = {}
    for name, plan in known_plans():
        prepared = prepare(plan)
        assert prepared.content_hash == content_hash(plan), name
        canonical = hashlib.sha256(prepared.canonical.encode("utf-8")).hexdigest()
        found[name] = [prepared.content_hash, canonical]
    assert found == pinned
    assert len(pinned) > 100
