"""The "More From <label>" block: teasers of other recent articles of the same source.

Two shapes, read one teaser at a time (raw-pages.md §6):
  titled    <title> / <title> / <snippet> / <Month DD, YYYY> / <snippet>
  untitled  <snippet> / <Month DD, YYYY> / <snippet>
A teaser whose lines do not complete either shape was cut by the end of the capture and is dropped whole.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from builder.extract.parse.body import MORE_ARTICLES
from builder.extract.parse.dates import LONG_DATE_LINE, parse_month_date
from builder.extract.parse.header import clean_marker_line
from builder.extract.parse.model import Teaser


@dataclass
class TeaserBlock:
    teasers: list[Teaser]
    reached_end: bool  # `More Articles` closed the block: the capture reached the end of the page


def read_teasers(tail: list[str], source: str) -> TeaserBlock:
    # A hundred lines a page: plain ASCII lines skip the call that looks for invisible characters.
    lines = [line for raw in tail if raw and (line := raw.strip() if raw.isascii() else clean_marker_line(raw))]
    reached_end = MORE_ARTICLES in lines
    if reached_end:
        lines = lines[: lines.index(MORE_ARTICLES)]
    teasers: list[Teaser] = []
    at, count = 0, len(lines)
    while at < count:
        first = lines[at]
        if (
            at + 4 < count
            and first == lines[at + 1]
            and lines[at + 2] == lines[at + 4]
            and (date := _long_date(lines[at + 3]))
        ):
            teasers.append(Teaser(source, lines[at + 2], date, title=first))  # titled
            at += 5
        elif at + 2 < count and first == lines[at + 2] and (date := _long_date(lines[at + 1])):
            teasers.append(Teaser(source, first, date))  # untitled
            at += 3
        else:
            break
    return TeaserBlock(teasers, reached_end)


@functools.lru_cache(maxsize=4096)
def _long_date(line: str) -> dt.date | None:
    """The date of a `March 02, 2026` line (cached: a block's twenty teasers show a few dates)."""
    return parse_month_date(line) if LONG_DATE_LINE.match(line) else None
