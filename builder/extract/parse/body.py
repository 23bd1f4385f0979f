"""The article text between the header and the end of the body, with page furniture and end markers taken out.

The body ends at the first of: `More From <label>`, `More Articles`, the old NK News footer, the end of the text.
Every non-empty line is a paragraph, whether the capture separates paragraphs with blank lines or single
newlines, so captures of one article in different shapes give the same paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.extract.parse.dates import parse_trailer_date, within_history
from builder.extract.parse.header import clean_marker_line, may_be_marker

MORE_FROM = re.compile(r"^More From\s+(?P<label>.+)$")
MORE_ARTICLES = "More Articles"
NK_NEWS_FOOTER = "Get North Korea headlines delivered to your inbox daily"
FURNITURE_LINE = re.compile(r"^(?:Share Button|NK News is hiring\b.*)$")
KCNA_TRAILER = re.compile(r"^www\.kcna\.kp\s*\((?P<date>[^)]*)\)$")
CREDIT_LINE = "KCNA"
END_MARK = re.compile(r"\s*-0-$")
DATELINE = re.compile(r"^(?P<dateline>[A-Z][A-Za-z .'’-]*, [A-Z][a-z]+ \d{1,2} \(KCNA\))\s*(?:--|—|–)")
# The Korean form (raw-pages.md §9): `(평양 9월 14일발 조선중앙통신)` before the first sentence.
KOREAN_DATELINE = re.compile(r"^(?P<dateline>\([가-힣]+ \d{1,2}월 \d{1,2}일발 조선중앙통신\))")


@dataclass
class Body:
    paragraphs: list[str]
    ended_by: str  # "more_from", "more_articles", "nk_news_footer" or "end_of_text"
    tail: list[str] = field(default_factory=list)  # the lines after the body: the "More From" block
    more_from_label: str | None = None
    end_marker: str | None = None
    kcna_trailer: str | None = None
    credit: str | None = None

    @property
    def whole(self) -> bool:
        """The body reached a marker that follows the article, so it was not cut short."""
        return self.ended_by != "end_of_text"


def split_body(lines: list[str]) -> Body:
    """Cut the body off at its end marker and strip furniture; the rest of the page is the tail."""
    paragraphs: list[str] = []
    for index, line in enumerate(lines):
        if not may_be_marker(line, "MGSN"):  # no marker or furniture line starts otherwise
            if text := line.strip():
                paragraphs.append(text)
            continue
        marker = clean_marker_line(line)
        more_from = MORE_FROM.match(marker)
        if more_from or marker in (MORE_ARTICLES, NK_NEWS_FOOTER):
            ended_by = "more_from" if more_from else "more_articles" if marker == MORE_ARTICLES else "nk_news_footer"
            body = Body(paragraphs, ended_by, tail=lines[index + 1 :])
            body.more_from_label = more_from.group("label").strip() if more_from else None
            break
        if marker and not FURNITURE_LINE.match(marker):
            paragraphs.append(line.strip())
    else:
        body = Body(paragraphs, "end_of_text")
    _take_end_markers(body)
    return body


def _take_end_markers(body: Body) -> None:
    """Move the trailer line, the bare `KCNA` credit and the ` -0-` mark out of the text into their fields."""
    paragraphs = body.paragraphs
    while paragraphs:
        last = clean_marker_line(paragraphs[-1])
        if KCNA_TRAILER.match(last) and body.kcna_trailer is None:
            body.kcna_trailer = last
        elif last == CREDIT_LINE and body.credit is None:
            body.credit = last
        else:
            break
        paragraphs.pop()
    if paragraphs and paragraphs[-1].endswith("-0-") and END_MARK.search(paragraphs[-1]):  # a regex scan is slow
        body.end_marker = "-0-"
        paragraphs[-1] = END_MARK.sub("", paragraphs[-1])
        if not paragraphs[-1]:
            paragraphs.pop()


def trailer_date(trailer: str | None):
    """The original KCNA publication date a `www.kcna.kp (…)` trailer gives, if it gives one."""
    match = KCNA_TRAILER.match(trailer or "")
    return within_history(parse_trailer_date(match.group("date"))) if match else None


def find_dateline(paragraphs: list[str]) -> str | None:
    """`Pyongyang, September 13 (KCNA)`, or its Korean form `(평양 9월 14일발 조선중앙통신)`, when the first
    paragraph opens with one; it stays in the body."""
    if not paragraphs:
        return None
    match = DATELINE.match(paragraphs[0]) or (
        KOREAN_DATELINE.match(paragraphs[0]) if paragraphs[0][:1] == "(" else None
    )
    return match.group("dateline") if match else None
