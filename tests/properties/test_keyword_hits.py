"""Keyword hits found with str.find count what the word-start alternation pattern finds."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.goalbank.bank import load_bank
from pipeline.merge.keywords import keyword_hits, matcher

#: few letters, so keywords overlap, nest and repeat in the texts; word and non-word marks
ALPHABET = "abé _-'1.\n"
KEYWORDS = st.lists(st.text(ALPHABET, min_size=0, max_size=4), min_size=1, max_size=5)


def _by_pattern(keywords: tuple[str, ...], text: str) -> int:
    _, pattern = matcher(keywords)
    return len(set(pattern.findall(text)))


@settings(max_examples=400, deadline=None)
@given(KEYWORDS, st.text(ALPHABET, max_size=40))
@example(["a", "ab"], "ab a")  # the first keyword that starts at a word start is the match
@example(["ab", "b"], "ab b")  # no match inside a word or inside the previous match
@example(["a-", "-b"], "a-b -b")  # keywords that start or end with a non-word character
def test_hits_are_the_patterns(keywords: list[str], text: str) -> None:
    keyword_hits.cache_clear()
    assert keyword_hits(tuple(keywords), text) == _by_pattern(tuple(keywords), text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("ab ", min_size=1, max_size=3), min_size=1, max_size=4),
       st.text("ab ", max_size=24))  # fmt: skip
def test_hits_on_overlapping_keywords(keywords: list[str], text: str) -> None:
    keyword_hits.cache_clear()
    assert keyword_hits(tuple(keywords), text) == _by_pattern(tuple(keywords), text)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_bank_keywords_on_their_own_words(data: st.DataObject) -> None:
    bank = load_bank()
    lists = sorted({p.keywords for p in bank.problems.values() if p.keywords})
    keywords = data.draw(st.sampled_from(lists))
    words = data.draw(st.lists(st.sampled_from([*keywords, "not", "sleeping", "-", " "])))
    text = " ".join(words).lower()
    keyword_hits.cache_clear()
    assert keyword_hits(keywords, text) == _by_pattern(keywords, text)
