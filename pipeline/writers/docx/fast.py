"""Compile-once DOCX rendering: a template patched and compiled once per batch, rendered per plan.

:func:`compiled_for` builds (and caches by the template's SHA-256, the letterhead inputs,
DRAFT and the sandbox) a :class:`Compiled` template: the package as the stock path would
leave it with the agency's letterhead and placeholder properties (the "skeleton",
:mod:`.skeleton`), every
part docxtpl renders patched with docxtpl's own ``patch_xml`` and compiled by Jinja once,
every other part compressed once. :meth:`Compiled.render` then only runs the compiled
templates, applies docxtpl's post-processing (skipping a step only where it is provably a
no-op), frees the main document's tall table rows (:mod:`.rows`) before compressing it, and
writes the zip, copying unchanged parts as their compressed bytes.

A template the fast path cannot reproduce exactly raises :class:`Unsupported` at compile
time; the caller falls back to stock docxtpl (see ``docx.render.render_document``).
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import zipfile
from collections import OrderedDict
from pathlib import Path
from stat import S_ISREG
from typing import Any

import jinja2

from pipeline.writers.docx import proof, rows
from pipeline.writers.docx.compile_part import (
    LEVEL,
    STATIC_LEVEL,
    compiled_part,
    env_key,
    shared_env,
)
from pipeline.writers.docx.compile_part import clear as clear_parts
from pipeline.writers.docx.core import CoreProperties
from pipeline.writers.docx.frozen import Unfrozen, frozen
from pipeline.writers.docx.parts import DOCXTPL, Part, part_bytes
from pipeline.writers.docx.skeleton import (
    Unsupported,
    body_xml,
    patched_source,
    rendered_parts,
    stock_package,
    xml_of,
)
from pipeline.writers.docx.stitch import pieces_of
from pipeline.writers.fixed_zip import Entry, joined_member, member, office_order, write_zip
from pipeline.writers.templates import load_template
from pipeline.writers.usage import Fields, fields_used
from pipeline.writers.verify import vouch, vouch_archive

DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
#: A part whose values differed this many renderings in a row is compared again only at two
#: renderings in every :data:`RETRY` (to find it repeating again); it is rendered otherwise.
MISSES, RETRY = 8, 64


# --- compiling ---------------------------------------------------------------------------------


def _digest_file(path: Path | str) -> str | None:
    """The SHA-256 of a regular file (cached per file version); None for no such file."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if not S_ISREG(stat.st_mode):
        return None
    return _digest_version(os.fspath(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _digest_version(path: str, mtime_ns: int, size: int) -> str:
    return _digest(Path(path).read_bytes())


@functools.lru_cache(maxsize=64)
def _digest(data: bytes) -> str:
    """SHA-256 of a file's bytes; cheap again for the same bytes object (it keeps its hash)."""
    return hashlib.sha256(data).hexdigest()


def _agency_key(agency: Any) -> tuple:
    """Every agency input the letterhead reads (see ``docx.package.apply_letterhead``)."""
    logo = getattr(agency, "logo", None)
    fields = ("name", "address", "phone", "fax", "letterhead_email", "npi", "footer")
    return (*(getattr(agency, f, None) for f in fields), _digest_file(logo) if logo else None)


_BODY = re.compile(rb"<w:body[ >]")


class Compiled:
    """One template compiled for one agency letterhead and DRAFT setting."""

    def __init__(self, data: bytes, agency: Any, draft: bool) -> None:
        template, skeleton, package = stock_package(data, agency, draft)
        rendered = rendered_parts(template)
        body_name = str(skeleton.part.partname).lstrip("/")
        self.env = shared_env()  # (one a process: parts are compiled once, see .compile_part)
        self.items: list[Entry | Part | None] = []
        #: The context variables the template uses (docxtpl renders no other part).
        self.names: frozenset[str] = frozenset()
        #: What the template reads of them (None: all of it; see :mod:`~pipeline.writers.usage`).
        self.fields: Fields | None = None
        trees: list[jinja2.nodes.Template] = []
        #: Partname -> the values, bytes, member and soundness of its last rendering.
        self.last: dict[str, tuple[tuple | None, bytes, Entry, bool]] = {}
        #: Partname -> how many renderings in a row its values differed from the last's.
        self.missed: dict[str, int] = {}
        #: What the main document's source tells the tall-row pass (see :mod:`.rows`).
        self.body_rows = rows.BodyRows(True, None, None)
        core = ""
        with zipfile.ZipFile(io.BytesIO(package)) as package_zip:
            names = office_order(package_zip.namelist())
            for name in names:
                if not name.isascii():
                    raise Unsupported(f"part name {name!r} is not ASCII")
                blob = package_zip.read(name)
                if name == "docProps/core.xml":
                    core = blob.decode("utf-8")
                    self.items.append(None)
                elif name == body_name:
                    self.items.append(self._body(name, blob, template, trees))
                elif name in rendered:
                    prefix = DECLARATION if blob.startswith(DECLARATION) else b""
                    source = patched_source(rendered[name], xml_of(blob))
                    self.items.append(self._compile(name, source, prefix, b"", trees,
                                                    body=False))  # fmt: skip
                else:
                    self.items.append(member(name, blob, STATIC_LEVEL))
        if not core:
            raise Unsupported("no docProps/core.xml in the package")
        self.core = CoreProperties(core)
        self.fields = fields_used(trees, self.names)

    def _body(self, name: str, blob: bytes, template: Any,
              trees: list[jinja2.nodes.Template]) -> Entry | Part:  # fmt: skip
        starts = list(_BODY.finditer(blob))
        end = blob.rfind(b"</w:body>")
        if len(starts) != 1 or end < 0:
            raise Unsupported(f"{name} has not exactly one w:body")
        source = patched_source(DOCXTPL.xml_to_string(template.element.body), body_xml(blob))
        prefix, suffix = blob[: starts[0].start()], blob[end + len(b"</w:body>") :]
        return self._compile(name, source, prefix, suffix, trees, body=True)

    def _compile(self, name: str, source: str, prefix: bytes, suffix: bytes,
                 trees: list[jinja2.nodes.Template], *, body: bool) -> Entry | Part:  # fmt: skip
        """A part to render per plan, or its bytes when the source holds no Jinja at all
        (compiled once a process: :func:`~.compile_part.compiled_part`)."""
        done = compiled_part(name, source, prefix, suffix, body=body)
        if done.body_rows is not None:
            self.body_rows = done.body_rows
        if done.tree is not None:
            self.names |= done.names
            trees.append(done.tree)
        return done.item

    @staticmethod
    def _bytes(part: Part, context: dict[str, Any]) -> tuple[bytes, bool]:
        """The part's bytes, and whether they are well-formed by construction."""
        return part_bytes(part, context)

    def core_xml(self, properties: dict[str, Any]) -> tuple[bytes, bool]:
        """The core properties part for one plan, and whether it is well-formed by
        construction (see :class:`~.core.CoreProperties`)."""
        try:
            return self.core.fill(properties)
        except ValueError as exc:
            raise Unsupported(str(exc)) from exc

    def core_member(self, properties: dict[str, Any]) -> tuple[Entry, bytes, bool]:
        """The core properties part for one plan as a zip member written from its pieces
        (:meth:`~.core.CoreProperties.stitched`), its bytes (:meth:`core_xml`'s), and
        whether they are well-formed by construction."""
        try:
            pieces, sound = self.core.stitched(properties)
        except ValueError as exc:
            raise Unsupported(str(exc)) from exc
        entry, data = joined_member("docProps/core.xml", pieces)
        return entry, data, sound

    def _member(self, part: Part, context: dict[str, Any]) -> tuple[Entry, bool]:
        """A rendered part as a zip member, and whether it is well-formed by construction
        (vouched for); compressed again only if its bytes differ from the
        previous plan's (a footer that names only the txplan version is the same for all),
        rendered again only if the values it uses differ (by :func:`~.frozen.frozen` form:
        a header or footer, whose values are few; a part whose values differed the last
        :data:`MISSES` times, a header naming the client, is compared again only at two
        plans in :data:`RETRY`)."""
        missed = self.missed.get(part.name, 0)
        try:
            look = not part.body and (missed < MISSES or missed % RETRY < 2)
            values = frozen([context[n] for n in part.names]) if look else None
        except (KeyError, Unfrozen):
            values = None
        last = self.last.get(part.name)
        if values is not None and last is not None and last[0] == values:
            data, entry, sound = last[1:]
            self.missed[part.name] = 0
        else:
            self.missed[part.name] = missed + 1
            pieces = pieces_of(part, context) if part.stitch is not None else None
            if pieces is not None:  # (mostly literal text deflated once: see .stitch)
                entry, data = joined_member(part.name, pieces)
                sound = True
            else:
                data, sound = self._bytes(part, context)
                if part.body:  # tall rows freed before the body is compressed and vouched
                    short = part.measured and not proof.long()  # (no tall row: .budget)
                    data = rows.split_rendered(data, self.body_rows, sound, short)
                same = last is not None and last[1] == data
                entry = last[2] if same else member(part.name, data, LEVEL)  # type: ignore[index]
            self.last[part.name] = (values, data, entry, sound)
        if sound:  # (verify_docx then need not parse or inflate it again)
            vouch(part.name, data, entry.local)
        return entry, sound

    def render(self, context: dict[str, Any], properties: dict[str, Any]) -> bytes:
        """One plan's DOCX bytes (deterministic: fixed order, times and compression level).

        A package whose rendered parts were all well-formed by construction (each vouched
        for) is vouched for whole (:func:`~pipeline.writers.verify.vouch_archive`): the rest
        of it is this template's members, the same bytes every plan."""
        entries = []
        whole = True
        for item in self.items:
            if item is None:
                entry, data, sound = self.core_member(properties)
                if sound:
                    vouch("docProps/core.xml", data, entry.local)
                whole = whole and sound
            elif isinstance(item, Part):
                entry, sound = self._member(item, context)
                whole = whole and sound
            else:
                entry = item
            entries.append(entry)
        package = write_zip(entries)
        if whole:
            vouch_archive(package, self)
        return package


# --- the cache ---------------------------------------------------------------------------------

#: Compiled templates, and the reason for templates the fast path does not support (so a
#: batch pays for finding that out once, not once per plan).
_CACHE: OrderedDict[tuple, Compiled | Unsupported] = OrderedDict()
CACHE_SIZE = 32


#: (template path, id of the agency, DRAFT) -> (the agency, the template file's version,
#: the logo file's version, the sandbox's key, the compiled template) of its last lookup:
#: while none of them changed, the template is the one :data:`_CACHE` gave then.
_LAST: dict[tuple[str, int, bool], tuple[Any, int, tuple | None, tuple, Compiled]] = {}


def clear_cache() -> None:
    """Forget every compiled template and every remembered Unsupported (the next render
    compiles again: tests and benchmarks measure a cold start with it)."""
    _CACHE.clear()
    _LAST.clear()
    clear_parts()


def _file_version(path: Any) -> tuple[int, int] | None:
    """A regular file's modification time and size (what :func:`_digest_file` keys its
    digest by); None for no such file or not a regular file."""
    try:
        stat = os.stat(path)
    except (OSError, TypeError, ValueError):
        return None
    return (stat.st_mtime_ns, stat.st_size) if S_ISREG(stat.st_mode) else None


def compiled_for(template: Path, agency: Any, *, draft: bool) -> Compiled:
    """The compiled template for this template file version, letterhead and DRAFT setting.

    Raises :class:`Unsupported` (remembered) for a template the fast path cannot reproduce.
    Each call looks at the template file and the agency's logo (``os.stat``): the same
    path, modification time, agency object (immutable) and logo version as the last call
    for this path, agency and DRAFT give the same compiled template without reading or
    hashing anything again (every plan of a batch asks for it).
    """
    path = os.fspath(template)
    try:
        version = os.stat(path).st_mtime_ns  # (what load_template reads the file again by)
    except OSError:
        version = None
    logo = getattr(agency, "logo", None)
    logo_version = _file_version(logo) if logo else None
    quick = (path, id(agency), bool(draft))
    last = _LAST.get(quick)
    if (last is not None and last[0] is agency and last[1] == version and version is not None
            and last[2] == logo_version and last[3] == env_key()):  # fmt: skip
        return last[4]
    compiled = _compiled_for(template, agency, bool(draft))
    if version is not None:
        if len(_LAST) >= CACHE_SIZE:
            _LAST.clear()
        _LAST[quick] = (agency, version, logo_version, env_key(), compiled)
    return compiled


def _compiled_for(template: Path, agency: Any, draft: bool) -> Compiled:
    data = load_template(template)  # a missing one is a ConfigError, as on the stock path
    key = (_digest(data), _agency_key(agency), bool(draft), env_key())
    compiled = _CACHE.get(key)
    if compiled is None:
        try:
            compiled = Compiled(data, agency, bool(draft))
        except Unsupported as exc:
            compiled = exc
        _CACHE[key] = compiled
        if len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    if isinstance(compiled, Unsupported):
        raise Unsupported(str(compiled))
    return compiled


__all__ = ["Compiled", "Part", "Unsupported", "clear_cache", "compiled_for"]
