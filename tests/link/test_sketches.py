import numpy
import pyarrow

from builder.link.shingles import shingled
from builder.link.sketches import BANDS, FAMILIES, shingle_sets, sketched

WORDS = [f"w{index}" for index in range(400)]


def _sketch(*texts: str):
    return sketched(shingled(pyarrow.array(texts)))


def _family_slice(name: str) -> slice:
    first = 0
    for family in FAMILIES:
        if family.name == name:
            return slice(first, first + family.bands)
        first += family.bands
    raise KeyError(name)


def test_the_same_text_gets_the_same_keys_and_shingle_set():
    text = " ".join(WORDS)
    sketches = _sketch(text, text.upper().replace(" ", "  "))
    assert sketches.band_keys.shape == (2, BANDS)
    assert numpy.array_equal(sketches.band_keys[0], sketches.band_keys[1])
    assert sketches.shingle_counts.tolist() == [396, 396]
    sets = shingle_sets(shingled(pyarrow.array([text, text.upper()])))
    assert sets.shingles[0] == sets.shingles[1] and len(sets.shingles[0]) == 4 * 396
    assert len(sets.heads[0]) == 4 * 25


def test_a_capture_cut_short_shares_its_opening_bands_not_its_text_bands():
    whole, cut = " ".join(WORDS), " ".join(WORDS[:60])
    keys = _sketch(whole, cut).band_keys
    head, text = _family_slice("head"), _family_slice("text")
    assert numpy.array_equal(keys[0, head], keys[1, head])
    assert not (keys[0, text] == keys[1, text]).any()


def test_unrelated_texts_share_no_band_and_bands_never_collide_with_each_other():
    other = " ".join(f"x{index}" for index in range(400))
    keys = _sketch(" ".join(WORDS), other).band_keys
    assert not (keys[0] == keys[1]).any()
    assert len(set(keys[0].tolist())) == BANDS


def test_sketches_are_the_same_on_every_run():
    first = _sketch(" ".join(WORDS)).band_keys
    assert numpy.array_equal(first, _sketch(" ".join(WORDS)).band_keys)
    assert first.dtype == numpy.uint64
