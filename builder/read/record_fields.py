"""The fields a capture record or sidecar may give beside its text (`url`, `fetched_at`), checked as a file can
hold them. `fetched_at` is checked but not used: when a capture was taken is read from the page (`captured_on`)."""

from __future__ import annotations

from builder.extract.urls import is_http_url

# Python's JSON decoder recurses once for each array or object opened: nesting deeper than its limit (~1,000 levels;
# no capture record nests more than one) raises RecursionError, not the ValueError of invalid JSON.
TOO_DEEP = "nested deeper than a capture record can be (arrays or objects inside each other)"


def capture_fields(meta: object) -> dict | str:
    if not isinstance(meta, dict):
        return "not a JSON object"
    for key in ("url", "fetched_at"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            return f"{key!r} is not a string"
        if value is not None and not is_unicode(value):
            return f"{key!r} holds unpaired surrogate escapes"
    if meta.get("url") is not None and not is_http_url(meta["url"]):
        return f"url {meta['url']!r} is not an http(s) URL"
    return meta


def is_unicode(text: str) -> bool:
    """Whether the text has no lone surrogate (a `\\udcff` escape in JSON), which no UTF-8 file can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
