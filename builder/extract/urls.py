"""KCNA Watch article URLs: one canonical form and the `<epoch>-<suffix>` key that identifies an article.

Real URLs of one article differ by mirror host, trailing slash, query string and the case of percent-escapes
(raw-pages.md §1); all of them map to `https://kcnawatch.org/newstream/<epoch>-<suffix>/<slug>`.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

KCNA_WATCH_HOSTS = frozenset({"kcnawatch.org", "kcnawatch.app", "kcnawatch.co", "kcnawatch.xyz"})
_NEWSTREAM_PATH = re.compile(r"^/newstream/(?P<key>\d+-\d+)(?:/(?P<slug>[^/]*))?/?$")
CANONICAL_URL = re.compile(r"^https://kcnawatch\.org/newstream/\d+-\d+(?:/[^\s/?#]*)?$")
_SLUG_SAFE = "-._~!$&'()*+,;=:@"  # quoted as they are, besides letters and digits
# A URL in canonical form already, with a slug that quoting leaves as it is (no `%`, nothing to escape).
_PLAIN_CANONICAL = re.compile(
    rf"https://kcnawatch\.org/newstream/(?P<key>\d+-\d+)(?:/[A-Za-z0-9{re.escape(_SLUG_SAFE)}]+)?"
)


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed `[` of an IPv6 host
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def canonical_url(url: str) -> tuple[str, str | None]:
    """(canonical URL, newstream key) for a KCNA Watch article URL; (the URL as given, None) for any other."""
    if already := _PLAIN_CANONICAL.fullmatch(url):  # most URLs: parsing and re-quoting each is costly
        return url, already.group("key")
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    match = _NEWSTREAM_PATH.match(parts.path)
    if host not in KCNA_WATCH_HOSTS or not match:
        return url.strip(), None
    key = match.group("key")
    slug = quote(unquote(match.group("slug") or ""), safe=_SLUG_SAFE)
    return f"https://kcnawatch.org/newstream/{key}" + (f"/{slug}" if slug else ""), key
