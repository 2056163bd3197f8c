"""The plain-language client copy: goals in the client's words, what happens next, no codes.

To the writer registry the client copy is one more DOCX audience (:data:`CLIENT_COPY`): its
own template, no rules, no profile; ``writers.render(plan, CLIENT_COPY, agency, options)``
renders it with the same renderer and options as every payer document.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from pipeline.model import Plan
from pipeline.profiles import TEMPLATES

TEMPLATE = TEMPLATES / "client-copy" / "template.docx"
#: The client copy as writers and templates see it: the "payer" named "Your plan".
CLIENT_COPY = SimpleNamespace(id="client-copy", name="Your plan", kind="docx", template=TEMPLATE)
#: The client copy's footer, in place of the agency's notice: a redisclosure notice (42 CFR
#: Part 2, HIPAA) speaks to a third party who receives the record, not to the client.
CLIENT_NOTICE = "This copy of your plan is yours to keep. You decide who sees it."


@dataclass(frozen=True)
class ClientFacing:
    """The agency as the client's own copy shows it: its name, logo, address, phone and
    email, the way the client reaches it; no NPI, tax id or fax (billing identifiers and a
    payer's channel) and the client's own footer (:data:`CLIENT_NOTICE`)."""

    agency: Any

    id = property(lambda self: self.agency.id)
    name = property(lambda self: self.agency.name)
    address = property(lambda self: self.agency.address)
    phone = property(lambda self: self.agency.phone)
    logo = property(lambda self: self.agency.logo)
    #: printed in the letterhead after the phone (docx.package reads it)
    letterhead_email = property(lambda self: getattr(self.agency, "email", None))
    npi: None = None
    fax: None = None
    tax_id: None = None
    footer: str = CLIENT_NOTICE

    def clinician(self, name: str | None) -> Any:
        """The agency's clinician of that name (signature lines fill in credentials)."""
        return self.agency.clinician(name)


def client_facing(agency: Any) -> Any:
    """The agency for the client copy (:class:`ClientFacing`); the same object if it already is."""
    return agency if isinstance(agency, ClientFacing) else ClientFacing(agency)


def render_client_copy(plan: Plan, agency: Any, *, draft: bool = False,
                       renderer: str = "auto") -> bytes:  # fmt: skip
    """The client's own copy of the plan as DOCX bytes (deterministic, agency letterhead).

    Goes through :func:`pipeline.writers.render`, which raises TxplanError while an at-risk
    client's safety plan is incomplete (TXR030): the copy must carry their completed safety
    plan and never a placeholder.
    """
    from pipeline.writers import WriterOptions, render

    (document,) = render(plan, CLIENT_COPY, agency, WriterOptions(draft=draft, renderer=renderer))
    return document.data
