"""Shingle hashes -> what finding and checking links needs of one article: MinHash band keys (rensa) for finding
candidate pairs, and the exact shingle sets for checking them.

Three families of bands, each with the date window in which its collisions count:
- `text`: 32 bands of 4 values of a 128-value MinHash of all shingles; it finds pairs whose shingle sets are alike
  (Jaccard about 0.5 and above) within 31 days: the same text through another origin, and republications (KCNA
  re-runs items, and collections date a record by the day they saw it, weeks later).
- `head`: 16 bands of 4 values of a 64-value MinHash of the first 25 shingles; it finds a capture cut short beside
  its full version, whose whole sets are not alike but whose openings are.
- `wording`: 32 bands of 2 values of the first 64 values of the `text` MinHash, on the same day only; it finds
  another wording of one text (Jaccard about 0.2 and above), which shares fewer shingles.
MinHash is rensa's (Rust, seeded; its digests are the same on every machine and run).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
import rensa

from builder.link.shingles import Shingled, positions_within

TEXT_PERMUTATIONS = 128
HEAD_PERMUTATIONS = 64
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
    Family("text", "text", 0, 4, 32, 31),
    Family("head", "head", 0, 4, 16, 3),
    Family("wording", "text", 0, 2, 32, 0),
)
BANDS = sum(family.bands for family in FAMILIES)
BAND_WINDOWS = numpy.concatenate([numpy.full(family.bands, family.window_days) for family in FAMILIES])
_BAND_MIXERS = [
    numpy.uint64(value) for value in (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xFF51AFD7ED558CCD)
]


@dataclass(frozen=True)
class Sketches:
    """Of a batch of texts: each one's distinct shingles (sorted, as little-endian uint32 bytes), its first
    `HEAD_SHINGLES` shingles in text order (likewise), and its band keys (`BANDS` a text)."""

    shingles: list[bytes]
    heads: list[bytes]
    band_keys: numpy.ndarray  # uint64, (texts, BANDS)

    def shingle_counts(self) -> numpy.ndarray:
        return numpy.array([len(shingles) // 4 for shingles in self.shingles], dtype=numpy.int32)


def sketched(shingled: Shingled) -> Sketches:
    counts = numpy.diff(shingled.offsets).astype(numpy.int64)
    head_counts = numpy.minimum(counts, HEAD_SHINGLES)
    head_at = numpy.repeat(shingled.offsets[:-1].astype(numpy.int64), head_counts) + positions_within(head_counts)
    head_hashes = shingled.hashes[head_at]
    head_offsets = numpy.concatenate([[0], numpy.cumsum(head_counts)]).astype(numpy.uint64)
    signatures = {
        "text": _minhash(shingled.hashes, shingled.offsets, TEXT_PERMUTATIONS),
        "head": _minhash(head_hashes, head_offsets, HEAD_PERMUTATIONS),
    }
    keys = numpy.concatenate([_band_keys(signatures[family.signature], family) for family in FAMILIES], axis=1)
    low = shingled.hashes.astype(numpy.uint32)
    heads = low[head_at]
    shingles = [
        numpy.unique(low[int(shingled.offsets[i]) : int(shingled.offsets[i + 1])]).astype("<u4").tobytes()
        for i in range(len(counts))
    ]
    head_bytes = [
        heads[int(head_offsets[i]) : int(head_offsets[i + 1])].astype("<u4").tobytes() for i in range(len(counts))
    ]
    return Sketches(shingles, head_bytes, keys)


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
