"""Which layout a capture's text has, and so which parser reads it: one entry a layout, the first that recognises
the text wins. Adding a layout (a site's saved HTML, say) is one parser module and one line in `LAYOUTS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from builder.extract.forms.html import html_page, is_html
from builder.extract.forms.jina import is_jina, jina_page
from builder.extract.parse import Page, parse_page


@dataclass(frozen=True)
class Layout:
    """`recognises(text)` says whether a text has this layout; `parse(text)` gives its page or raises `ParseReject`."""

    name: str
    recognises: Callable[[str], bool]
    parse: Callable[[str], Page]
    form: str  # what the article rows call this form (`input_form`)


LAYOUTS = (
    Layout("jina_reader", is_jina, jina_page, "jina"),
    Layout("html", is_html, html_page, "html"),
    Layout(
        "kcna_watch_text", lambda text: True, parse_page, "text"
    ),  # the visible text of a KCNA Watch page (raw-pages.md)
)


def parse_text(text: str) -> Page:
    """The page of a capture's text, by the first layout that recognises it."""
    layout = next(layout for layout in LAYOUTS if layout.recognises(text))
    page = layout.parse(text)
    page.form = layout.form
    return page
