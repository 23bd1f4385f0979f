"""Korean <-> English translations of one item, paired without a language model.

A Korean article and an English one within a day of each other (the Korean and English datelines of one KCNA item
give the same day, raw-pages.md §9) are scored on what a translation keeps: the numbers (years, counts, Juche years
written in digits), the names and terms of a small bilingual lexicon (leaders, organs, papers, countries, genres),
and a plausible length (English words per Korean eojeol). Each article is paired with its best-scoring counterpart
only, and only when each is the other's best and the score clears `THRESHOLD`: a day's editorial and the news
items quoting parts of it share names and numbers, but not the editorial's length and breadth.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

THRESHOLD = 0.5
DAYS_APART = 1
WORDS_PER_EOJEOL = (1.3, 3.4)  # English words per Korean eojeol in a translation, widest seen
WEIGHTS = {"terms": 0.45, "numbers": 0.35, "length": 0.2}

# Korean form (found inside eojeol, which carry particles) -> English pattern (lower case, on word boundaries).
LEXICON = {
    "김일성": r"kim il sung",
    "김정일": r"kim jong il",
    "김정은": r"kim jong un",
    "김정숙": r"kim jong suk",
    "김여정": r"kim yo jong",
    "김영남": r"kim yong nam",
    "최룡해": r"choe ryong hae",
    "로동신문": r"rodong sinmun",
    "조선인민군": r"korean people'?s army|joson inmingun|kpa",
    "청년전위": r"chongnyon jonwi",
    "조선중앙통신": r"kcna",
    "로동당": r"workers'? party|wpk",
    "선군": r"songun",
    "주체": r"juche",
    "백두": r"paektu",
    "평양": r"pyongyang",
    "미국": r"u\.s\.|united states|us",
    "일본": r"japan",
    "중국": r"china|chinese",
    "로씨야": r"russia",
    "남조선": r"south korea|s\. korea",
    "유엔": r"un|united nations",
    "핵": r"nuclear",
    "미싸일": r"missile",
    "통일": r"reunification",
    "천리마": r"chollima",
    "경공업": r"light industry",
    "농업": r"agricultur\w*|farming",
    "과학": r"scien\w*",
    "교육": r"education",
    "제국주의": r"imperialis\w*",
    "외무성": r"foreign ministry|ministry of foreign affairs",
    "대변인": r"spokes(?:person|man)",
    "담화": r"statement|press statement",
    "성명": r"statement",
    "사설": r"editorial",
    "신년사": r"new year address",
    "축전": r"message of greeting|congratulatory message",
    "인민경제": r"national economy",
    "전력": r"electricity|power",
    "석탄": r"coal",
    "금속": r"metal",
}
_ENGLISH = {korean: re.compile(rf"\b(?:{pattern})\b") for korean, pattern in LEXICON.items()}
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Text:
    """What the pairer compares of one article."""

    row: int
    day: int
    words: int
    terms: frozenset[str]  # the Korean forms of the lexicon's entries it holds
    numbers: frozenset[int]


def korean_text(row: int, day: int, words: int, title: str, body: str) -> Text:
    text = unicodedata.normalize("NFKC", f"{title}\n{body}")
    return Text(row, day, words, frozenset(k for k in LEXICON if k in text), _numbers(text))


def english_text(row: int, day: int, words: int, title: str, body: str) -> Text:
    text = unicodedata.normalize("NFKC", f"{title}\n{body}").lower()
    return Text(row, day, words, frozenset(k for k, found in _ENGLISH.items() if found.search(text)), _numbers(text))


def _numbers(text: str) -> frozenset[int]:
    """Numbers of two digits or more: single digits are in every text."""
    return frozenset(int(n) for n in _NUMBER.findall(text) if len(n) >= 2)


def score(korean: Text, english: Text) -> float:
    ratio = english.words / max(korean.words, 1)
    low, high = WORDS_PER_EOJEOL
    length = 1.0 if low <= ratio <= high else max(0.0, 1 - abs(ratio - (low if ratio < low else high)) / low)
    parts = {
        "terms": _jaccard(korean.terms, english.terms),
        "numbers": _jaccard(korean.numbers, english.numbers),
        "length": length,
    }
    return round(sum(WEIGHTS[name] * value for name, value in parts.items()), 4)


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def paired(korean: list[Text], english: list[Text]) -> list[tuple[int, int, float]]:
    """(Korean row, English row, score) of the mutual best pairs that clear the threshold, sorted."""
    scored = [(score(k, e), k.row, e.row) for k in korean for e in english if abs(k.day - e.day) <= DAYS_APART]
    best_of_korean: dict[int, tuple[float, int]] = {}
    best_of_english: dict[int, tuple[float, int]] = {}
    for value, k, e in sorted(scored, key=lambda item: (-item[0], item[1], item[2])):
        best_of_korean.setdefault(k, (value, e))
        best_of_english.setdefault(e, (value, k))
    return sorted(
        (k, e, value) for k, (value, e) in best_of_korean.items() if value >= THRESHOLD and best_of_english[e][1] == k
    )
