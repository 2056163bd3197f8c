"""The plain-language client copy: goals in the client's words, what happens next, no codes.

To the writer registry the client copy is one more DOCX audience (:data:`CLIENT_COPY`): its
own template, no rules, no profile; ``writers.render(plan, CLIENT_COPY, agency, options)``
renders it with the same renderer and options as every payer document.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from pipeline.errors import TxplanError
from pipeline.model import Plan
from pipeline.profiles import TEMPLATES
from pipeline.rules.safety import client_copy_findings
from pipeline.writers.docx.render import render_docx

TEMPLATE = TEMPLATES / "client-copy" / "template.docx"
#: The client copy as writers and templates see it: the "payer" named "Your plan".
CLIENT_COPY = SimpleNamespace(id="client-copy", name="Your plan", kind="docx", template=TEMPLATE)


def render_client_copy(plan: Plan, agency: Any, *, draft: bool = False,
                       renderer: str = "auto") -> bytes:  # fmt: skip
    """The client's own copy of the plan as DOCX bytes (deterministic, agency letterhead).

    Raises TxplanError while an at-risk client's safety plan is incomplete: the copy must
    carry their completed safety plan and never a placeholder.
    """
    withheld = client_copy_findings(plan)
    if withheld:
        raise TxplanError(f"{plan.client.id}: {withheld[0].message}")
    return render_docx(plan, CLIENT_COPY, agency, draft=draft, renderer=renderer)
