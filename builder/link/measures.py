"""Exact measures of candidate pairs, and the rules that make a measured pair a link.

A pair's shingle sets are compared exactly (MinHash only proposed the pair): `shared` shingles, from which
containment (shared / the smaller set) and Jaccard (shared / the union) follow, and `head_shared`, the share of the
smaller text's first shingles found among the larger text's first shingles — 1 when the smaller is the larger's
beginning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
import pyarrow

# The same text: all but a handful of one text's 5-word sequences are the other's, and the other's all but one (a
# dateline on one side costs that side about four; one word changed costs both sides about five).
SAME_TEXT_UNSHARED = 8
SAME_TEXT_UNSHARED_OTHER = 1
# A capture cut short: the smaller text may be one (its page did not reach its end), its sequences are the larger's
# (but for the word it was cut in) and it is the larger's beginning.
CUT_SHORT_UNSHARED = 4
CUT_SHORT_HEAD = 0.8
# Another wording of one item, on the same day: a third of the 5-word sequences shared, about the same length, and
# the same title; short texts (fewer than `SHORT_TEXT` sequences) are KCNA's formulas (greetings, wreaths, works
# posted abroad), where another title word is another item, so theirs must be equal.
VARIANT_CONTAINMENT = 0.3
VARIANT_LENGTH_RATIO = 0.5
VARIANT_TITLE = 0.7
SHORT_TEXT = 150

MEASURES_SCHEMA = pyarrow.schema(
    [
        ("sketch_a", pyarrow.int64()),
        ("sketch_b", pyarrow.int64()),
        ("shared", pyarrow.int32()),
        ("head_shared", pyarrow.float64()),
        ("count_a", pyarrow.int32()),
        ("count_b", pyarrow.int32()),
    ]
)


@dataclass(frozen=True)
class Measure:
    shared: int
    head_shared: float
    count_a: int  # distinct shingles of each text
    count_b: int


def measured(shingles_a: bytes, head_a: bytes, shingles_b: bytes, head_b: bytes) -> Measure:
    """The exact measures of a pair, from each text's distinct shingles (sorted) and first shingles (`sketches`)."""
    a, b = numpy.frombuffer(shingles_a, "<u4"), numpy.frombuffer(shingles_b, "<u4")
    shared = len(numpy.intersect1d(a, b, assume_unique=True))
    smaller, larger = (head_a, head_b) if len(a) <= len(b) else (head_b, head_a)
    smaller_head = numpy.unique(numpy.frombuffer(smaller, "<u4"))
    found = numpy.isin(smaller_head, numpy.frombuffer(larger, "<u4")).sum()
    return Measure(shared, float(found) / len(smaller_head) if len(smaller_head) else 0.0, len(a), len(b))


@dataclass(frozen=True)
class Side:
    """What the rules need of one article of a pair."""

    day: int
    language: str | None
    may_be_cut: bool  # its page did not reach its end (a record of a collection cannot tell)
    title_words: frozenset[str]
    shingles: int


def relation_of(a: Side, b: Side, shared: int, head_shared: float) -> tuple[str, float] | None:
    """(`same_text` or `variant`, containment) when the measured pair is one of them, else None. Texts in two known
    languages are left to the translation pairer."""
    if a.language and b.language and a.language != b.language:
        return None
    smaller, larger = (a, b) if a.shingles <= b.shingles else (b, a)
    unshared_smaller, unshared_larger = smaller.shingles - shared, larger.shingles - shared
    containment = shared / smaller.shingles
    one_text = max(unshared_smaller, unshared_larger) <= SAME_TEXT_UNSHARED and (
        min(unshared_smaller, unshared_larger) <= SAME_TEXT_UNSHARED_OTHER
    )
    cut_short = smaller.may_be_cut and unshared_smaller <= CUT_SHORT_UNSHARED and head_shared >= CUT_SHORT_HEAD
    if one_text or cut_short:
        return "same_text", containment
    title_needed = VARIANT_TITLE if smaller.shingles >= SHORT_TEXT else 1.0
    if (
        a.day == b.day
        and containment >= VARIANT_CONTAINMENT
        and smaller.shingles >= VARIANT_LENGTH_RATIO * larger.shingles
        and title_similarity(a.title_words, b.title_words) >= title_needed
    ):
        return "variant", containment
    return None


def title_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
