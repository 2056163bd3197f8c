"""Which characters the fast form writer can write, and as which bytes: a field font's as
pypdf's appearance streams write them, WinAnsi (footer, addendum) as reportlab does."""

from __future__ import annotations

from typing import Any

try:
    from pypdf._utils import is_char_rtl
except ImportError:  # pragma: no cover - an older pypdf (the fast path is not used then)

    def is_char_rtl(char: str) -> bool:
        return True


from pipeline.writers.pdfform.pdfbytes import literal_table, raw_table

#: Characters ``str.splitlines`` breaks at (pypdf lays such a value out on several lines).
_LINE_BREAKS = {chr(c) for c in range(0x3000) if len(f"a{chr(c)}b".splitlines()) > 1}


def _cp1252(char: str) -> bytes | None:
    if ord(char) < 32 or char in _LINE_BREAKS:
        return None
    try:
        return char.encode("cp1252")
    except UnicodeEncodeError:
        return None


#: Footer and addendum text (WinAnsi) as literal-string content, ASCII only if encodable.
WINANSI = literal_table(_cp1252)


def font_table(font: Any) -> dict[int, str]:
    """The bytes pypdf's appearance stream writes for each character of a value in ``font``
    (the characters ``font.can_encode`` accepts; a line break or right-to-left character,
    which pypdf lays out otherwise, is left out)."""
    key = (
        getattr(font, "name", ""),
        repr(getattr(font, "encoding", "")),
        repr(getattr(font, "character_map", "")),
    )
    if key not in _TABLES:
        _TABLES[key] = _make_table(font)
    return _TABLES[key]


_TABLES: dict[tuple[str, str, str], dict[int, str]] = {}


def _make_table(font: Any) -> dict[int, str]:
    reverse_cmap, encoding_cmap = font._get_typographic_maps()
    if font.character_map:  # what Font.can_encode accepts, as one set
        supported = set(font.character_map.values())
    elif isinstance(font.encoding, dict):
        supported = set(font.encoding.values())
    else:
        supported = set()

    def encode(char: str) -> bytes | None:
        if char not in supported or char in _LINE_BREAKS or is_char_rtl(char):
            return None
        glyph = reverse_cmap.get(char, char)
        if len(glyph) != 1:
            return None
        return encoding_cmap.get(glyph, bytes((ord(glyph),)) if ord(glyph) < 256 else b"?")

    return raw_table(encode)


_ESCAPED = str.maketrans({"\\": "\\\\", "(": "\\(", ")": "\\)"})


def spell(text: str, table: dict[int, str], plain_ascii: bool) -> str:
    """``text`` translated by ``table``; printable ASCII only escaped where ``plain_ascii``
    says the table leaves it as is (the same result, much faster)."""
    if plain_ascii and text.isascii() and text.isprintable():
        return text.translate(_ESCAPED) if "\\" in text or "(" in text or ")" in text else text
    return text.translate(table)


def keeps_ascii(table: dict[int, str]) -> bool:
    """Whether ``table`` spells every printable ASCII character as itself (escaped)."""
    return all(table.get(c) == chr(c).translate(_ESCAPED) for c in range(32, 127))
