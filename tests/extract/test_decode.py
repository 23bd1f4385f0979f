import codecs

import pytest

from builder.extract.capture import parse_bytes
from builder.extract.decode import decode_capture
from builder.extract.parse import ParseReject, parse_page
from builder.records import MAX_CAPTURE_BYTES

PAGE = (
    "Korean People’s Army Marks Day\nDate: 25/04/2024 | Source: KCNA.kp (En) | Read original version at source\n"
    "Pyongyang, April 25 (KCNA) -- The “people’s army” marked its day — with parades.\nMore Articles"
)
KOREAN = (
    "조선인민군 창건일을 경축\nDate: 25/04/2024 | Source: KCNA.kp (Kor) | Read original version at source\n"
    "경애하는 김정은동지께서 인민군 장병들을 축하하시였다.\n"
    "조선중앙통신사 보도에 의하면 행사가 진행되였다.\nMore Articles"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PAGE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + PAGE.encode("utf-8"), "utf-8-sig"),
        (PAGE.encode("utf-16"), "utf-16"),
        (PAGE.encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]), "utf-16"),
        (PAGE.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_decode_to_the_same_text(data, encoding):
    decoded = decode_capture(data)
    assert decoded.text == PAGE and decoded.encoding == encoding and not decoded.mojibake_repaired


@pytest.mark.parametrize("codec", ["cp949", "euc_kr"])
def test_korean_legacy_encodings(codec):
    decoded = decode_capture(KOREAN.encode(codec))
    assert decoded.text == KOREAN and decoded.encoding == "cp949"
    assert parse_page(decoded.text).source == "KCNA.kp (Kor)"


def test_mojibake_is_repaired_when_certain():
    mojibake = PAGE.replace("’", "â€™").replace("— ", "â€” ")  # UTF-8 read once as Windows-1252
    decoded = decode_capture(mojibake.encode("utf-8"))
    assert decoded.mojibake_repaired and decoded.text == PAGE


def test_mojibake_that_cannot_be_repaired_without_loss_is_rejected():
    lossy = PAGE.replace("”", "â€\ufffd").replace("’", "â€™")
    with pytest.raises(ParseReject) as caught:
        decode_capture(lossy.encode("utf-8"))
    assert caught.value.reason == "mojibake" and "re-capture" in caught.value.detail


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"abc\x00def", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"<!DOCTYPE html><html><body>Page</body></html>", "html_page"),
        (b"  <html lang='en'><head><title>x</title></head></html>", "html_page"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "bad_encoding"),
        (b"x" * (MAX_CAPTURE_BYTES + 1), "too_large"),
    ],
)
def test_unusable_bytes_are_rejected_with_a_reason(data, reason):
    """Decoding rejects what is no text; the layouts (`extract.layouts`) what is text of no layout read."""
    parsed = parse_bytes(data)
    assert parsed.page is None and parsed.reject[0] == reason and parsed.reject[1]


def _outcome(raw: bytes, text: str | None = None):
    try:
        return decode_capture(raw, text)
    except ParseReject as reject:
        return reject.reason, reject.detail


@pytest.mark.parametrize(
    "text",
    [
        PAGE,
        KOREAN,
        "\ufeff" + PAGE,
        PAGE + "\x00",
        "\x01\x02\x03" * 10,
        "<html><body>Page</body></html>",
        PAGE.replace("’", "â€™"),
        PAGE.replace("”", "â€\ufffd").replace("’", "â€™"),
        "",
        "x" * (MAX_CAPTURE_BYTES + 1),
    ],
)
def test_a_json_lines_text_decodes_as_its_bytes_do(text):
    """A JSON line's text comes with its UTF-8 bytes, which are then not decoded again: the outcome must be the one
    decoding them gives, byte-order mark, NUL, controls, HTML and mojibake included."""
    raw = text.encode("utf-8")
    assert _outcome(raw, text) == _outcome(raw)


def test_tabs_nbsp_and_zero_width_spaces_in_header_lines():
    text = (
        "\u200bA Title\u00a0\nDate:\u00a013/09/2024 |\tSource: KCNA.kp (En)\u200b | Read original version at source\n"
        "Body text.\u00a0\nMore\u00a0From KCNA.kp (En)\nMore Articles"
    )
    page = parse_page(decode_capture(text.encode()).text)
    assert (page.title, page.source, page.paragraphs, page.complete) == (
        "A Title",
        "KCNA.kp (En)",
        ["Body text."],
        True,
    )
