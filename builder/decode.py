"""Decode a capture's bytes to text, or say why they cannot be decoded."""

from __future__ import annotations

import codecs

from .parse import ParseReject


def decode_capture(raw: bytes) -> str:
    """UTF-8, with or without a byte-order mark; anything else is rejected rather than guessed."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ParseReject(
            "bad_encoding",
            f"the bytes are not UTF-8 (byte {error.start}: {raw[error.start:error.start + 1]!r}); "
            "convert the capture to UTF-8",
        ) from None
