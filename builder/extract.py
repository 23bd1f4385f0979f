"""Extract step: a `Capture` -> a `ParsedCapture` (its page plus where it came from), or a `Rejected`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .decode import decode_capture
from .parse import Page, ParseReject, parse_page
from .records import Capture, Rejected
from .urls import canonical_url


@dataclass
class ParsedCapture:
    capture: Capture
    page: Page
    url: str | None  # canonical form
    key: str | None  # `<epoch>-<suffix>` of a KCNA Watch URL
    encoding: str  # the codec the capture's bytes were read with


def extract(capture: Capture) -> ParsedCapture | Rejected:
    url, key = canonical_url(capture.url) if capture.url else (None, None)
    try:
        decoded = decode_capture(capture.raw)
        page = parse_page(decoded.text)
    except ParseReject as reject:
        return Rejected(capture.input, url, reject.reason, reject.detail)
    if decoded.mojibake_repaired:
        page.repairs["mojibake"] += 1
    return ParsedCapture(capture, page, url, key, decoded.encoding)


def extract_all(items: Iterable[Capture | Rejected]) -> Iterator[ParsedCapture | Rejected]:
    for item in items:
        yield extract(item) if isinstance(item, Capture) else item
