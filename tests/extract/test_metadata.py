import itertools
import re

import pytest

from builder.extract.fields import (
    _ENGLISH_WORDS,
    _SCRIPT_LETTERS,
    doc_type,
    dominant_script,
    english_share,
    issuer,
    language,
)
from builder.extract.labels import split_label


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("KCNA.kp (En)", ("KCNA.kp", "en")),
        ("Voice of Korea (EN)", ("Voice of Korea", "en")),
        ("DPRK Today (English)", ("DPRK Today", "en")),
        ("Sports DPRK English", ("Sports DPRK", "en")),
        ("Pyongyang Times", ("Pyongyang Times", None)),
        ("(En)", (None, "en")),
        ("Rodong Sinmun (Kor)", ("Rodong Sinmun", "ko")),
        ("Some New Outlet (Xx)", ("Some New Outlet (Xx)", None)),
    ],
)
def test_split_label(label, expected):
    assert split_label(label) == expected


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        (
            "Press Statement by Spokesperson for Institute for Disarmament and Peace of DPRK Foreign Ministry",
            "press statement",
        ),
        ("Statement of Kim Yo Jong, Vice Department Director of WPK Central Committee", "statement"),
        ("Answer of Spokesman for DPRK Foreign Ministry to Question by KCNA", "answer to a question"),
        ("DPRK Foreign Ministry Spokesperson Answers Question of KCNA", "answer to a question"),
        ("KCNA Commentary Slams U.S. Moves", "commentary"),
        ("Press Review", "press review"),
        ("Review of Rodong Sinmun", "press review"),
        ("Kim Jong Un Sends Message to President of Eritrea", "message"),
        ("Greetings to Lao President", "message"),
        ("Kim Jong Un Sends Letter to Participants", "letter"),
        ("Speech Made by Kim Jong Un at Military Parade", "speech"),
        ("KCNA Report on Crimes of U.S.", "report"),
        ("Rodong Sinmun Article Calls for Production", "article"),
        ("Kim Jong Un Inspects Fertilizer Factory", "news"),
    ],
)
def test_doc_type_rules(title, kind):
    assert doc_type(title) == kind


@pytest.mark.parametrize(
    ("title", "body", "who"),
    [
        (
            "Press Statement by Spokesperson for Institute for Disarmament and Peace of DPRK Foreign Ministry",
            "",
            "Spokesperson for Institute for Disarmament and Peace of DPRK Foreign Ministry",
        ),
        ("Statement of Kim Yo Jong, Vice Department Director of WPK Central Committee", "", "Kim Yo Jong"),
        (
            "Answer of Spokesman for DPRK Foreign Ministry to Question by KCNA",
            "",
            "Spokesman for DPRK Foreign Ministry",
        ),
        ("Kim Jong Un Sends Message to President of Eritrea", "", "Kim Jong Un"),
        (
            "Spokesperson for the Ministry of Foreign Affairs Issues Statement",
            "",
            "Spokesperson for the Ministry of Foreign Affairs",
        ),
        (
            "Message of Greetings to President of Laos",
            "Pyongyang, March 1 (KCNA) -- Respected Comrade Kim Jong Un, President of the State Affairs, sent a "
            "message of greetings to Thongloun Sisoulith.",
            "Kim Jong Un",
        ),
        ("Greetings to Lao President", "Nothing here names a sender.", None),
    ],
)
def test_issuer_from_title_else_first_sentence(title, body, who):
    assert issuer(doc_type(title), title, body) == who


def test_issuer_only_for_speaking_documents():
    assert issuer("news", "Kim Jong Un Inspects Factory", "Kim Jong Un sent a message.") is None


def test_language_from_tag_checked_against_script():
    assert language("KCNA.kp (En)", "The DPRK will steadily take a new strategic counteraction.") == "en"
    assert language("KCNA.kp (En)", "조선중앙통신사 보도") is None  # tag and script disagree
    assert language("Rodong Sinmun (Kor)", "조선중앙통신사 보도") == "ko"
    assert language("Pyongyang Times", "The Mangyongdae Schoolchildren's Palace is a centre of the city.") == "en"
    assert language("Pyongyang Times", "조선중앙통신사 보도") == "ko"
    assert language("Some Outlet", "Lorem ipsum dolor sit amet consectetur") is None


def _script_by_counting(text: str) -> str | None:
    """`dominant_script` as first written: every letter of each script counted."""
    counts = {script: len(letters.findall(text[:5000])) for script, letters in _SCRIPT_LETTERS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] else None


def test_dominant_script_is_that_of_counting_every_letter():
    pieces = ["The ", "\u201c", "\u2014", "\u00e9", "\u0250", "조선", "Ж", "中", "か", "1 ", "\u3000"]
    for size in range(4):
        for text in map("".join, itertools.product(pieces, repeat=size)):
            assert dominant_script(text) == _script_by_counting(text), text
    long_english = "The people\u2019s army " * 400  # the sample is the first 5,000 characters
    assert dominant_script(long_english + "조선" * 10) == _script_by_counting(long_english + "조선" * 10) == "LATIN"
    assert dominant_script("조선" + long_english) == "LATIN"


def _share_from_a_list(text: str) -> float:
    """`english_share` as first written: the list of words, and a sum over it."""
    words = re.findall(r"[a-z]+", text.lower())
    return sum(word in _ENGLISH_WORDS for word in words) / len(words) if words else 0.0


def test_english_share_is_that_of_listing_every_word():
    # Words glued to others or to digits, each function word inside a longer word, and the two letters whose
    # lowercase is ASCII (the Kelvin sign, a dotted capital I).
    pieces = ["the", "The", "a", "are", "and", "an", "ofa", "x", " ", "1", "\u2019", "\u212a", "\u0130", "\u00e9"]
    for size in range(4):
        for text in map("".join, itertools.product(pieces, repeat=size)):
            assert english_share(text) == _share_from_a_list(text), text
    seed_like = "The DPRK\u2019s delegation arrived in Pyongyang on Monday, and it was welcomed by the officials."
    assert english_share(seed_like) == _share_from_a_list(seed_like) == 7 / 16  # the, in, on, and, was, by, the
