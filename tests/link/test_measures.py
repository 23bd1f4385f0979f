import pyarrow
import pytest

from builder.link.measures import Measure, Side, measured, relation_of
from builder.link.shingles import shingled
from builder.link.sketches import shingle_sets

TITLE = frozenset({"press", "statement", "by", "spokesperson"})


def _side(shingles: int, *, day=100, language="en", may_be_cut=False, title=TITLE) -> Side:
    return Side(day, language, may_be_cut, title, shingles)


@pytest.mark.parametrize(
    ("a", "b", "shared", "head", "expected"),
    [
        (_side(300), _side(304), 300, 1.0, "same_text"),  # a dateline on one side only
        (_side(300), _side(300), 295, 1.0, "variant"),  # one word changed on both sides: an edit of that day
        (_side(300, day=101), _side(300), 295, 1.0, None),  # …and on another day, nothing
        (_side(300), _side(300), 200, 0.9, "variant"),  # reworded, same day, same title
        (_side(300), _side(300, day=101), 200, 0.9, None),  # reworded but another day
        (_side(300), _side(300, title=frozenset({"greetings"})), 200, 0.9, None),
        (_side(100), _side(100, title=TITLE | {"from"}), 60, 0.9, None),  # a short formula: titles must be equal
        (_side(100), _side(100), 60, 0.9, "variant"),
        (_side(300), _side(1000), 90, 0.5, None),  # short beside long: not the same length
        (_side(120, may_be_cut=True), _side(1000), 118, 1.0, "same_text"),  # a capture cut short
        (_side(120), _side(1000), 118, 1.0, None),  # a record that cannot tell whether it was cut: a flash
        (_side(120, may_be_cut=True), _side(1000), 118, 0.3, None),  # not the beginning of the other
        (_side(300, language="ko"), _side(300), 300, 1.0, None),  # two languages: the translation pairer's
        (_side(300, language=None), _side(300), 300, 1.0, "same_text"),
    ],
)
def test_relation_rules(a, b, shared, head, expected):
    found = relation_of(a, b, shared, head)
    assert (found[0] if found else None) == expected
    if found:
        assert found[1] == pytest.approx(shared / min(a.shingles, b.shingles))


def test_exact_measures_of_a_pair():
    words = [f"w{index}" for index in range(200)]
    texts = pyarrow.array([" ".join(words), " ".join(words[:80]), " ".join(words[100:])])
    sets = shingle_sets(shingled(texts))
    whole, cut, end = ((sets.shingles[i], sets.heads[i]) for i in range(3))
    assert measured(*whole, *cut) == Measure(shared=76, head_shared=1.0, count_a=196, count_b=76)
    assert measured(*whole, *end) == Measure(shared=96, head_shared=0.0, count_a=196, count_b=96)
    assert measured(*cut, *whole).head_shared == 1.0  # the smaller text's opening, whichever side it is on
