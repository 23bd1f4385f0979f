"""Word-level scans of a text: the compiled ones of `_words.c` where the install could build it, else exact Python
twins. Both give the same answers on every text (tests/extract/test_words.py), so output never depends on which ran:
the C module only saves time, and an install without a C compiler still works."""

from __future__ import annotations

import re

_ORDINAL_PLACE = re.compile(r"[0-9] (?:st|nd|rd|th)")


def _check_str(text: object, function: str) -> None:
    if not isinstance(text, str):
        raise TypeError(f"{function}() takes a str, not {type(text).__name__}")


def python_word_count(text: str) -> int:
    """Whitespace-separated words, as `str.split()` splits."""
    _check_str(text, "word_count")
    return len(text.split())


def python_may_hold_ordinal(text: str) -> bool:
    """Whether the text holds an ASCII digit, a space and `st`, `nd`, `rd` or `th`: where a flattened ordinal can be."""
    _check_str(text, "may_hold_ordinal")
    return _ORDINAL_PLACE.search(text) is not None


try:
    from builder.extract._words import may_hold_ordinal, word_count

    COMPILED = True
except ImportError:  # built without a C compiler: the extension is optional (setup.py)
    word_count, may_hold_ordinal = python_word_count, python_may_hold_ordinal
    COMPILED = False

__all__ = ["COMPILED", "may_hold_ordinal", "python_may_hold_ordinal", "python_word_count", "word_count"]
