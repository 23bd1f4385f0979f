import numpy
import pyarrow

from builder.link.shingles import shingled, words_of


def _shingles(*texts: str) -> list[numpy.ndarray]:
    result = shingled(pyarrow.array(texts))
    return [result.of(index) for index in range(len(texts))]


def test_words_ignore_quotes_case_spacing_and_line_breaks():
    curly = "The DPRK’s “strategic”\u00a0axis,\nPyongyang — September 13 (KCNA)"
    straight = 'the dprk\'s "strategic" axis Pyongyang - September 13 (KCNA)'
    assert words_of(pyarrow.array([curly])).to_pylist() == words_of(pyarrow.array([straight])).to_pylist()
    assert words_of(pyarrow.array([curly])).to_pylist()[0][:3] == ["the", "dprk", "s"]


def test_korean_eojeol_are_words_and_fullwidth_digits_are_digits():
    words = words_of(pyarrow.array(["주체１０１(２０１２)년을 맞이한다."])).to_pylist()[0]
    assert words == ["주체101", "2012", "년을", "맞이한다"]


def test_a_text_hashes_alike_whatever_batch_it_is_in():
    text = "one two three four five six seven eight"
    alone = _shingles(text)[0]
    among = _shingles("a short one", text, "", "x y z w v u t")[1]
    assert numpy.array_equal(alone, among) and len(alone) == 4


def test_short_and_empty_texts():
    short, empty, punctuation = _shingles("Kim Jong Un", "", "-- ... --")
    assert len(short) == 1 and len(empty) == 0 and len(punctuation) == 0
    assert not numpy.array_equal(_shingles("Kim Jong")[0], short)


def test_word_order_matters_within_a_shingle():
    a, b = _shingles("a b c d e", "e d c b a")
    assert a[0] != b[0]


def test_a_column_of_several_chunks_is_read_like_one_array():
    chunked = pyarrow.chunked_array([["Kim Jong Un"], ["주체１０１년 신년사"]])
    assert words_of(chunked).to_pylist() == [["kim", "jong", "un"], ["주체101년", "신년사"]]
