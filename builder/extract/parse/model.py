"""What the parser makes of one capture: a page, or a reject with a reason a person can act on."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple


class Teaser(NamedTuple):
    """One entry of a page's "More From <label>" block: another article of the same source (a tuple: a page has
    twenty, and a tuple is made in a third of a frozen dataclass's time)."""

    source: str
    snippet: str
    date: dt.date
    title: str | None = None


@dataclass
class Page:
    """Everything one capture's text says, before captures of the same article are merged.

    A headless capture (shape D) has no title, date or source: only a body, and maybe teasers. A page read from a
    saved form that names URLs (HTML, Jina Reader text) gives its own URL (`page_url`) and the original publisher's
    (`original_url`, the Date line's link)."""

    shape: str
    paragraphs: list[str]
    title: str | None = None
    date: dt.date | None = None
    source: str | None = None
    captured_on: dt.date | None = None
    dateline: str | None = None
    end_marker: str | None = None
    kcna_trailer: str | None = None
    credit: str | None = None
    body_whole: bool = False
    complete: bool = False
    teasers: list[Teaser] = field(default_factory=list)
    repairs: Counter = field(default_factory=Counter)
    page_url: str | None = None
    original_url: str | None = None
    origin: str = "KCNA Watch"  # the road the text came by: KCNA Watch, an origin site, a collection
    form: str = "text"  # the form the page was saved in: text, html, jina, warc (HTML inside a web archive)

    @property
    def headed(self) -> bool:
        return self.title is not None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


class ParseReject(Exception):
    """A capture that cannot become a record. `reason` is a stable code, `detail` a sentence for a person."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
