"""One capture's text -> `Page`, or `ParseReject` with a reason."""

from __future__ import annotations

from collections import Counter

from builder.extract.parse.body import find_dateline, split_body
from builder.extract.parse.dates import within_history
from builder.extract.parse.header import find_header
from builder.extract.parse.model import Page, ParseReject
from builder.extract.parse.repairs import remove_repeated_title, repair_paragraphs
from builder.extract.parse.teasers import read_teasers


def normalise_newlines(text: str) -> str:
    if "\r" not in text:  # nearly always; looking for "\r\n" costs as much as a parse step
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_page(text: str) -> Page:
    """Parse the visible text of a KCNA Watch article page (all shapes of raw-pages.md)."""
    lines = normalise_newlines(text).split("\n")
    if not any(line.strip() for line in lines):
        raise ParseReject("empty", "the capture has no text; re-capture the page or remove the file")
    header = find_header(lines)
    body = split_body(lines[header.body_start :])
    repairs: Counter = Counter()
    paragraphs = repair_paragraphs(body.paragraphs, repairs)
    if header.title is not None:
        paragraphs = remove_repeated_title(paragraphs, header.title, header.source, repairs)
    if not paragraphs:
        raise ParseReject(
            "no_body",
            "the capture has no article text"
            + (" after its Date line" if header.title else "")
            + "; re-capture the whole page",
        )
    label = header.source or body.more_from_label or ""
    block = read_teasers(body.tail, label) if body.ended_by == "more_from" else None
    teasers = block.teasers if block else []
    captured_on = within_history(header.captured_on or max((teaser.date for teaser in teasers), default=None))
    return Page(
        shape=header.shape,
        paragraphs=paragraphs,
        title=header.title,
        date=header.date,
        source=header.source,
        captured_on=captured_on,
        dateline=find_dateline(paragraphs),
        end_marker=body.end_marker,
        kcna_trailer=body.kcna_trailer,
        credit=body.credit,
        body_whole=body.whole,
        complete=body.ended_by in ("more_articles", "nk_news_footer") or bool(block and block.reached_end),
        teasers=teasers,
        repairs=+repairs,
    )
