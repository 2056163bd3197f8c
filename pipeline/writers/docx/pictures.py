"""Progress charts in DOCX packages: markers a template printed become inline pictures.

A template prints ``{{ p.chart }}`` (a marker, ``TXPLAN-CHART-<content hash>``) where a
measure's chart goes (see ``progress`` in pipeline/writers/context.py). After either renderer
has made the package (both give the same XML), :func:`embed_charts` replaces each marker in
the main document with an inline picture: the PNG as ``word/media/chart-<hash>.png``, its
relationship, the PNG content type, and alternative text (``wp:docPr descr``) naming the
measure, every value with its date, the target and the band. A package without markers is
returned as it is. Documents built with python-docx (the redline) use :func:`add_progress`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import quoteattr

from pipeline.model import Plan
from pipeline.writers.charts import EXTENT, chart_png
from pipeline.writers.fixed_zip import QUICK, entries, member, office_order, write_zip
from pipeline.writers.progress import (
    MARKER,
    MARKER_RE,
    DateFormat,
    Progress,
    alt_text,
    clinician_text,
    progress_of,
)

BODY = "word/document.xml"
RELS = "word/_rels/document.xml.rels"
TYPES = "[Content_Types].xml"
#: Compression of the members written again per plan (as the fast path's; a PNG is compressed).
LEVEL = QUICK
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_DOCPR = re.compile(r'docPr id="(\d+)"')
#: The parts that can hold drawings (their ids must be unique across the document).
_STORY = re.compile(r"word/(?:document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_NS = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def drawing(rid: str, number: int, name: str, alt: str) -> str:
    """The ``w:drawing`` of an inline picture (the XML python-docx and Word write)."""
    cx, cy = EXTENT
    alt_attr, name_attr = quoteattr(alt), quoteattr(name)
    return (
        f'<w:drawing><wp:inline {_NS} distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{number}" name={name_attr} '
        f"descr={alt_attr}/><wp:cNvGraphicFramePr>"
        '<a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name={name_attr} descr={alt_attr}/>'
        f'<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/>'
        "<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>"
        f'<a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing>"
    )


def _replace(xml: str, make: Callable[[str], str | None]) -> str:
    """Every marker inside a ``w:t`` swapped for ``make(key)`` (unknown keys stay as text)."""

    def text(value: str) -> str:
        return f'<w:t xml:space="preserve">{value}</w:t>' if value else ""

    def one(m: re.Match[str]) -> str:
        value = m.group(1)
        if MARKER not in value:
            return m.group(0)
        out, pos = [], 0
        for found in MARKER_RE.finditer(value):
            made = make(found.group(1))
            if made is None:
                continue
            out.append(text(value[pos : found.start()]))
            out.append(made)
            pos = found.end()
        return "".join(out) + text(value[pos:]) if out else m.group(0)

    return _TEXT.sub(one, xml)


def embed_charts(package: bytes, plan: Plan, date: DateFormat) -> bytes:
    """The package with each chart marker of its main document replaced by the chart.

    Only the main document, its relationships and the content types are written again (and
    the charts added); every other member is copied still compressed.
    """
    charts = {p.key: p for p in progress_of(plan) if p.charted}
    if not charts:
        return package
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        names = source.namelist()
        if BODY not in names or RELS not in names or TYPES not in names:
            return package
        body = source.read(BODY).decode("utf-8")
        if MARKER not in body:
            return package
        parts = {name: source.read(name).decode("utf-8") for name in (RELS, TYPES)}
        stories = [source.read(n).decode("utf-8") for n in names if _STORY.fullmatch(n)]
    start = max([int(n) for text in stories for n in _DOCPR.findall(text)] + [1000])
    used: dict[str, str] = {}
    added: dict[str, bytes] = {}
    numbers = iter(range(start + 1, start + 10_000))

    def make(key: str) -> str | None:
        progress = charts.get(key)
        if progress is None:
            return None
        if key not in used:
            used[key] = f"rIdChart{len(used) + 1}"
            added[f"word/media/chart-{key}.png"] = chart_png(progress)
        name = f"{progress.instrument} progress chart"
        return drawing(used[key], next(numbers), name, alt_text(progress, date))

    body = _replace(body, make)
    if not used:
        return package
    rels = "".join(f'<Relationship Id="{rid}" Type="{IMAGE}" Target="media/chart-{key}.png"/>'
                   for key, rid in used.items())  # fmt: skip
    changed = {BODY: body, RELS: parts[RELS].replace("</Relationships>", rels + "</Relationships>")}
    if not re.search(r'Extension="png"', parts[TYPES], re.IGNORECASE):
        png = '<Default Extension="png" ContentType="image/png"/>'
        types = parts[TYPES]
        changed[TYPES] = re.sub(r"(<Types[^>]*>)", lambda m: m.group(1) + png, types, count=1)
    kept = {e.name.decode("ascii"): e for e in entries(package)}
    kept.update({n: member(n, text.encode("utf-8"), LEVEL) for n, text in changed.items()})
    kept.update({n: member(n, data, LEVEL) for n, data in added.items()})
    return write_zip(kept[name] for name in office_order(kept))


def add_progress(document: Any, plan: Plan, date: DateFormat, *, level: int = 3) -> None:
    """A "Progress" section in a python-docx document: per measure its chart (two dated
    administrations or more) with alternative text and a caption, else a sentence."""
    from docx.shared import Emu

    found: list[Progress] = [p for p in progress_of(plan) if p.points]
    if not found:
        return
    document.add_heading("Progress", level)
    for p in found:
        if p.charted:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.keep_with_next = True
            shape = paragraph.add_run().add_picture(io.BytesIO(chart_png(p)), width=Emu(EXTENT[0]),
                                                    height=Emu(EXTENT[1]))  # fmt: skip
            shape._inline.docPr.set("descr", alt_text(p, date))
            shape._inline.docPr.set("name", f"{p.instrument} progress chart")
        document.add_paragraph(clinician_text(p, date))
