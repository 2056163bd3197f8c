"""The plain-language client copy: goals in the client's words, what happens next, no codes.

To the writer registry the client copy is one more DOCX "payer" (:data:`CLIENT_COPY`): its
own template, no rules, no profile; ``writers.render(plan, CLIENT_COPY, agency, options)``
renders it with the same renderer and options as every payer document.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pipeline.model import Plan
from pipeline.profiles import TEMPLATES
from pipeline.writers.clean import clean_plan
from pipeline.writers.docx.render import plan_context, plan_properties, render_document

TEMPLATE = TEMPLATES / "client-copy" / "template.docx"
#: The client copy as the writers see it: a DOCX audience with its own template.
CLIENT_COPY = SimpleNamespace(id="client-copy", name="Your plan", kind="docx", template=TEMPLATE)
#: What templates see as the "payer" of the client copy (the same object).
AUDIENCE = CLIENT_COPY


def render_client_copy(
    plan: Plan,
    agency: Any,
    *,
    draft: bool = False,
    template: Path = TEMPLATE,
    renderer: str = "auto",
) -> bytes:
    """The client's own copy of the plan as DOCX bytes (deterministic, agency letterhead)."""
    plan = clean_plan(plan)
    props = plan_properties(plan, AUDIENCE, agency, "Your plan")
    return render_document(
        template, plan_context(plan, AUDIENCE, agency, draft=draft), agency, draft=draft,
        properties=props, renderer=renderer,
    )  # fmt: skip
