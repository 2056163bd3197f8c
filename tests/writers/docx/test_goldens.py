"""Rendered DOCX against goldens of their canonical XML, per sample plan and payer.

Each golden holds, for one plan (``tests/data/render/<plan>.json``) rendered for one DOCX
payer (or the client copy) under Riverside's letterhead, the parts a template renders
(body, headers, footers), the core properties and the relationships as canonical
(C14N 2.0), indented XML, and the SHA-256 of every other part. Both renderers must give
exactly the golden, so a change to the context, a template or the letterhead that alters
both paths alike still shows up here; read the diff, then ``TXPLAN_ACCEPT=1`` rewrites them.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.model import Plan
from pipeline.profiles import list_payers, load_agency
from pipeline.rules import load_payer
from pipeline.writers import WriterOptions, render
from pipeline.writers.client_copy import CLIENT_COPY
from pipeline.writers.fixed_zip import office_order
from tests.support import DATA, assert_golden

RENDER = DATA / "render"
#: Parts shown in full: what the plan decides (the rest only changes with the template).
SHOWN = re.compile(r"^(word/(document|header\d*|footer\d*)\.xml|docProps/core\.xml|.*\.rels"
                   r"|\[Content_Types\]\.xml)$")  # fmt: skip


def canonical(data: bytes) -> str:
    """A DOCX as text: shown parts as canonical indented XML, other parts by digest."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in office_order(package.namelist()):
            raw = package.read(name)
            if name.endswith((".xml", ".rels")):
                raw = etree.tostring(etree.fromstring(raw), method="c14n2")
                if SHOWN.match(name):
                    tree = etree.fromstring(raw)
                    out.append(
                        f"=== {name}\n{etree.tostring(tree, pretty_print=True, encoding=str)}"
                    )
                    continue
            out.append(f"=== {name} sha256 {hashlib.sha256(raw).hexdigest()}\n")
    return "".join(out)


def _cases() -> list[tuple[str, str]]:
    plans = sorted(p.stem for p in RENDER.glob("*.json"))
    audiences = [p for p in list_payers() if load_payer(p).kind == "docx"] + [CLIENT_COPY.id]
    return [(plan, audience) for plan in plans for audience in audiences]


CASES = _cases()


def test_every_sample_plan_and_docx_audience_has_a_golden() -> None:
    assert len({plan for plan, _ in CASES}) >= 2 and len(CASES) >= 10
    expected = {RENDER / f"{plan}.{audience}.golden.txt" for plan, audience in CASES}
    assert set(RENDER.glob("*.golden.txt")) == expected


@pytest.mark.parametrize(("plan_name", "audience"), CASES, ids=lambda v: str(v))
def test_rendered_docx_matches_its_golden_with_both_renderers(plan_name: str,
                                                              audience: str) -> None:  # fmt: skip
    plan = Plan.model_validate(json.loads((RENDER / f"{plan_name}.json").read_text("utf-8")))
    payer = CLIENT_COPY if audience == CLIENT_COPY.id else load_payer(audience)
    agency = load_agency("riverside")
    texts = {}
    for renderer in ("fast", "docxtpl"):
        (document,) = render(plan, payer, agency, WriterOptions(renderer=renderer))
        texts[renderer] = canonical(document.data)
    assert texts["fast"] == texts["docxtpl"], "the two renderers differ"
    assert_golden(Path(RENDER / f"{plan_name}.{audience}.golden.txt"), texts["fast"])
