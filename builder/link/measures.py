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

SAME_TEXT_JACCARD = 0.75  # beyond furniture, datelines, end marks and quotes, the two texts are one
CUT_SHORT_CONTAINMENT = 0.9  # the smaller text lies within the larger…
CUT_SHORT_HEAD = 0.8  # …and is its beginning: a capture cut short
VARIANT_CONTAINMENT = 0.3  # another wording still shares a third of its 5-word sequences…
VARIANT_LENGTH_RATIO = 0.5  # …is of about the same length…
VARIANT_TITLE = 0.8  # …and carries (nearly) the same title, on the same day

MEASURES_SCHEMA = pyarrow.schema(
    [
        ("sketch_a", pyarrow.int64()),
        ("sketch_b", pyarrow.int64()),
        ("shared", pyarrow.int32()),
        ("head_shared", pyarrow.float64()),
    ]
)


def measure_chunk(batches: list[pyarrow.RecordBatch]) -> list[pyarrow.Table]:
    """The exact measures of every pair in the batches (run by workers)."""
    return [_measured(batch) for batch in batches]


def _measured(batch: pyarrow.RecordBatch) -> pyarrow.Table:
    shared, head_shared = [], []
    columns = [batch.column(name).to_pylist() for name in ("shingles_a", "shingles_b", "head_a", "head_b")]
    for shingles_a, shingles_b, head_a, head_b in zip(*columns):
        a, b = numpy.frombuffer(shingles_a, "<u4"), numpy.frombuffer(shingles_b, "<u4")
        shared.append(len(numpy.intersect1d(a, b, assume_unique=True)))
        smaller, larger = (head_a, head_b) if len(a) <= len(b) else (head_b, head_a)
        smaller_head = numpy.unique(numpy.frombuffer(smaller, "<u4"))
        found = numpy.isin(smaller_head, numpy.frombuffer(larger, "<u4")).sum()
        head_shared.append(float(found) / len(smaller_head) if len(smaller_head) else 0.0)
    return pyarrow.table(
        [
            batch.column("sketch_a"),
            batch.column("sketch_b"),
            pyarrow.array(shared, pyarrow.int32()),
            pyarrow.array(head_shared, pyarrow.float64()),
        ],
        schema=MEASURES_SCHEMA,
    )


@dataclass(frozen=True)
class Side:
    """What the rules need of one article of a pair."""

    day: int
    language: str | None
    complete: bool
    title_words: frozenset[str]
    shingles: int


def relation_of(a: Side, b: Side, shared: int, head_shared: float) -> tuple[str, float] | None:
    """(`same_text` or `variant`, containment) when the measured pair is one of them, else None. Texts in two known
    languages are left to the translation pairer."""
    if a.language and b.language and a.language != b.language:
        return None
    smaller, larger = (a, b) if a.shingles <= b.shingles else (b, a)
    containment = shared / smaller.shingles
    jaccard = shared / (a.shingles + b.shingles - shared)
    cut_short = containment >= CUT_SHORT_CONTAINMENT and head_shared >= CUT_SHORT_HEAD and not smaller.complete
    if jaccard >= SAME_TEXT_JACCARD or cut_short:
        return "same_text", containment
    if (
        a.day == b.day
        and containment >= VARIANT_CONTAINMENT
        and smaller.shingles >= VARIANT_LENGTH_RATIO * larger.shingles
        and title_similarity(a.title_words, b.title_words) >= VARIANT_TITLE
    ):
        return "variant", containment
    return None


def title_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
