"""A part proven well-formed by construction gives well-formed XML for every value the
check lets through, and anything the proof cannot vouch for is left to expat."""

from __future__ import annotations

from xml.parsers import expat

import jinja2
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from pipeline.profiles import TEMPLATES, load_agency
from pipeline.writers import sandbox
from pipeline.writers.docx import fast, proof
from pipeline.writers.verify import BrokenDocument, forget_sound, verify_docx, vouch
from tests.writers.docx.clinical import full_clinical


def _env() -> jinja2.Environment:
    env = sandbox.make_env()
    env.escaped = proof.checking(env.escaped)  # type: ignore[attr-defined]
    return env


def _proven(source: str, prefix: bytes = b"", suffix: bytes = b"") -> bool:
    env = _env()
    return proof.proven(env.parse(source), prefix, suffix, jinja2.nodes.EvalContext(env))


def _parses(data: bytes) -> bool:
    try:
        expat.ParserCreate().Parse(data, True)
    except expat.ExpatError:
        return False
    return True


@pytest.mark.parametrize("source", [
    "<r><a>{{ v }}</a></r>",
    '<r><a x="{{ v }}">t</a></r>',
    "<r>{% for i in items %}<a>{{ i }}</a>{% endfor %}</r>",
    "<r>{% if c %}<a/>{% elif v %}<b>{{ v }}</b>{% else %}{% endif %}</r>",
    "<r>{% for i in items %}{% if c %}<a>{{ v }}{{ w }}</a>{% endif %}{% else %}<e/>"
    "{% endfor %}</r>",
])  # fmt: skip
def test_balanced_templates_with_values_in_text_or_attributes_are_proven(source: str) -> None:
    assert _proven(source)


@pytest.mark.parametrize("source", [
    "<r><a{{ v }}>t</a></r>",  # in a tag
    "<r><{{ v }}/></r>",  # a name
    '<r><a {{ v }}="1"/></r>',  # an attribute name
    "<r>&{{ v }};</r>",  # a reference
    "<r><!-- {{ v }} --></r>",  # a comment: -- would break it
    "<r><![CDATA[{{ v }}]]></r>",
    "<r><?pi {{ v }}?></r>",
    "<r>{{ v }}></r>",  # ]]> if the value ends with ]]
    "<r>]]{{ v }}></r>",  # ]]> if the value is empty
    "<r>]]{% if c %}>{% endif %}</r>",
    "<r>{% if c %}]]{% endif %}></r>",
    "<r>{% if c %}<a>{% endif %}</a></r>",  # a block that opens what it does not close
    "<r>{% if c %}<a>{% else %}<b/>{% endif %}</r>",
    '<r><a {% if c %}x="1"{% endif %}/></r>',  # a block in a tag
    '<r><a x="{% if c %}1{% endif %}"/></r>',  # a block in an attribute value
    "{% if c %}<r/>{% endif %}",  # a block outside the root (no root, or two)
    "<r/>{% for i in items %}<a/>{% endfor %}",
    "<r>{{ 'constant' }}</r>",  # folded while compiling
    "<r>{% set x = v %}{{ x }}</r>",
    "<r>{% autoescape false %}{{ v }}{% endautoescape %}</r>",
    "<r>{% macro m() %}<a/>{% endmacro %}</r>",
    "<r>{% for i in items recursive %}<a/>{% endfor %}</r>",
    "<r><a>{{ v }}</a>",  # ill-formed literal text
])  # fmt: skip
def test_what_cannot_be_proven_is_not(source: str) -> None:
    assert not _proven(source)


def test_the_fixed_bytes_around_a_part_are_part_of_the_proof() -> None:
    assert _proven("<b>{{ v }}</b>", b"<?xml version='1.0'?>\n<d>", b"</d>")
    assert _proven("{% if c %}<b/>{% endif %}", b"<d>", b"</d>")
    assert not _proven("{% if c %}<b/>{% endif %}", b"<d/>", b"")  # outside the root
    assert not _proven("<b>{{ v }}</b>", b"<d>", b"")


@pytest.mark.parametrize("value", [
    "\x01", "a\x0bb", "\ufffe", "\uffff", Markup("<b>"), Markup("a & b"),
])  # fmt: skip
def test_a_value_xml_cannot_hold_or_markup_printed_as_it_is_is_suspect(value: object) -> None:
    template = _env().from_string("<r>{{ v }}</r>")
    proof.reset()
    template.render(v=value)
    assert proof.suspect()


@pytest.mark.parametrize(
    "value", ["", "plain", "“quoted” & <tagged> ]]>", "tab\tnew\nline", 7, None]
)
def test_plain_values_are_not_suspect(value: object) -> None:
    template = _env().from_string("<r>{{ v }}</r>")
    proof.reset()
    template.render(v=value)
    assert not proof.suspect()


# --- the property: proven + no suspect value => expat parses every rendering -------------------

_LITERALS = ["<a>", "</a>", "<b/>", "t", "]]", ">", "]", "&amp;", "&", '<c x="', '">', "'",
             '"', "<!--", "-->", "<?p?>", " ", "<d y='1'>", "</d>", "<", "=", "x"]  # fmt: skip
_VALUES = st.one_of(
    st.sampled_from(["", "]", "]]", "x", "-", "&", "<", "\x01"]),
    st.text(alphabet=st.sampled_from(list("ab]>&<\"'-;\x01\ufffe \t\n")), max_size=6),
    st.builds(Markup, st.sampled_from(["<a>", "x", "]]", "&"])),
    st.none(),
    st.integers(-5, 5),
)


_IF = "{{% if c %}}{}{{% else %}}{}{{% endif %}}"
_ELIF = "{{% if d %}}{}{{% elif c %}}{}{{% endif %}}"
_FOR = "{{% for i in items %}}{}{{% endfor %}}"


def _tree(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(st.sampled_from(_LITERALS), st.sampled_from(["{{ v }}", "{{ w }}"]))
    if depth == 0:
        return leaf
    inner = st.lists(_tree(depth - 1), max_size=4).map("".join)
    block = st.one_of(
        st.tuples(inner, inner).map(lambda p: _IF.format(*p)),
        st.tuples(inner, inner).map(lambda p: _ELIF.format(*p)),
        inner.map(_FOR.format),
    )
    return st.one_of(leaf, block)


_SOURCES = st.lists(_tree(2), max_size=6).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=_SOURCES,
    wrapped=st.booleans(),
    v=_VALUES,
    w=_VALUES,
    c=st.booleans(),
    d=st.booleans(),
    items=st.integers(0, 3),
)
@example(body="<a>{{ v }}</a>", wrapped=True, v="]]", w="", c=True, d=False, items=1)
@example(body="]]{% if c %}>{% endif %}", wrapped=True, v="", w="", c=True, d=False, items=0)
def test_every_rendering_of_a_proven_part_parses(body: str, wrapped: bool, v: object, w: object,
                                                 c: bool, d: bool, items: int) -> None:  # fmt: skip
    source = f"<r>{body}</r>" if wrapped else body
    env = _env()
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError:
        return
    if not proof.proven(tree, b"<?xml version='1.0'?>\n", b"", jinja2.nodes.EvalContext(env)):
        return
    proof.reset()
    out = env.from_string(source).render(v=v, w=w, c=c, d=d, items=list(range(items)))
    if not proof.suspect():
        assert _parses(b"<?xml version='1.0'?>\n" + out.encode("utf-8")), (source, out)


# --- verify_docx: what a renderer vouches for ----------------------------------------------------


def _docx(body: bytes) -> bytes:
    from pipeline.writers.fixed_zip import member, write_zip

    types = b'<?xml version="1.0"?><Types/>'
    return write_zip([member("[Content_Types].xml", types), member("word/document.xml", body)])


def test_verify_parses_what_was_vouched_for_once_then_trusts_the_same_bytes_only() -> None:
    forget_sound()
    bad = b"<w:document><w:body></w:document>"  # as if a proof were wrong
    vouch("word/document.xml", bad)
    with pytest.raises(BrokenDocument, match="not well-formed"):
        verify_docx(_docx(bad))  # the first part vouched for is parsed all the same
    forget_sound()
    good = b"<w:document><w:body/></w:document>"
    vouch("word/document.xml", good)
    verify_docx(_docx(good))
    other = b"<w:document><w:bodyy></w:document>"  # same size, other bytes: parsed
    assert len(other) == len(good)
    vouch("word/document.xml", good)
    with pytest.raises(BrokenDocument, match="not well-formed"):
        verify_docx(_docx(other))


def test_a_vouched_part_whose_member_is_damaged_is_still_caught() -> None:
    forget_sound()
    good = b"<w:document><w:body>" + b"<w:p/>" * 200 + b"</w:body></w:document>"
    data = bytearray(_docx(good))
    for _ in range(2):
        vouch("word/document.xml", good)
    verify_docx(bytes(data))
    vouch("word/document.xml", good)
    at = bytes(data).find(b"word/document.xml") + len("word/document.xml") + 5
    data[at] ^= 0x55
    with pytest.raises(BrokenDocument, match="not a sound zip"):
        verify_docx(bytes(data))


def test_the_repository_templates_are_proven() -> None:
    """Every part rendered per plan of the repository's templates is proven (else the batch
    parses it: correct, only slower)."""
    agency = load_agency("riverside")
    templates = sorted(TEMPLATES.rglob("template.docx"))
    assert len(templates) >= 5
    for template in templates:
        compiled = fast.Compiled(template.read_bytes(), agency, True)
        parts = [i for i in compiled.items if isinstance(i, fast.Part)]
        assert parts and all(p.proven for p in parts), template


@pytest.mark.parametrize("name", [Markup("<w:p>"), "Dev\x01Ito", "Dev\uffffIto"])
def test_a_rendering_with_a_suspect_value_is_parsed_and_refused(name: str) -> None:
    """Ill-formed XML out of a proven template (a value that is markup, or a character XML
    forbids, reaching the context past clean_plan) is refused: nothing vouches for it."""
    compiled, context, properties = full_clinical()
    forget_sound()
    for _ in range(2):  # (the first part vouched for is parsed anyway)
        verify_docx(compiled.render(context, properties))
    context["client"] = {**context["client"], "name": name}
    with pytest.raises(BrokenDocument, match="is not well-formed"):
        verify_docx(compiled.render(context, properties))


def test_the_core_properties_are_proven_and_a_value_xml_forbids_is_refused() -> None:
    assert proof.proven_pieces(["<?xml version='1.0'?>\n<p><t>", "V", "</t><u>", "W", "</u></p>"])
    assert not proof.proven_pieces(["<p><t ", "V", "/></p>"])  # in a tag
    assert not proof.proven_pieces(["<p><!-- ", "V", " --></p>"])
    assert not proof.proven_pieces(["<p>]]", "V", "></p>"])
    compiled, context, properties = full_clinical()
    assert compiled.core.proven
    assert compiled.core_xml(properties)[1]
    forget_sound()
    for _ in range(2):
        verify_docx(compiled.render(context, properties))
    braced = {**properties, "title": "{0} {{x}} }{", "author": "A & <B>", "subject": "{}"}
    data, sound = compiled.core_xml(braced)  # (filled through one format: braces as given)
    assert sound and b"<dc:title>{0} {{x}} }{</dc:title>" in data
    assert b"<dc:creator>A &amp; &lt;B&gt;</dc:creator>" in data and b">{}</" in data
    odd = {**properties, "title": "Plan \uffff"}
    assert not compiled.core_xml(odd)[1]
    with pytest.raises(BrokenDocument, match="docProps/core.xml is not well-formed"):
        verify_docx(compiled.render(context, odd))


def test_a_vouched_part_with_a_wrong_crc_is_still_caught() -> None:
    """Local header and central directory agree on a CRC-32 that is not the part's: the part
    is vouched for, and still refused (it is inflated and CRC-checked like any other)."""
    import struct
    import zlib

    forget_sound()
    good = b"<w:document><w:body>" + b"<w:p/>" * 50 + b"</w:body></w:document>"
    data = bytearray(_docx(good))
    for _ in range(2):
        vouch("word/document.xml", good)
        verify_docx(bytes(data))
    wrong = struct.pack("<L", zlib.crc32(good) ^ 0x1)
    local = bytes(data).find(b"PK\x03\x04")
    while data[local + 30 : local + 47] != b"word/document.xml":
        local = bytes(data).find(b"PK\x03\x04", local + 4)
    central = bytes(data).find(b"PK\x01\x02")
    while data[central + 46 : central + 63] != b"word/document.xml":
        central = bytes(data).find(b"PK\x01\x02", central + 4)
    data[local + 14 : local + 18] = wrong
    data[central + 16 : central + 20] = wrong
    vouch("word/document.xml", good)
    with pytest.raises(BrokenDocument, match="bad CRC-32 for word/document.xml"):
        verify_docx(bytes(data))
