"""The "More From <label>" block: teasers of other recent articles of the same source.

Two shapes, read one teaser at a time (raw-pages.md §6):
  titled    <title> / <title> / <snippet> / <Month DD, YYYY> / <snippet>
  untitled  <snippet> / <Month DD, YYYY> / <snippet>
A teaser whose lines do not complete either shape was cut by the end of the capture and is dropped whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from .body import MORE_ARTICLES
from .dates import LONG_DATE_LINE, parse_month_date
from .header import clean_marker_line
from .model import Teaser


@dataclass
class TeaserBlock:
    teasers: list[Teaser]
    reached_end: bool  # `More Articles` closed the block: the capture reached the end of the page


def read_teasers(tail: list[str], source: str) -> TeaserBlock:
    # A hundred lines a page: plain ASCII lines skip the call that looks for invisible characters.
    lines = [raw.strip() if raw.isascii() else clean_marker_line(raw) for raw in tail if raw]
    reached_end = MORE_ARTICLES in lines
    if reached_end:
        lines = lines[: lines.index(MORE_ARTICLES)]
    lines = [line for line in lines if line]
    teasers: list[Teaser] = []
    at = 0
    while at < len(lines):
        teaser, width = _titled(lines, at, source) or _untitled(lines, at, source) or (None, 0)
        if teaser is None:
            break
        teasers.append(teaser)
        at += width
    return TeaserBlock(teasers, reached_end)


def _is_date(line: str) -> bool:
    return bool(LONG_DATE_LINE.match(line)) and parse_month_date(line) is not None


def _titled(lines: list[str], at: int, source: str):
    window = lines[at : at + 5]
    if len(window) == 5 and window[0] == window[1] and _is_date(window[3]) and window[2] == window[4]:
        return Teaser(source, window[2], parse_month_date(window[3]), title=window[0]), 5
    return None


def _untitled(lines: list[str], at: int, source: str):
    window = lines[at : at + 3]
    if len(window) == 3 and _is_date(window[1]) and window[0] == window[2]:
        return Teaser(source, window[0], parse_month_date(window[1])), 3
    return None
