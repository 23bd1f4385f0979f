"""The word scans: the C module and its Python twins give the same answers, each checked against what Python's own
`str.split()` and the ordinal expression give. Every test runs on both (the C one skipped where it was not built)."""

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.extract import words

IMPLEMENTATIONS = [
    pytest.param((words.python_word_count, words.python_may_hold_ordinal), id="python"),
    pytest.param(
        (words.word_count, words.may_hold_ordinal),
        id="c",
        marks=pytest.mark.skipif(not words.COMPILED, reason="builder/extract/_words.c was not built (no C compiler)"),
    ),
]


@pytest.fixture(params=IMPLEMENTATIONS)
def word_count(request):
    return request.param[0]


@pytest.fixture(params=IMPLEMENTATIONS)
def may_hold_ordinal(request):
    return request.param[1]


def test_word_count(word_count):
    assert word_count("Pyongyang, March 1 (KCNA) -- The\n\nsecond paragraph.") == 8


WHITESPACE = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())


def test_word_count_counts_every_whitespace_character_as_str_split_does(word_count):
    # One of each of Python's 29 whitespace characters between words, and runs of them at both ends.
    text = "a" + "b".join(WHITESPACE) + "c"
    assert word_count(text) == len(text.split()) == len(WHITESPACE) + 1
    assert word_count(WHITESPACE + "한국\U0001f600 x" + WHITESPACE) == 2
    assert word_count("") == word_count(WHITESPACE) == 0
    # Characters next to whitespace that are not whitespace themselves.
    for lookalike in "\u200b\u180e\ufeff\u2060\x00\x1b":
        assert word_count(f"a{lookalike}b") == 1


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the fixture is one function
@given(text=st.text(alphabet=st.sampled_from(WHITESPACE) | st.characters(), max_size=200))
def test_word_count_is_len_of_str_split(word_count, text):
    # All three string widths CPython stores (1, 2 and 4 bytes a character) come up in the generated texts.
    assert word_count(text) == len(text.split())


def test_word_count_takes_only_str(word_count):
    with pytest.raises(TypeError, match="takes a str"):
        word_count(b"two words")


def test_may_hold_ordinal_finds_what_its_regular_expression_finds(may_hold_ordinal):
    """The C scan the ordinal repair starts with must never miss a text its expression finds (the repair would then
    be skipped); it finds exactly `[0-9] (?:st|nd|rd|th)`, ASCII digits only. Every string of up to four characters
    of the alphabet below, alone and amid text of each string width."""
    alphabet = "09 stndrhx\u0663"
    expression = re.compile("[0-9] (?:st|nd|rd|th)")
    for size in range(5):
        for text in map("".join, itertools.product(alphabet, repeat=size)):
            found = bool(expression.search(text))
            assert may_hold_ordinal(text) == found, text
            for before, after in (("a" * 9, "b"), ("\u2019 ", " \u2019"), ("\U0001f600", "\U0001f600")):
                assert may_hold_ordinal(before + text + after) == found, (before, text)


def test_may_hold_ordinal_at_the_ends_and_with_other_digits(may_hold_ordinal):
    assert may_hold_ordinal("1 st") and may_hold_ordinal("the 80 th") and may_hold_ordinal("’80 nd")
    assert not may_hold_ordinal("1 s") and not may_hold_ordinal(" st") and not may_hold_ordinal("")
    assert not may_hold_ordinal("\u0663 rd") and not may_hold_ordinal("1  st") and not may_hold_ordinal("1\u00a0st")
    with pytest.raises(TypeError):
        may_hold_ordinal(b"1 st")


@given(st.text(alphabet=st.sampled_from("0123456789 stndrh\u0663\u2009\u3000") | st.characters(), max_size=300))
def test_the_c_scans_and_their_python_twins_agree(text):
    if not words.COMPILED:
        pytest.skip("builder/extract/_words.c was not built (no C compiler)")
    assert words.word_count(text) == words.python_word_count(text)
    assert words.may_hold_ordinal(text) == words.python_may_hold_ordinal(text)
