"""Fillable PDF forms (AcroForm): every filled field becomes a labelled value with its page.

Text fields give their text, checkboxes a bool, radio groups the chosen export value (an int
when it is a number, as questionnaire answers are), choice lists the chosen option(s).
Checkboxes that share a parent name (``symptoms.sleep``, ``symptoms.worry``) form one
multi-select whose value lists the checked options' tooltips. A field's tooltip (/TU) and its name
are both candidate labels (the first one the alias table or profile knows wins); the name is
always kept in the Source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from pipeline.model import Source
from pipeline.readers.mapping.labels import best_label
from pipeline.readers.raw import RawField

_RADIO = 1 << 15
_PUSHBUTTON = 1 << 16


@dataclass(frozen=True)
class FormField:
    """One terminal AcroForm field as the file holds it."""

    name: str  #: fully qualified name (parent.kid)
    tooltip: str | None
    kind: str  #: text, checkbox, radio, choice
    value: Any
    page: int  #: 1-based page of its first widget


def _inherited(node: DictionaryObject, key: str) -> Any:
    while node is not None:
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _qualified_name(node: DictionaryObject) -> str:
    parts = []
    while node is not None:
        if "/T" in node:
            parts.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return ".".join(reversed(parts))


def _terminal(widget: DictionaryObject) -> DictionaryObject:
    """The field a widget belongs to: itself when it carries a name, else its parent."""
    if "/T" in widget or "/Parent" not in widget:
        return widget
    return widget["/Parent"].get_object()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def _export(value: Any) -> str | None:
    """A button state name without its slash; None for /Off or nothing."""
    if value is None:
        return None
    name = str(value).lstrip("/")
    return None if name in ("", "Off") else name


def _choice_value(field: DictionaryObject, raw: Any) -> str | None:
    options = _inherited(field, "/Opt") or []
    shown = {}
    for option in options:
        option = option.get_object() if hasattr(option, "get_object") else option
        if isinstance(option, list | tuple) and len(option) == 2:
            shown[str(option[0])] = str(option[1])
    chosen = list(raw) if isinstance(raw, list | tuple) else [raw]
    texts = [shown.get(str(v), _text(v)) for v in chosen if _text(v)]
    return "; ".join(t for t in texts if t) or None


def _read_field(field: DictionaryObject, page: int) -> FormField | None:
    kind_name = _inherited(field, "/FT")
    flags = int(_inherited(field, "/Ff") or 0)
    raw = _inherited(field, "/V")
    tooltip = _text(field.get("/TU"))
    name = _qualified_name(field)
    if kind_name == "/Tx":
        return FormField(name, tooltip, "text", _text(raw), page)
    if kind_name == "/Ch":
        return FormField(name, tooltip, "choice", _choice_value(field, raw), page)
    if kind_name == "/Btn" and not flags & _PUSHBUTTON:
        if flags & _RADIO:
            chosen = _export(raw)
            options = _inherited(field, "/Opt")  # kids' states are indexes into /Opt
            if chosen and chosen.isdigit() and options and int(chosen) < len(options):
                chosen = _text(options[int(chosen)].get_object()) or chosen
            value: Any = int(chosen) if chosen and chosen.isdigit() else chosen
            return FormField(name, tooltip, "radio", value, page)
        return FormField(name, tooltip, "checkbox", _export(raw) is not None, page)
    return None  # push buttons, signature fields: nothing a plan holds


def form_fields(reader: PdfReader) -> list[FormField]:
    """Every terminal field, in page order, each once (a radio group has many widgets)."""
    found: dict[str, FormField] = {}
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            field = _terminal(widget)
            read = _read_field(field, number)
            if read is not None and read.name not in found:
                found[read.name] = read
    return list(found.values())


def is_xfa_only(reader: PdfReader) -> bool:
    """True for a dynamic XFA (LiveCycle) form: its fields live in XML pypdf cannot fill in."""
    try:
        form = reader.trailer["/Root"].get("/AcroForm")
        form = form.get_object() if form is not None else None
        return form is not None and "/XFA" in form and not form.get("/Fields")
    except Exception:  # noqa: BLE001 - a broken catalogue is not an XFA form
        return False


def has_fields(reader: PdfReader) -> bool:
    """True when the PDF is a fillable form."""
    try:
        return bool(reader.get_fields())
    except Exception:  # noqa: BLE001 - a broken /AcroForm is read as a flat PDF
        return False


def raw_fields(fields: list[FormField], file: str, profile: Any = None) -> list[RawField]:
    """Labelled values labelled by tooltip or name, whichever is known; checkbox groups merged."""
    groups: dict[str, list[FormField]] = {}
    for field in fields:
        if field.kind == "checkbox" and "." in field.name:
            groups.setdefault(field.name.rsplit(".", 1)[0], []).append(field)
    out: list[RawField] = []
    done: set[str] = set()
    for field in fields:
        group = field.name.rsplit(".", 1)[0] if field.kind == "checkbox" else ""
        if group in groups and len(groups[group]) > 1:
            if group in done:
                continue
            done.add(group)
            members = groups[group]
            checked = [m.tooltip or m.name.rsplit(".", 1)[1] for m in members if m.value]
            source = Source(file=file, page=members[0].page, field=group)
            out.append(RawField(group, "; ".join(checked) or None, source))
            continue
        if field.value is None:
            continue
        source = Source(file=file, page=field.page, field=field.name)
        label = best_label((field.tooltip, field.name), profile)
        out.append(RawField(label, field.value, source))
    return out
