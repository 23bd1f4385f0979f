"""Shingle hashes -> what finding and checking links needs of one article: MinHash band keys (rensa) for finding
candidate pairs, and, for the few articles of a candidate pair, the exact shingle sets for checking it.

Three families of bands, each with the date window in which its collisions count:
- `text`: 16 bands of 4 values of a 64-value MinHash of all shingles; it finds pairs whose shingle sets are much
  alike (Jaccard 0.75 and above, almost surely) within 31 days: the same text through another origin, and
  republications (KCNA re-runs items; collections date a record by the day they saw it, weeks later).
- `head`: 8 bands of 4 values of a 32-value MinHash of the first 25 shingles; it finds a capture cut short beside
  its full version, whose whole sets are not alike but whose openings are, within 3 days.
- `wording`: 32 bands of 2 values of the same 64-value MinHash, on the same day only; it finds another wording of
  one text (Jaccard 0.3 and above, almost surely; 0.2, three times in four), which shares fewer shingles.
MinHash is rensa's (Rust, seeded; its digests are the same on every machine and run).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
import rensa

from builder.link.shingles import Shingled, positions_within

TEXT_PERMUTATIONS = 64
HEAD_PERMUTATIONS = 32
HEAD_SHINGLES = 25
MIN_SHINGLES = 15  # fewer shingles (about twenty words) are too short to tell a republication from a formula
SEED = 20240913


@dataclass(frozen=True)
class Family:
    name: str
    signature: str  # "text" or "head"
    first: int  # the first signature value it uses
    rows_per_band: int
    bands: int
    window_days: int


FAMILIES = (
    Family("text", "text", 0, 4, 16, 31),
    Family("head", "head", 0, 4, 8, 3),
    Family("wording", "text", 0, 2, 32, 0),
)
BANDS = sum(family.bands for family in FAMILIES)
BAND_WINDOWS = numpy.concatenate([numpy.full(family.bands, family.window_days) for family in FAMILIES])
_BAND_MIXERS = [
    numpy.uint64(value) for value in (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xFF51AFD7ED558CCD)
]


@dataclass(frozen=True)
class Sketches:
    """Of a batch of texts: each one's band keys (`BANDS` a text) and how many shingles it has (repeats counted)."""

    band_keys: numpy.ndarray  # uint64, (texts, BANDS)
    shingle_counts: numpy.ndarray  # int32


@dataclass(frozen=True)
class ShingleSets:
    """Of a batch of texts: each one's distinct shingles (sorted) and its first `HEAD_SHINGLES` shingles in text
    order, as little-endian uint32 bytes: what an exact measure of a pair compares."""

    shingles: list[bytes]
    heads: list[bytes]


def sketched(shingled: Shingled) -> Sketches:
    counts = numpy.diff(shingled.offsets).astype(numpy.int64)
    head_hashes, head_offsets = _heads(shingled)
    signatures = {
        "text": _minhash(shingled.hashes, shingled.offsets, TEXT_PERMUTATIONS),
        "head": _minhash(head_hashes, head_offsets, HEAD_PERMUTATIONS),
    }
    keys = numpy.concatenate([_band_keys(signatures[family.signature], family) for family in FAMILIES], axis=1)
    return Sketches(keys, counts.astype(numpy.int32))


def shingle_sets(shingled: Shingled) -> ShingleSets:
    low = shingled.hashes.astype("<u4")
    head_hashes, head_offsets = _heads(shingled)
    head_low = head_hashes.astype("<u4")
    rows = range(len(shingled.offsets) - 1)
    return ShingleSets(
        [numpy.unique(low[int(shingled.offsets[i]) : int(shingled.offsets[i + 1])]).tobytes() for i in rows],
        [head_low[int(head_offsets[i]) : int(head_offsets[i + 1])].tobytes() for i in rows],
    )


def _heads(shingled: Shingled) -> tuple[numpy.ndarray, numpy.ndarray]:
    counts = numpy.minimum(numpy.diff(shingled.offsets).astype(numpy.int64), HEAD_SHINGLES)
    at = numpy.repeat(shingled.offsets[:-1].astype(numpy.int64), counts) + positions_within(counts)
    return shingled.hashes[at], numpy.concatenate([[0], numpy.cumsum(counts)]).astype(numpy.uint64)


def _minhash(hashes: numpy.ndarray, offsets: numpy.ndarray, permutations: int) -> numpy.ndarray:
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(hashes, offsets, permutations, SEED)
    return numpy.array(matrix.to_rows(), dtype=numpy.uint32).reshape(-1, permutations)


def _band_keys(signature: numpy.ndarray, family: Family) -> numpy.ndarray:
    """One 64-bit key a band: its values mixed, and the band's number, so that bands never collide with each other."""
    width = family.rows_per_band * family.bands
    values = signature[:, family.first : family.first + width].astype(numpy.uint64)
    values = values.reshape(len(signature), family.bands, family.rows_per_band)
    keys = numpy.zeros((len(signature), family.bands), dtype=numpy.uint64)
    for row in range(family.rows_per_band):
        keys = (keys ^ values[:, :, row]) * _BAND_MIXERS[row]
        keys ^= keys >> numpy.uint64(29)
    first_band = sum(f.bands for f in FAMILIES[: FAMILIES.index(family)])
    band_numbers = numpy.arange(first_band, first_band + family.bands, dtype=numpy.uint64)
    return keys ^ (band_numbers * _BAND_MIXERS[3])
