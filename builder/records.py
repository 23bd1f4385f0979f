"""The records that flow between the pipeline's steps: a capture as read, and a capture that was not used; and the
limit every reader holds a capture to."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cached_property

MAX_CAPTURE_BYTES = 4 * 1024 * 1024  # a KCNA Watch page is well under 1 MB; larger inputs are not captures


@dataclass(frozen=True)
class Capture:
    """One capture as read: its bytes and what arrived beside it. `input` names it for a person. `text` is what a
    JSON line gave, of which `raw` is the UTF-8: decoding `raw` would give it back (`decode.decode_capture`)."""

    input: str
    raw: bytes
    url: str | None = None
    text: str | None = None
    form: str | None = None  # the form a reader knows the page came in (`warc`, `collection`), else the layout's
    origin: str | None = None  # the road a reader knows the text came by (a collection's name), else the layout's
    record_key: str | None = None  # what names one article in its collection (its `group_by` field): its captures
    captured_on: dt.date | None = None  # when a reader knows the capture was taken (a web archive's WARC-Date)

    @cached_property
    def raw_sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


@dataclass(frozen=True)
class Rejected:
    """A capture that did not become (part of) an article, with a stable reason code and a sentence to act on."""

    input: str
    url: str | None
    reason: str
    detail: str

    def to_json(self) -> dict:
        return {"input": self.input, "url": self.url, "reason": self.reason, "detail": self.detail}
