"""Checkbox marks as forms print them (☒ ☐ ✓ [X] [ ]) and the options they tick."""

from __future__ import annotations

import re

CHECKED = ("☒", "☑", "✓", "✔", "✗", "✘", "■", "⊠", "[X]", "[x]", "[✓]", "[✔]", "(X)", "(x)", "X")
UNCHECKED = ("☐", "□", "❏", "[ ]", "[]", "( )")
_TOKEN = re.compile(
    "|".join(re.escape(m) for m in sorted(CHECKED + UNCHECKED, key=len, reverse=True) if m != "X")
)


def is_mark(text: str) -> bool:
    """True when the text is only a checkbox mark, ticked or not."""
    return text.strip() in CHECKED or text.strip() in UNCHECKED


def mark_checked(text: str) -> bool:
    """True when the mark is ticked."""
    return text.strip() in CHECKED


def checked_options(text: str) -> str | None:
    """The options after ticked marks, joined by '; ' ('' when none is ticked).

    None when the text holds no marks at all, so it is an ordinary value.
    """
    found = list(_TOKEN.finditer(text))
    if not found:
        return None
    chosen = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        option = text[match.end() : end].strip(" ,;")
        if mark_checked(match.group()) and option:
            chosen.append(option)
    return "; ".join(chosen)
