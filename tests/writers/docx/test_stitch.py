"""A part deflated from its pieces (long literal text deflated once, values stored) holds the
bytes of the part rendered as a whole, whatever the values; the stream is one zip member
any reader inflates; anything the pieces cannot give exactly is rendered as before."""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from pipeline.model import Plan
from pipeline.profiles import list_payers, load_agency, load_payer
from pipeline.writers.context import build_context
from pipeline.writers.docx import fast, stitch
from pipeline.writers.docx.parts import MARKERS, Part, part_bytes
from pipeline.writers.fixed_zip import Entry, Packed, joined_member, member, pack_once, write_zip
from pipeline.writers.verify import forget_sound, verify_docx
from tests.support import DATA
from tests.writers.docx.clinical import full_clinical

ODD = [
    "plain",
    "",
    "“quoted” · ≤ 5 ünïcödé 𝄞",
    "Ann &amp; Bo <b> ]]> &#x201C;",
    "two\nlines",  # docxtpl's way: not stitched
    Markup("<w:t>x</w:t>"),  # printed as it is: suspect, not stitched
    "\x01",
    MARKERS[:3],
    "<wp:docPr> as text",
    "x" * 5000,  # mostly values: deflated as a whole
]


def _inflated(entry: Entry) -> bytes:
    """The member read back by ``zipfile`` from an archive of it alone (CRC checked)."""
    with zipfile.ZipFile(io.BytesIO(write_zip([entry]))) as package:
        assert package.testzip() is None
        data = package.read(package.namelist()[0])
    assert zlib.decompress(entry.local[30 + len(entry.name) :], -15) == data  # (a last block)
    return data


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=700), st.binary(max_size=3000).map(pack_once)),
                max_size=12))  # fmt: skip
def test_pieces_joined_are_one_stream_any_reader_inflates(pieces: list) -> None:
    entry, data = joined_member("word/header1.xml", pieces)
    expected = b"".join(p.raw if type(p) is Packed else p for p in pieces)
    assert data == expected
    assert _inflated(entry) == expected
    packed = entry.local[30 + len(b"word/header1.xml") :]
    assert zlib.decompress(packed, -15) == expected


def test_a_long_stored_run_is_split_in_blocks_of_at_most_65535() -> None:
    data = bytes(range(256)) * 600  # 153,600 bytes between two packed pieces
    entry, joined = joined_member("a.xml", [pack_once(b"<a>" * 300), data, pack_once(b"</a>")])
    assert zlib.decompress(entry.local[30 + 5 :], -15) == joined == b"<a>" * 300 + data + b"</a>"


def _docx_payers() -> list[str]:
    return [p for p in list_payers() if str(load_payer(p).template).endswith(".docx")]


@pytest.mark.parametrize("payer_id", _docx_payers())
@pytest.mark.parametrize("draft", [False, True])
def test_stitched_parts_hold_the_bytes_of_the_part_rendered_whole(payer_id: str,
                                                                  draft: bool) -> None:  # fmt: skip
    payer, agency = load_payer(payer_id), load_agency("riverside")
    plan = Plan.model_validate(json.loads((DATA / "render" / "full.json").read_text("utf-8")))
    compiled = fast.compiled_for(Path(payer.template), agency, draft=draft)
    context = build_context(plan, payer, agency, draft=draft, names=compiled.names,
                            fields=compiled.fields)  # fmt: skip
    stitched = [i for i in compiled.items if isinstance(i, Part) and i.stitch is not None]
    assert stitched and not any(p.body for p in stitched)  # headers and footers
    taken = 0
    for value in ODD:
        client = {**context["client"], "name": value, "id": value}
        one = {**context, "client": client}
        if isinstance(context.get("generated_from"), dict):  # (the footer's values)
            one["generated_from"] = {k: value for k in context["generated_from"]}
        for part in stitched:
            pieces = stitch.pieces_of(part, one)
            whole, sound = part_bytes(part, one)
            if pieces is None:
                continue
            taken += 1
            entry, data = joined_member(part.name, pieces)
            assert data == whole and sound, (part.name, value)
            assert _inflated(entry) == whole
            plain = member(part.name, whole, "libdeflate-1")
            assert len(entry.local) <= len(plain.local) + 400  # (values stored, not deflated)
    assert taken >= 2 * len(stitched)


def test_what_pieces_cannot_give_exactly_is_rendered_whole() -> None:
    compiled, context, _ = full_clinical()
    header = next(i for i in compiled.items if isinstance(i, Part) and i.name.startswith(
        "word/header"))  # fmt: skip
    assert stitch.pieces_of(header, context) is not None
    for value in ("two\nlines", Markup("<w:t>x</w:t>"), "\x01", MARKERS[0], "x" * 5000):
        one = {**context, "client": {**context["client"], "name": value}}
        assert stitch.pieces_of(header, one) is None, value


def test_documents_with_stitched_parts_verify_and_are_deterministic() -> None:
    compiled, context, properties = full_clinical()
    forget_sound()
    first = compiled.render(context, properties)
    for value in ODD:
        if not value.isprintable() and "\n" not in value:
            continue  # (a control character: the body is refused, as it should be)
        one = {**context, "client": {**context["client"], "name": value}}
        try:
            data = compiled.render(one, properties)
        except fast.Unsupported:
            continue
        verify_docx(data)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            assert package.testzip() is None
    fast.clear_cache()
    again, _, _ = full_clinical()
    assert again.render(context, properties) == first
