"""Jina Reader text (what `r.jina.ai/<url>` returns, raw-pages.md §8): a header of `Key: value` lines — `Title`,
`URL Source`, maybe `Published Time` and `Warning` — then `Markdown Content:` and the page as Markdown. Links become
their text, images and headings' marks go, and the trailing `Images:` / `Links/Buttons:` lists are cut; the text is
then the page's visible text, read by the KCNA Watch text parser. The header's URL is the capture's."""

from __future__ import annotations

import re

from builder.extract.forms.visible import (
    article_title,
    date_line_at,
    kcna_watch_url,
    publisher_url,
    refuse_blocked,
    visible_text,
)
from builder.extract.parse import Page, parse_page

CONTENT = "Markdown Content:"
_HEADER_KEY = re.compile(r"^(?P<key>Title|URL Source|Published Time|Warning):[ \t]*(?P<value>.*)$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<href>[^)\s]*)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^#{1,6}[ \t]+")
_STRONG = re.compile(r"(\*\*|__)(?P<text>.+?)\1")
_TRAILING_LISTS = ("Images:", "Links/Buttons:")


def is_jina(text: str) -> bool:
    head = text[:4096]
    return head.lstrip().startswith("Title:") and "URL Source:" in head and CONTENT in text


def jina_page(text: str) -> Page:
    header, _, markdown = text.partition(CONTENT)
    fields = {}
    for line in header.splitlines():
        if match := _HEADER_KEY.match(line.strip()):
            fields.setdefault(match.group("key"), match.group("value").strip())
    title = article_title(fields.get("Title"))
    lines = _plain_lines(markdown)
    refuse_blocked("\n".join([fields.get("Warning", ""), *lines]), date_line_at(lines) is not None)
    page = parse_page(visible_text(title, lines))
    page.page_url = kcna_watch_url(fields.get("URL Source"))
    page.original_url = _date_line_link(markdown)
    return page


def _plain_lines(markdown: str) -> list[str]:
    """The Markdown's lines as the page shows them, up to the trailing lists of images and links."""
    lines = []
    for raw in markdown.splitlines():
        if raw.strip() in _TRAILING_LISTS:
            break
        line = _HEADING.sub("", _LINK.sub(lambda link: link.group("text"), _IMAGE.sub("", raw)))
        lines.append(_STRONG.sub(lambda strong: strong.group("text"), line).rstrip())
    return lines


def _date_line_link(markdown: str) -> str | None:
    """Where the Date line's `[Read original version at source](<url>)` points."""
    for link in _LINK.finditer(markdown):
        if link.group("text").strip() == "Read original version at source":
            return publisher_url(link.group("href"))
    return None
