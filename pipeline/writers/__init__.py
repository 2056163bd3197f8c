"""The writer registry: output kind -> writer module, and the one :func:`render` over them.

Every writer module has the same two functions: ``write(plan, payer, agency, options)``
returns the plan's documents for that payer (bytes, deterministic), and
``prepare(payer, agency, options)`` does once per batch what every plan's render shares
(compiling a template; it may do nothing). A payer profile's ``kind`` picks the writer; the
client copy is a DOCX "payer" of its own (:data:`pipeline.writers.client_copy.CLIENT_COPY`).
Writers never read input files and never write: the caller stores what they return.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from pipeline.errors import ConfigError, TxplanError

if TYPE_CHECKING:
    from pipeline.findings import Finding
    from pipeline.model import Plan

#: ``auto``: compile once and render fast, stock docxtpl for what the fast path cannot do;
#: ``fast``: the fast path or an error; ``docxtpl``: stock docxtpl (the escape hatch, baseline).
RENDERERS = ("auto", "fast", "docxtpl")


@dataclass(frozen=True)
class WriterOptions:
    """What a caller may tell every writer (a writer ignores what its format has no use for)."""

    draft: bool = False  #: mark every page DRAFT: NOT FOR SUBMISSION
    flatten: bool | None = None  #: PDF forms: burn the values in; None = the payer's render.flatten
    renderer: str = "auto"  #: DOCX: one of :data:`RENDERERS`
    fhir: bool = False  #: also the plan as a FHIR R4 Bundle (``.fhir.json``) for each payer


@dataclass(frozen=True)
class Rendered:
    """One rendered document: its file suffix (``.docx``, ``.pdf``), its bytes and what the
    writer notes about how it was made (info findings the batch adds to the document's row,
    e.g. a form filled by the slower stock path)."""

    suffix: str
    data: bytes
    notes: tuple[Finding, ...] = ()


#: The client copy's audience id (:data:`pipeline.writers.client_copy.CLIENT_COPY`).
CLIENT_COPY_ID = "client-copy"

#: output kind (a payer profile's ``kind``) -> writer module. Imported on first use.
_REGISTRY: dict[str, str] = {
    "docx": "pipeline.writers.docx.render",
    "pdf_form": "pipeline.writers.pdf_form",
}


def register(kind: str, module: str) -> None:
    """Register ``"package.module"`` (with ``write`` and ``prepare``) as the writer of a kind."""
    _REGISTRY[kind] = module


def kinds() -> tuple[str, ...]:
    """The output kinds a payer profile may name."""
    return tuple(sorted(_REGISTRY))


def writer_for(payer: Any) -> ModuleType:
    """The writer module of a payer's kind; an unknown kind is a ConfigError naming the payer."""
    kind = getattr(payer, "kind", None)
    target = _REGISTRY.get(kind) if isinstance(kind, str) else None
    if target is None:
        known = ", ".join(kinds())
        raise ConfigError(f"no writer for output kind {kind!r} (known: {known})",
                          str(getattr(payer, "id", payer)))  # fmt: skip
    module = _LOADED.get(target)
    if module is None:  # (kept once imported whole: import_module costs a plan about 1 us)
        module = _LOADED[target] = importlib.import_module(target)
    return module


#: Writer modules by name, once imported.
_LOADED: dict[str, ModuleType] = {}


def check_renderer(renderer: str) -> None:
    """A renderer name that is not one of :data:`RENDERERS` is a ConfigError."""
    if renderer not in RENDERERS:
        raise ConfigError(f"unknown renderer {renderer!r}; use {', '.join(RENDERERS)}",
                          "--renderer")  # fmt: skip


def _checked(options: WriterOptions | None) -> WriterOptions:
    options = options or WriterOptions()
    check_renderer(options.renderer)
    return options


def render(plan: Plan, payer: Any, agency: Any,
           options: WriterOptions | None = None) -> tuple[Rendered, ...]:  # fmt: skip
    """The documents of one plan for one payer (or the client copy) under an agency.

    The client copy of an at-risk client whose safety plan is incomplete is never made, not
    even as a draft (TXR030): a TxplanError says why. Every path to a client copy (the batch,
    ``render_client_copy``, the web app) comes through here. Whether the plan is in force (a
    payer document of it is ok, TXR031) needs the payers' decisions: the batch decides it
    before rendering (:func:`pipeline.batch.decision.decide_client_copy`).
    """
    options = _checked(options)
    if getattr(payer, "id", None) == CLIENT_COPY_ID:
        from pipeline.rules.safety import client_copy_findings

        withheld = client_copy_findings(plan)
        if withheld:
            raise TxplanError(f"{plan.client.id}: {withheld[0].message}", withheld[0].where)
        agency = _for_client(agency)
    from pipeline.writers.clean import clean_plan

    plan = clean_plan(plan)  # no control, bidi or surrogate character reaches a document
    documents = tuple(writer_for(payer).write(plan, payer, agency, options))
    if options.fhir:
        from pipeline.writers.fhir.bundle import render_fhir

        status = "draft" if options.draft else "active"
        documents += (Rendered(".fhir.json", render_fhir(plan, payer, agency, status=status)),)
    return documents


def prepare(payer: Any, agency: Any, options: WriterOptions | None = None) -> None:
    """Do once what every render for this payer, agency and options shares (compile a
    template), so that forked workers inherit it; a failure here is left to the render."""
    if getattr(payer, "id", None) == CLIENT_COPY_ID:
        agency = _for_client(agency)
    writer_for(payer).prepare(payer, agency, _checked(options))


def _for_client(agency: Any) -> Any:
    """The agency as the client copy shows it: contact details, no NPI or redisclosure notice.

    The same (immutable) view again for the same agency object as the last call, so that
    every client copy of a batch finds its compiled template as the last one did
    (``docx.fast.compiled_for`` knows an agency by identity first)."""
    last = _FACING[0]
    if last is not None and last[0] is agency:
        return last[1]
    from pipeline.writers.client_copy import client_facing

    facing = client_facing(agency)
    _FACING[0] = (agency, facing)
    return facing


#: The last agency :func:`_for_client` was asked for and its client-facing view.
_FACING: list[tuple[Any, Any] | None] = [None]


__all__ = [
    "RENDERERS",
    "Rendered",
    "WriterOptions",
    "check_renderer",
    "kinds",
    "prepare",
    "register",
    "render",
]
