"""Extract step: a `Capture` -> a `ParsedCapture` (its page plus where it came from), or a `Rejected`.

It is a pure function of the capture, so it runs in worker processes (`parallel.Workers`), and the build memo can
keep what it made of an input unit for the next build (`memo`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from builder.bodystore import BodyRef, BodyStore
from builder.extract.decode import decode_capture
from builder.extract.layouts import parse_text
from builder.extract.parse import Page, ParseReject
from builder.extract.urls import canonical_url
from builder.records import Capture, Rejected


@dataclass
class ParsedCapture:
    input: str
    raw_sha256: str
    page: Page
    url: str | None  # canonical form
    key: str | None  # `<epoch>-<suffix>` of a KCNA Watch URL
    encoding: str  # the codec the capture's bytes were read with
    body_at: BodyRef | None = None  # where `stash_body` put the body; the page then keeps no paragraphs
    body_digest: bytes | None = None  # SHA-256 of the body
    unit: str = ""  # the input unit it was read from (`read.Unit`), as the build memo keys it
    record_key: str | None = None  # the article's key in its collection (`Capture.record_key`), when it has one


def stash_body(store: BodyStore, parsed: ParsedCapture) -> ParsedCapture:
    """Write the page's body to the store and drop it from the page, so only its address travels on."""
    data = parsed.page.body.encode("utf-8")
    return replace(
        parsed,
        page=replace(parsed.page, paragraphs=[]),
        body_at=store.put(data),
        body_digest=hashlib.sha256(data).digest(),
    )


@dataclass
class Parsed:
    """What the capture's bytes alone give, whatever file or URL they came with."""

    page: Page | None
    encoding: str | None
    reject: tuple[str, str] | None  # (reason, detail)


def parse_bytes(raw: bytes, text: str | None = None) -> Parsed:
    """`text`: the str `raw` was encoded from, when there is one (`Capture.text`)."""
    try:
        decoded = decode_capture(raw, text)
        page = parse_text(decoded.text)
    except ParseReject as reject:
        return Parsed(None, None, (reject.reason, reject.detail))
    if decoded.mojibake_repaired:
        page.repairs["mojibake"] += 1
    return Parsed(page, decoded.encoding, None)


def attach(capture: Capture, parsed: Parsed, unit: str = "") -> ParsedCapture | Rejected:
    """Join what the bytes say with where they came from. A capture with neither a header nor a KCNA Watch URL
    cannot be matched with any other capture of its article, so it cannot be used."""
    given = capture.url or (parsed.page.page_url if parsed.page else None)  # a sidecar's URL first, then the page's
    url, key = canonical_url(given) if given else (None, None)
    if parsed.reject:
        return Rejected(capture.input, url, *parsed.reject)
    if parsed.page.title is None and key is None:
        return Rejected(
            capture.input,
            url,
            "headless_no_url",
            "the capture has no title or Date line and no KCNA Watch URL to match it with another capture "
            "of its article; give it a sidecar URL or re-capture the page with its header",
        )
    parsed.page.form = capture.form or parsed.page.form
    parsed.page.origin = capture.origin or parsed.page.origin
    parsed.page.captured_on = capture.captured_on or parsed.page.captured_on  # the crawler's own time, where known
    return ParsedCapture(
        capture.input,
        capture.raw_sha256,
        parsed.page,
        url,
        key,
        parsed.encoding,
        unit=unit,
        record_key=capture.record_key,
    )
