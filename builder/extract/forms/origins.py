"""Saved HTML of the original publishers' own pages (raw-pages.md §9), each site a layout: the page's title, date and
paragraphs brought to the visible text's shape (the title, a Date line naming the outlet, the paragraphs) and read by
the KCNA Watch text parser, so the same repairs and end markers apply. A site's page that holds no article (a
listing, the home page) is rejected as such.

- rodong.rep.kp (older pages): the title and paragraphs in `p.ArticleContent`, the date in `div.ArticleMenuDate`
  as `Mar. 10, Juche 111 (2022) Thursday`.
- kcna.kp (`/en/article/q/<hex>.kcmsf`): `div.article-main-title`, the paragraphs of `div.content-wrapper`, the
  date in `span.publish-time` as `(2025.12.14.)` or `(Juche113.3.9.)`; the newer pages (`/en/article/detail/<hex>`,
  from about mid-2026): the `h1` and the paragraphs of `<article>`, and no date but the dateline's month and day, so
  that such a page is rejected for want of a year unless it shows a publish time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from builder.extract.forms.visible import collapse_html_space, declared_urls
from builder.extract.parse import Page, ParseReject, parse_page
from builder.extract.parse.dates import (
    JUCHE_OFFSET,
    parse_korean_date,
    parse_month_date,
    parse_trailer_date,
    within_history,
)

_KCNA_DETAIL = re.compile(r"//(?:www\.)?kcna\.kp/\w+/article/detail/")
_RODONG_DATE = re.compile(
    r"(?P<month>[A-Z][a-z]{2})[a-z]*\.?\s+(?P<day>\d{1,2}),\s*Juche\s+(?P<juche>\d+)\s+\((?P<year>\d{4})\)"
)


@dataclass(frozen=True)
class Site:
    """An origin site: the outlet its pages are of (`source`, the Date line's label), the `origin` its rows name,
    whether a page is of it, and where a page's title, date and paragraphs are."""

    origin: str
    source: str
    recognises: Callable[[LexborHTMLParser], bool]
    article: Callable[[LexborHTMLParser], tuple[str | None, dt.date | None, list[str]]]


def _text(node: LexborNode) -> str:
    """A block's text as a browser shows it: markup inside (a leader's name in `<nobr>`) joined into the sentence."""
    return collapse_html_space(node.text(deep=True))


def _titled(tree: LexborHTMLParser, title: str) -> bool:
    node = tree.css_first("title")
    return node is not None and node.text().strip() == title


def _rodong_article(tree: LexborHTMLParser) -> tuple[str | None, dt.date | None, list[str]]:
    blocks = [text for text in map(_text, tree.css("p.ArticleContent")) if text.strip("\xa0 ")]
    menu = tree.css_first("div.ArticleMenuDate")
    found = _RODONG_DATE.search(menu.text()) if menu is not None else None
    date = None
    if found and int(found.group("juche")) + JUCHE_OFFSET == int(found.group("year")):
        date = parse_month_date(f"{found.group('month')} {found.group('day')}, {found.group('year')}")
    return (blocks[0] if blocks else None), date, blocks[1:]


def _kcna_article(tree: LexborHTMLParser) -> tuple[str | None, dt.date | None, list[str]]:
    title = tree.css_first("div.article-main-title")
    content = tree.css_first("div.content-wrapper")
    paragraphs = [text for text in map(_text, content.css("p")) if text.strip("\xa0 ")] if content is not None else []
    return (_text(title) if title is not None else None), _publish_time(tree), paragraphs


def _kcna_detail_article(tree: LexborHTMLParser) -> tuple[str | None, dt.date | None, list[str]]:
    title = tree.css_first("h1")
    article = tree.css_first("article")
    paragraphs = [text for text in map(_text, article.css("p")) if text.strip("\xa0 ")] if article is not None else []
    return (_text(title) if title is not None else None), _publish_time(tree), paragraphs


def _publish_time(tree: LexborHTMLParser) -> dt.date | None:
    """A kcna.kp page's `span.publish-time`: `(2025.12.14.)`, `(Juche113.3.9.)`, or on a Korean page `…년 …월 …일`."""
    published = tree.css_first("span.publish-time")
    shown = _text(published).strip("()") if published is not None else ""
    return parse_trailer_date(shown) or parse_korean_date(shown)


def _kcna_detail_page(tree: LexborHTMLParser) -> bool:
    return any(_KCNA_DETAIL.search(url) for url in declared_urls(tree))


SITES = (
    Site(
        "rodong.rep.kp",
        "Rodong Sinmun",
        lambda tree: (
            _titled(tree, "Rodong Sinmun") or tree.css_first("div.ArticleMenuDate, p.ArticleContent") is not None
        ),
        _rodong_article,
    ),
    Site("kcna.kp", "KCNA", _kcna_detail_page, _kcna_detail_article),  # before the older layout: its URL tells it
    Site(
        "kcna.kp",
        "KCNA",
        lambda tree: tree.css_first("div.article-main-title, span.publish-time") is not None,
        _kcna_article,
    ),
)


def site_of(tree: LexborHTMLParser) -> Site | None:
    return next((site for site in SITES if site.recognises(tree)), None)


def origin_page(tree: LexborHTMLParser, site: Site) -> Page:
    title, date, paragraphs = site.article(tree)
    if not title or not paragraphs:
        raise ParseReject(
            "not_an_article",
            f"the page is a {site.origin} page without an article (a listing or the home page); nothing to do",
        )
    if within_history(date) is None:
        raise ParseReject(
            "bad_date",
            f"the {site.origin} page gives no date this builder reads (newer kcna.kp pages give only the dateline's "
            "month and day), or one before 1945 or after today in Pyongyang; check the page",
        )
    date_line = f"Date: {date.day:02d}/{date.month:02d}/{date.year} | Source: {site.source}"
    page = parse_page("\n".join([title, date_line, *paragraphs]))
    page.origin = site.origin
    return page
