"""What every saved form of a page shares once its markup is gone: a page that holds no article (a bot check, a
paywall), and the visible text a page's title, Date line, body and tail make in capture shape C."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from builder.extract.parse import ParseReject
from builder.extract.parse.header import DATE_LINE, clean_marker_line
from builder.extract.urls import canonical_url, is_http_url

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # what HTML collapses; a no-break space stays, as a browser shows it
_BLOCKED = re.compile(r"checking your browser|access denied|/free-member-form/|verify you are (?:a )?human", re.I)
_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(?P<url>.+)$")
TITLE_SUFFIX = " | KCNA Watch"


def declared_urls(tree) -> list[str]:
    """The URLs an HTML page (a selectolax tree) declares as its own: its canonical link, then its `og:url`."""
    found = []
    for selector, attribute in (("link[rel='canonical']", "href"), ("meta[property='og:url']", "content")):
        node = tree.css_first(selector)
        if node is not None and node.attributes.get(attribute):
            found.append(node.attributes[attribute].strip())
    return found


def collapse_html_space(text: str) -> str:
    """A block's text as a browser lays it out: runs of HTML white space as one space, none at the ends."""
    return _HTML_SPACE.sub(" ", text).strip(" \t\n\r\f")


def refuse_blocked(text: str, has_date_line: bool) -> None:
    """A bot check or the paywall's sign-up page holds no article (and no Date line): the capture is rejected with
    that reason."""
    if not has_date_line and _BLOCKED.search(text):
        raise ParseReject(
            "blocked_page",
            "the page is a bot check or the paywall's sign-up page, not an article; capture it again from a browser "
            "that passed the check or is signed in",
        )


def date_line_at(lines: list[str]) -> int | None:
    """The index of the page's Date line among `lines`, if it has one."""
    for index, line in enumerate(lines):
        if DATE_LINE.match(clean_marker_line(line)):
            return index
    return None


def visible_text(title: str | None, lines: list[str]) -> str:
    """The page as its visible text shows it: the title, then everything from the Date line on (what is above it is
    the site's navigation); a page without a Date line is headless, its lines the body."""
    at = date_line_at(lines)
    if at is None or not title:
        return "\n".join(lines[at or 0 :])
    return "\n".join([title, *lines[at:]])


def article_title(title: str | None) -> str | None:
    """A `<title>` or Jina `Title:` without the site's ` | KCNA Watch` suffix."""
    title = " ".join((title or "").split())
    return title.removesuffix(TITLE_SUFFIX).strip() or None


def kcna_watch_url(url: str | None) -> str | None:
    """The URL when it is a KCNA Watch article's (any mirror, any form); None otherwise."""
    if not url or not is_http_url(url.strip()):
        return None
    canonical, key = canonical_url(url.strip())
    return canonical if key else None


def publisher_url(href: str | None) -> str | None:
    """The original publisher's URL the Date line links to: Wayback prefixes taken off, a bare host given `http://`;
    None for a relative or unusable link."""
    href = (href or "").strip()
    wayback = _WAYBACK.match(href)
    href = wayback.group("url") if wayback else href
    if href and "://" not in href and re.match(r"^[\w-]+(\.[\w-]+)+/", href):
        href = "http://" + href
    return href if is_http_url(href) and urlsplit(href).hostname else None
