"""Which layout a capture's text has, and so which parser reads it: one entry a layout, the first that recognises
the text wins. Adding a layout (a site's saved HTML, say) is one parser module and one line in `LAYOUTS`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from builder.extract.parse import Page, ParseReject, parse_page

_HTML = re.compile(r"^\s*(?:<!doctype html|<html\b|<head\b|<body\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Layout:
    """`recognises(text)` says whether a text has this layout; `parse(text)` gives its page or raises `ParseReject`."""

    name: str
    recognises: Callable[[str], bool]
    parse: Callable[[str], Page]


def _unread_html(text: str) -> Page:
    raise ParseReject(
        "html_page",
        "the capture is an HTML document, not the visible text of a page; save the page's text (reader mode) instead",
    )


LAYOUTS = (
    Layout("html", lambda text: _HTML.match(text) is not None, _unread_html),
    Layout("kcna_watch_text", lambda text: True, parse_page),  # the visible text of a KCNA Watch page (raw-pages.md)
)


def parse_text(text: str) -> Page:
    """The page of a capture's text, by the first layout that recognises it."""
    return next(layout for layout in LAYOUTS if layout.recognises(text)).parse(text)
