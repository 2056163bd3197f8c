"""Stable resource ids and references for one plan's bundle: the same plan, the same ids."""

from __future__ import annotations

import uuid
from typing import Any

#: The namespace of txplan's name-based (version 5) UUIDs.
NAMESPACE = uuid.UUID("6b1f3c52-7e0a-5d35-9d0c-2f1c8c7f4e11")


class Refs:
    """Ids derived from the agency, the client and each item's own stable id (never random)."""

    def __init__(self, agency_id: str, client_id: str, payer_id: str) -> None:
        self.agency_id = agency_id
        self.client_id = client_id
        self.client_system = f"urn:txplan:{agency_id}:client-id"
        self.member_system = f"urn:txplan:payer:{payer_id}:member-id"

    def id(self, kind: str, *parts: str) -> str:
        key = "/".join((self.agency_id, self.client_id, kind, *parts))
        return str(uuid.uuid5(NAMESPACE, key))

    def ref(self, kind: str, *parts: str) -> str:
        return f"urn:uuid:{self.id(kind, *parts)}"

    def shared_id(self, kind: str, *parts: str) -> str:
        """An id shared by every client's bundle (the agency, its practitioners)."""
        return str(uuid.uuid5(NAMESPACE, "/".join((self.agency_id, kind, *parts))))

    def shared_ref(self, kind: str, *parts: str) -> str:
        return f"urn:uuid:{self.shared_id(kind, *parts)}"


def prune(value: Any) -> Any:
    """Drop None, empty lists and empty objects, recursively (FHIR forbids empty elements)."""
    if isinstance(value, dict):
        out = {k: prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, [], {}, "")}
    if isinstance(value, list):
        out = [prune(v) for v in value]
        return [v for v in out if v not in (None, [], {}, "")]
    return value
