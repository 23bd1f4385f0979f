"""Article bodies -> word 5-gram shingle hashes, in bulk.

Words are runs of letters and digits after NFKC, lower case and dropping quotes and apostrophes, so that the same
text through another origin (curly or straight quotes, other spacing, other line breaks) gives the same words. The
work is done by Arrow kernels and NumPy on a whole batch at once: no Python runs per word.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
import pyarrow
import pyarrow.compute as pc
import rensa

SHINGLE_WORDS = 5
# Everything that is not a letter or a digit in the texts' scripts, spelled as ranges: RE2's Unicode classes
# (`\p{L}`) cost more than twice as much. After NFKC, fullwidth forms are ASCII and odd spaces are spaces.
NOT_WORD = (
    r"[\x00-/:-@\[-`{-\x7f\x{80}-\x{bf}\x{d7}\x{f7}\x{2000}-\x{206f}\x{2190}-\x{2bff}\x{3000}-\x{303f}"
    r"\x{fe30}-\x{fe4f}\x{ff5b}-\x{ff65}]+"
)
# Odd 64-bit multipliers, one a word position in a shingle: a shingle's hash depends on its words' order.
_MIXERS = [
    numpy.uint64(value)
    for value in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD)
]


@dataclass(frozen=True)
class Shingled:
    """The shingle hashes of a batch of texts: text `i`'s are `hashes[offsets[i]:offsets[i + 1]]`, in text order
    (repeats kept); a text of fewer than five words has one shingle, all its words; an empty text none."""

    hashes: numpy.ndarray  # uint64
    offsets: numpy.ndarray  # uint64, len(texts) + 1

    def of(self, index: int) -> numpy.ndarray:
        return self.hashes[int(self.offsets[index]) : int(self.offsets[index + 1])]


def words_of(texts: pyarrow.Array) -> pyarrow.ListArray:
    """Each text's words as compared across origins (a text of no words gives `[""]`, which `word_hashes` drops).
    NFKC (fullwidth digits, ligatures) runs only on texts that are not ASCII once their punctuation is gone: it costs
    as much as the rest, and English texts seldom need it."""
    if isinstance(texts, pyarrow.ChunkedArray):
        texts = texts.combine_chunks()
    folded = pc.replace_substring_regex(pc.utf8_lower(texts), NOT_WORD, " ")
    others = pc.invert(pc.string_is_ascii(folded))
    if pc.any(others).as_py():
        normalized = pc.utf8_lower(pc.utf8_normalize(folded.filter(others), "NFKC"))
        folded = pc.replace_with_mask(folded, others, pc.replace_substring_regex(normalized, NOT_WORD, " "))
    return pc.ascii_split_whitespace(pc.ascii_trim_whitespace(folded))


def word_hashes(words: pyarrow.ListArray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """A 64-bit hash of every word (rensa's token hash, stable across processes and runs) and the texts' offsets."""
    flat = pc.list_flatten(words)
    encoded = pc.dictionary_encode(flat)
    vocabulary = encoded.dictionary.to_pylist()
    vocabulary_hashes = numpy.array(rensa.RMinHash.hash_token_sets([vocabulary])[0], dtype=numpy.uint64)
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    kept = pc.not_equal(flat, "").to_numpy(zero_copy_only=False)
    offsets = numpy.asarray(words.offsets, dtype=numpy.int64)
    kept_before = numpy.concatenate([[0], numpy.cumsum(kept)])
    return vocabulary_hashes[indices[kept]], kept_before[offsets - offsets[0]]


def shingled(texts: pyarrow.Array) -> Shingled:
    """Word 5-gram hashes of every text: a rolling combination over the batch's words, kept where a shingle lies
    within one text; texts of fewer than five words hash their words alone."""
    hashes, offsets = word_hashes(words_of(texts))
    counts = numpy.diff(offsets)
    shingle_counts = numpy.where(counts >= SHINGLE_WORDS, counts - SHINGLE_WORDS + 1, numpy.minimum(counts, 1))
    starts = numpy.repeat(offsets[:-1], shingle_counts) + positions_within(shingle_counts)
    rolled = _rolled(hashes, SHINGLE_WORDS)[starts]
    short = numpy.flatnonzero((counts > 0) & (counts < SHINGLE_WORDS))
    if len(short):
        at = numpy.concatenate([[0], numpy.cumsum(shingle_counts)])[short]
        rolled[at] = [_rolled(hashes[offsets[i] : offsets[i + 1]], int(counts[i]))[0] for i in short]
    return Shingled(rolled, numpy.concatenate([[0], numpy.cumsum(shingle_counts)]).astype(numpy.uint64))


def _rolled(hashes: numpy.ndarray, width: int) -> numpy.ndarray:
    """For every position, a hash of the `width` words from it (past the end, of those there are)."""
    padded = numpy.concatenate([hashes, numpy.zeros(width, dtype=numpy.uint64)])
    mixed = numpy.zeros(len(hashes), dtype=numpy.uint64)
    for position in range(width):
        mixed ^= padded[position : position + len(hashes)] * _MIXERS[position]
        mixed = (mixed << numpy.uint64(13)) | (mixed >> numpy.uint64(51))
    return mixed


def positions_within(counts: numpy.ndarray) -> numpy.ndarray:
    """0, 1, …, count - 1 for every count, concatenated."""
    total = int(counts.sum())
    if not total:
        return numpy.zeros(0, dtype=numpy.int64)
    ends = numpy.cumsum(counts)
    return numpy.arange(total, dtype=numpy.int64) - numpy.repeat(ends - counts, counts)
