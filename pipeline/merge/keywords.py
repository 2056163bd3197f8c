"""Keyword hits: how many of a bank row's keywords a client's words name where a word starts."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def matcher(keywords: tuple[str, ...]) -> tuple[tuple[str, ...], re.Pattern[str]]:
    """The keywords lower-cased, and a pattern finding them where a word starts."""
    lowered = tuple(k.lower() for k in keywords)
    return lowered, re.compile(r"\b(?:" + "|".join(re.escape(k) for k in lowered) + ")")


@lru_cache(maxsize=16384)  # a pure function: one plan's text meets the same keywords often
def keyword_hits(keywords: tuple[str, ...], text: str) -> int:
    """How many different keywords the text names where a word starts."""
    if not keywords or not text:
        return 0
    lowered, pattern = matcher(keywords)
    for keyword in lowered:  # a quick test: most texts hold none of them
        if keyword in text:
            break
    else:
        return 0
    if not all(lowered):  # an empty keyword matches everywhere: the pattern says how
        return len(set(pattern.findall(text)))
    return _distinct_hits(lowered, text)


def _distinct_hits(lowered: tuple[str, ...], text: str) -> int:
    """``len(set(pattern.findall(text)))`` for the pattern ``\\b(?:k1|k2|...)`` of non-empty
    keywords, found with ``str.find`` (a few times faster than the alternation): the pattern
    matches, left to right and without overlap, at each word start holding a keyword (the
    first keyword, in order, that starts there); a property test compares the two."""
    starts: dict[int, str] = {}
    for keyword in lowered:
        at = text.find(keyword)
        while at >= 0:
            if at not in starts and _word_start(text, at):
                starts[at] = keyword
            at = text.find(keyword, at + 1)
    hits: set[str] = set()
    end = 0
    for at in sorted(starts):
        if at >= end:
            keyword = starts[at]
            hits.add(keyword)
            end = at + len(keyword)
    return len(hits)


def _word_start(text: str, at: int) -> bool:
    """Whether ``\\b`` holds before ``text[at]`` (a word character on one side only)."""
    before = at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")
    here = at < len(text) and (text[at].isalnum() or text[at] == "_")
    return before != here
