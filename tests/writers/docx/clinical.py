"""The sample plan rendered through the fast path: the clinical template, Riverside, final."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.model import Plan
from pipeline.profiles import load_agency, load_payer
from pipeline.writers.context import build_context
from pipeline.writers.docx import fast
from pipeline.writers.marking import plan_properties
from tests.support import DATA


def full_clinical() -> tuple[fast.Compiled, dict[str, Any], dict[str, Any]]:
    """The compiled clinical template, and the context and document properties of
    ``render/full.json`` for it (fresh dicts each call)."""
    payer, agency = load_payer("clinical"), load_agency("riverside")
    plan = Plan.model_validate(json.loads((DATA / "render" / "full.json").read_text("utf-8")))
    compiled = fast.compiled_for(Path(payer.template), agency, draft=False)
    context = build_context(plan, payer, agency, draft=False, names=compiled.names,
                            fields=compiled.fields)  # fmt: skip
    return compiled, context, plan_properties(plan, payer, agency, payer.name)
