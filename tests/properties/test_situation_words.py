"""The situation's word patterns, searched only in texts holding one of their fragments, find
exactly what the patterns alone find."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.merge.situation import WORDS

#: texts near the patterns' words: their letters, spaces, a hyphen, a digit
NEAR = st.text(alphabet="abcdefghijklmnopqrstuvwxyz -1", max_size=60)


@pytest.mark.parametrize("words", WORDS, ids=lambda w: w.pattern.pattern[6:30])
def test_a_match_of_the_pattern_is_found(words) -> None:
    @settings(max_examples=300, deadline=None)
    @given(st.from_regex(words.pattern))
    def check(text: str) -> None:
        found, expected = words.search(text), words.pattern.search(text)
        assert expected is not None and found is not None
        assert found.span() == expected.span()

    check()


@pytest.mark.parametrize("words", WORDS, ids=lambda w: w.pattern.pattern[6:30])
def test_any_text_is_searched_as_the_pattern_does(words) -> None:
    @settings(max_examples=300, deadline=None)
    @given(st.one_of(NEAR, st.text(max_size=40)))
    def check(text: str) -> None:
        found, expected = words.search(text), words.pattern.search(text)
        assert (found and found.span()) == (expected and expected.span())

    check()
