"""How a build records plan versions: one decision per intake plan, one origin per version.

In the parent, before a plan's task goes out, :class:`Versioner` asks the store for the
client's latest version and :func:`pipeline.versions.intake.decide` what to do: build the
intake, skip it (render the latest version: a review is never reverted) or apply it on top of
a reviewed plan. After the documents are made, :func:`origin_for` adds each payer's status
(ok / blocked with its findings / draft / failed), so every plan built is a version whatever
its status.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from itertools import islice
from pathlib import Path
from typing import Any

from pipeline.batch.ledger import file_digest
from pipeline.findings import Finding
from pipeline.model import Plan
from pipeline.versions.intake import Decision, decide
from pipeline.versions.record import Origin, content_hash

#: Plans whose clients' latest versions are asked of the store in one query.
CHUNK = 32


@dataclass(frozen=True)
class Pending:
    """What the parent keeps of a plan's decision until its version is saved."""

    origin: Origin
    reason: str
    save: bool  #: False for a skipped intake (the latest version was rendered)


class Versioner:
    """Decisions for one build's plans (``store`` None: no versions, plans built as read)."""

    def __init__(self, store: Any, *, supersede: str | None = None, bank: Any = None) -> None:
        self.store = store
        self.supersede = supersede
        self.notices: list[Finding] = []
        self._digests: dict[str, str] = {}
        self._merger = None
        #: Clients of the plans prefetched, and those among them with a version (the rest
        #: have none: no query a plan for a client the store has never seen).
        self._asked: set[str] = set()
        self._known: set[str] = set()
        if bank is not None:
            from pipeline.versions.revise import bank_merger

            self._merger = bank_merger(bank)

    def sources(self, plan: Plan,
                files: Iterable[str] | None = None) -> tuple[tuple[str, str], ...]:  # fmt: skip
        """The intake files of a plan with their SHA-256 (each file hashed once per build);
        ``files``: the plan's intake files, sorted, when the caller has them."""
        if files is None:
            files = sorted({s.file for s in plan.provenance.sources})
        for name in files:
            if name not in self._digests:
                self._digests[name] = file_digest(Path(name))
        return tuple((name, self._digests[name]) for name in files)

    def prefetch(self, plans: Iterable[Plan]) -> Iterator[Plan]:
        """``plans``, read :data:`CHUNK` at a time, each chunk's clients asked of the store at
        once which have a version (most plans of a first build have none), so
        :meth:`decide` queries the store only for a client with history. The first chunks
        are smaller (1, 2, 4, ... plans): the first plan goes to a worker as soon as it is
        read, not once 32 have been."""
        source = iter(plans)
        size = 1
        while chunk := list(islice(source, size)):
            size = min(CHUNK, size * 2)
            if self.store is not None:
                self._asked = {plan.client.id for plan in chunk}
                self._known = set(self.store.latest_marks(self._asked))
            yield from chunk
        self._asked, self._known = set(), set()

    def _latest(self, client_id: str) -> Any:
        if client_id in self._asked and client_id not in self._known:
            return None
        return self.store.latest(client_id)

    def decide(
        self, plan: Plan, source: str, files: Iterable[str] | None = None
    ) -> tuple[Decision | None, Pending | None]:
        """The decision for one intake plan: None when the client has no history (built as
        read; its intake hash is computed by the worker) or there is no store. ``files``: as
        :meth:`sources` takes them."""
        if self.store is None:
            return None, None
        sources = self.sources(plan, files)
        latest = self._latest(plan.client.id)
        if latest is None and not self.supersede:
            origin = Origin(kind="intake", sources=sources)
            return None, Pending(origin, "build", True)
        digest = content_hash(plan)
        source = ", ".join(name for name, _ in sources) or source
        seen = latest is not None and self.store.seen_intake(plan.client.id, digest)
        decision = decide(plan, latest, seen, source=source, supersede=self.supersede,
                          intake_hash=digest, merger=self._merger)  # fmt: skip
        if decision.notice is not None:
            self.notices.append(decision.notice)
        self.notices.extend(decision.findings)
        origin = replace(decision.origin, sources=sources)
        return decision, Pending(origin, decision.reason, decision.action != "skip")


def statuses(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per payer: ``{"status": ok | blocked | draft | failed, "findings": [errors]}``."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        status = "draft" if row["status"] == "blocked" and row.get("draft") else row["status"]
        errors = [
            {"code": f["code"], "message": f["message"]}
            for f in row.get("findings", ())
            if f.get("severity") == "error"
        ]
        found[row["payer"]] = {"status": status, "findings": errors}
    return found


#: Origin's fields, in order, as :func:`origin_for` makes one directly.
_ORIGIN = ("kind", "intake_hash", "sources", "statuses", "rationale", "expected")
_DIRECT = tuple(f.name for f in fields(Origin)) == _ORIGIN


def origin_for(pending: Pending, intake_hash: str | None, rows: Iterable[dict[str, Any]]) -> Origin:
    """The version's origin: the decision's, with the worker's intake hash and the statuses
    (``dataclasses.replace``, made directly: a third of its cost, once a plan)."""
    origin = pending.origin
    if not (intake_hash and not origin.intake_hash):  # one copy of the origin, not two
        intake_hash = origin.intake_hash
    if not _DIRECT:
        return replace(origin, intake_hash=intake_hash, statuses=statuses(rows))
    return Origin(origin.kind, intake_hash, origin.sources, statuses(rows), origin.rationale,
                  origin.expected)  # fmt: skip
