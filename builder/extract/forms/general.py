"""Saved HTML of any other site, read by a general extractor: trafilatura, the best-scoring open-source extractor of
a news page's main text, title and date in the published comparisons. The page is marked so (`origin` is
`other site`), as its choice of text is not checked the way a site layout's is. The date is taken only from what the
page states (its metadata, not a search of its text); a page without a title, a date, a site name or text is
rejected."""

from __future__ import annotations

import datetime as dt

from builder.extract.parse import Page, ParseReject, parse_page
from builder.extract.parse.dates import within_history

ORIGIN = "other site"


def general_page(text: str) -> Page:
    import trafilatura  # imported here: only pages of no known site need it, and it takes a while to load

    found = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    fields = found.as_dict() if found is not None else {}
    title, source = (
        (fields.get("title") or "").strip(),
        (fields.get("sitename") or fields.get("hostname") or "").strip(),
    )
    date = within_history(_iso_date(fields.get("date")))
    lines = [line for line in (fields.get("text") or "").split("\n") if line.strip()]
    if lines and lines[0].strip() == title:
        lines = lines[1:]
    if not (title and source and date and lines):
        missing = [
            name
            for name, value in (("title", title), ("site name", source), ("date", date), ("text", lines))
            if not value
        ]
        raise ParseReject(
            "html_page",
            f"the capture is an HTML page of a site whose layout is not read, and the general extractor found no "
            f"{' or '.join(missing)} in it; save the page's text (reader mode) instead",
        )
    page = parse_page(
        "\n".join([title, f"Date: {date.day:02d}/{date.month:02d}/{date.year} | Source: {source}", *lines])
    )
    page.origin = ORIGIN
    return page


def _iso_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None
