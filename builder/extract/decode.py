"""Decode a capture's bytes to text, or say why they cannot be decoded.

UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are read as they are. Other bytes
are given to charset-normalizer, limited to the legacy encodings captures arrive in (CP949, a superset of
EUC-KR, and Windows-1252). Text that was decoded with the wrong codec once already (mojibake such as `â€™`) is
repaired with ftfy when the repair is lossless and leaves no mojibake behind, and rejected otherwise. Binary data
is rejected; what layout the text has is `layouts`' to say.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer
import ftfy
from ftfy.badness import is_bad

from builder.extract.parse import ParseReject
from builder.records import MAX_CAPTURE_BYTES

LEGACY_ENCODINGS = ["cp949", "cp1252"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_C0_BYTES = set(range(0x00, 0x09)) | {0x0B} | set(range(0x0E, 0x20)) | {0x7F}
_ALL_BUT_C0_BYTES = bytes(b for b in range(256) if b not in _C0_BYTES)  # deleted to count C0 control bytes
# A lead byte of a UTF-8 sequence (U+00C2-U+00EF as Windows-1252/Latin-1) followed by a continuation byte as
# either codec shows it: every common mojibake has this pair; text without it is not given to ftfy's slower check.
_MOJIBAKE_PAIR = re.compile(
    "[\u00c2-\u00ef][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039"
    "\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]"
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec the bytes were read with
    mojibake_repaired: bool = False


def check_size(size: int) -> None:
    if size > MAX_CAPTURE_BYTES:
        raise ParseReject(
            "too_large",
            f"the capture is {size / 1_000_000:.1f} MB, more than the {MAX_CAPTURE_BYTES // (1024 * 1024)} MiB a "
            "captured article page can hold; it is not a single page capture: split or trim it",
        )


def decode_capture(raw: bytes, text: str | None = None) -> Decoded:
    """`text`, when given, is the str `raw` was encoded from as UTF-8 (a JSON line's text). Decoding `raw` would give
    it back (a cost on every page that is not ASCII), unless `raw` starts with a byte-order mark, which decoding
    takes off, or holds a NUL byte, which makes it binary: only then is it decoded."""
    check_size(len(raw))
    if text is None or raw.startswith(codecs.BOM_UTF8) or b"\x00" in raw:
        text, encoding = _decode(raw)
    else:
        encoding = "utf-8"
    utf8 = encoding.startswith("utf-8")
    # UTF-8 bytes are counted at C speed; text read with another codec is searched for C0 and C1 controls.
    controls = len(raw.translate(None, _ALL_BUT_C0_BYTES)) if utf8 else len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 1000):
        raise ParseReject("binary", "the capture holds control characters, not text: it is not a page capture")
    # In UTF-8, every mojibake pair starts with the byte 0xC3 (U+00C0-U+00FF): no such byte, no mojibake.
    if (not utf8 or b"\xc3" in raw) and _MOJIBAKE_PAIR.search(text) and is_bad(text):
        repaired, explanation = ftfy.fix_encoding_and_explain(text)
        lossless = not any(step[1].startswith("replace") for step in explanation or [])
        if repaired == text or "\ufffd" in repaired or is_bad(repaired) or not lossless:
            raise ParseReject(
                "mojibake",
                "the text was decoded with the wrong codec before it was saved (e.g. 'â€™' for '’') and cannot be "
                "repaired without loss; re-capture the page as UTF-8",
            )
        return Decoded(repaired, encoding, mojibake_repaired=True)
    return Decoded(text, encoding)


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[len(codecs.BOM_UTF8) :], "utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16"), "utf-16"
    if b"\x00" in raw:
        raise ParseReject("binary", "the capture holds NUL bytes: it is binary data, not a page capture")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise ParseReject(
            "bad_encoding",
            "the bytes are neither UTF-8 nor a legacy encoding captures use (CP949/EUC-KR, Windows-1252); "
            "convert the capture to UTF-8",
        )
    return str(best), best.encoding


def _strict(raw: bytes, codec: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as error:
        raise ParseReject(
            "bad_encoding",
            f"the capture starts with a {codec.upper()} byte-order mark but byte {error.start} is not {codec.upper()}; "
            "convert the capture to UTF-8",
        ) from None
