from builder.link.translations import THRESHOLD, english_text, korean_text, paired, score

KOREAN = (
    "로동신문 사설",
    "위대한 김정은동지의 령도따라 주체113(2024)년 경공업과 농업에서 혁신을 일으키자. 5개년계획의 마지막해인 "
    "2025년을 향하여 전력과 석탄, 금속공업을 추켜세우자. 미국과 남조선의 핵위협은 통일을 가로막고있다. " * 3,
)
ENGLISH = (
    "Rodong Sinmun Editorial",
    "Let us bring about innovations in light industry and agriculture in Juche 113 (2024) under the leadership of "
    "Kim Jong Un. Let us push the electricity, coal and metal industries towards 2025, the last year of the "
    "five-year plan. The nuclear threats of the U.S. and south Korea block reunification. " * 3,
)
OTHER = ("Floral Basket to Kim Jong Un", "A floral basket was sent to Kim Jong Un by a delegation on Monday. " * 2)


def _korean(row=0, day=10, words=None):
    return korean_text(row, day, words or len(KOREAN[1].split()), *KOREAN)


def _english(text=ENGLISH, row=1, day=10):
    return english_text(row, day, len(text[1].split()), *text)


def test_a_translation_scores_above_the_threshold_and_another_item_below():
    korean = _korean()
    assert {"김정은", "경공업", "농업", "미국", "남조선", "핵", "통일", "사설", "로동신문"} <= korean.terms
    assert {113, 2024, 2025} <= korean.numbers
    assert score(korean, _english()) >= THRESHOLD > score(korean, _english(OTHER))


def test_pairs_are_mutual_best_within_a_day():
    korean, right, other = _korean(), _english(row=1), _english(OTHER, row=2)
    assert paired([korean], [other, right]) == [(0, 1, score(korean, right))]
    assert paired([korean], [_english(row=1, day=12)]) == []  # two days apart


def test_a_text_of_implausible_length_is_not_its_translation():
    assert score(_korean(words=5), _english()) < score(_korean(), _english())


def test_one_english_text_is_paired_with_one_korean_text_only():
    first, second = _korean(row=0), _korean(row=5, words=len(KOREAN[1].split()) * 3)
    pairs = paired([first, second], [_english(row=1)])
    assert [(k, e) for k, e, _ in pairs] == [(0, 1)]
