"""Saved HTML of a KCNA Watch newstream page (raw-pages.md §8), read with a real HTML parser (selectolax, on
lexbor): the headline is the `h1` (else `<title>` without ` | KCNA Watch`), the body the blocks of
`div.article-content`, and what follows it on the page (the "More From" teasers, `More Articles`) the tail; the
Date line is found by its text wherever the theme puts it, its link being the original publisher's page. Markup
inside a block (a leader's name in `<b>`) stays in its sentence. Brought to the visible text's shape, the page is
read by the KCNA Watch text parser, so HTML and text captures of one page give the same article. Pages of the
original publishers' sites are read by their layouts (`origins`), any other site's by a general extractor
(`general`); a bot check or paywall page is rejected as such."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from builder.extract.forms.general import general_page
from builder.extract.forms.origins import origin_page, site_of
from builder.extract.forms.visible import (
    article_title,
    collapse_html_space,
    date_line_at,
    declared_urls,
    kcna_watch_url,
    publisher_url,
    refuse_blocked,
    visible_text,
)
from builder.extract.parse import Page, parse_page

_HTML = re.compile(r"^\s*(?:<!doctype html|<html\b|<head\b|<body\b)", re.IGNORECASE)
_BLOCKS = frozenset(
    "address article aside blockquote dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_UNSEEN = frozenset("head script style noscript template svg iframe object select option".split())
ARTICLE = "div.article-content"
THEME_MARK = "/wp-content/themes/kcnawatch/"


def is_html(text: str) -> bool:
    return _HTML.match(text) is not None


def html_page(text: str) -> Page:
    tree = LexborHTMLParser(text)
    if not _is_kcna_watch(tree, text):
        site = site_of(tree)
        return origin_page(tree, site) if site is not None else general_page(text)
    body = tree.body
    article = tree.css_first(ARTICLE)
    lines, article_lines, after = _lines(body, article) if body is not None else ([], [], [])
    title = _headline(tree)
    at = date_line_at(lines)
    refuse_blocked("\n".join(lines), at is not None)
    if article is not None and at is not None:
        date_line = lines[at]
        page_lines = [date_line, *(line for line in article_lines if line != date_line), *after]
    else:
        page_lines = article_lines + after if article is not None else lines
    page = parse_page(visible_text(title, page_lines))
    page.page_url = _page_url(tree)
    page.original_url = _date_line_link(article or body)
    return page


def _is_kcna_watch(tree: LexborHTMLParser, text: str) -> bool:
    title = tree.css_first("title")
    return (
        THEME_MARK in text
        or (title is not None and title.text().strip().endswith("KCNA Watch"))
        or _page_url(tree) is not None
    )


def _headline(tree: LexborHTMLParser) -> str | None:
    for selector in ("h1", "title", "meta[property='og:title']"):
        node = tree.css_first(selector)
        text = node.attributes.get("content") if node is not None and node.tag == "meta" else node and node.text()
        if title := article_title(text):
            return title
    return None


def _page_url(tree: LexborHTMLParser) -> str | None:
    return next(filter(None, map(kcna_watch_url, declared_urls(tree))), None)


def _date_line_link(scope: LexborNode | None) -> str | None:
    for link in scope.css("a") if scope is not None else []:
        if " ".join(link.text().split()) == "Read original version at source":
            return publisher_url(link.attributes.get("href"))
    return None


def _lines(body: LexborNode, article: LexborNode | None) -> tuple[list[str], list[str], list[str]]:
    """The page's visible lines (a block's text, inline markup joined), those inside the article, and those after
    it. Walked with a stack, not recursion: a page may nest blocks deeply."""
    lines, article_lines, after = [], [], []
    current: list[str] = []
    article_id = article.mem_id if article is not None else None  # `==` on nodes compares their serialised HTML
    where = ["before"]  # before, in or after the article

    def flush() -> None:
        line = collapse_html_space("".join(current))
        current.clear()
        if line:
            lines.append(line)
            {"in": article_lines, "after": after}.get(where[0], []).append(line)

    stack: list[tuple[LexborNode, bool]] = [(body, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            flush()
            if node.mem_id == article_id:
                where[0] = "after"
            continue
        if node.tag == "-text":
            current.append(node.text_content or "")
            continue
        if node.tag in _UNSEEN or node.tag == "-comment":
            continue
        block = node.tag in _BLOCKS or node.tag == "br"
        if block:
            flush()
            if node.mem_id == article_id:
                where[0] = "in"
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    flush()
    return lines, article_lines, after
