"""The plain-language client copy: goals in the client's words, what happens next, no codes.

To the writer registry the client copy is one more DOCX audience (:data:`CLIENT_COPY`): its
own template, no rules, no profile; ``writers.render(plan, CLIENT_COPY, agency, options)``
renders it with the same renderer and options as every payer document.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from pipeline.model import Plan
from pipeline.profiles import TEMPLATES

TEMPLATE = TEMPLATES / "client-copy" / "template.docx"
#: The client copy as writers and templates see it: the "payer" named "Your plan".
CLIENT_COPY = SimpleNamespace(id="client-copy", name="Your plan", kind="docx", template=TEMPLATE)


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
