"""Trims what python-docx's stock template carries into every generated DOCX but no plan uses.

python-docx starts each document from a Word 2010 file: 164 style definitions (350 KB, mostly
table styles nobody picks), a second copy of them for Word 2010 (``stylesWithEffects.xml``,
440 KB), a thumbnail and a custom-XML item. Every plan rendered from a template carries what
the template carries, so a 10,000-plan batch wrote 480 MB where 130 MB say the same. This keeps
the styles the template uses (with the styles they are based on, linked to or followed by, and
the defaults) and drops the rest; Word and LibreOffice re-create a built-in style when an
author picks it later.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from pipeline.writers.fixed_zip import member, write_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
#: Parts no plan needs: Word 2010's duplicate styles, the thumbnail, the custom-XML item.
DROPPED = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")
#: Parts whose style references decide which styles stay.
USERS = ("word/document.xml", "word/header", "word/footer", "word/numbering.xml")


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _dropped(name: str) -> bool:
    return any(name == d or (d.endswith("/") and name.startswith(d)) for d in DROPPED)


def _used_styles(parts: dict[str, bytes]) -> set[str]:
    refs = {_q("pStyle"), _q("rStyle"), _q("tblStyle"), _q("numStyleLink"), _q("styleLink")}
    used: set[str] = set()
    for name, data in parts.items():
        if name.startswith(USERS) and name.endswith(".xml"):
            for element in etree.fromstring(data).iter(*refs):
                used.add(element.get(_q("val")))
    return used


def _lean_styles(data: bytes, used: set[str]) -> bytes:
    """Keep used styles, the styles they lead to (basedOn, link, next) and the defaults."""
    root = etree.fromstring(data)
    styles = {s.get(_q("styleId")): s for s in root.iter(_q("style"))}
    keep = set(used) | {i for i, s in styles.items() if s.get(_q("default")) == "1"}
    todo = list(keep)
    while todo:
        style = styles.get(todo.pop())
        if style is None:
            continue
        for tag in ("basedOn", "link", "next"):
            for ref in style.iter(_q(tag)):
                target = ref.get(_q("val"))
                if target not in keep:
                    keep.add(target)
                    todo.append(target)
    for style_id, style in styles.items():
        if style_id not in keep:
            root.remove(style)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _lean_rels(data: bytes, base: str) -> bytes:
    root = etree.fromstring(data)
    for rel in list(root):
        if rel.get("TargetMode") == "External":
            continue
        target = posixpath.normpath(posixpath.join(base, rel.get("Target", ""))).lstrip("/")
        if _dropped(target):
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _lean_types(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for override in root.iter(f"{{{CT}}}Override"):
        if _dropped(override.get("PartName", "").lstrip("/")):
            root.remove(override)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def lean_docx(raw: bytes) -> bytes:
    """The same document without the unused styles and parts (members in their order)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    used = _used_styles(parts)
    kept = []
    for name, data in parts.items():
        if _dropped(name):
            continue
        if name == "word/styles.xml":
            data = _lean_styles(data, used)
        elif name == "[Content_Types].xml":
            data = _lean_types(data)
        elif name.endswith(".rels"):
            folder = posixpath.dirname(posixpath.dirname(name))
            data = _lean_rels(data, "/" + folder if folder else "/")
        kept.append(member(name, data))
    return write_zip(kept)
