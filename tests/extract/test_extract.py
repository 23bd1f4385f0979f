from conftest import extract, fixture_text

from builder.extract.capture import ParsedCapture, attach, parse_bytes
from builder.records import Capture, Rejected

HEADLESS = fixture_text("shape_d_headless.txt").encode()


def test_a_headless_capture_without_a_kcna_watch_url_is_rejected():
    for url in (None, "https://example.org/elsewhere"):
        rejected = extract(Capture("d.txt", HEADLESS, url=url))
        assert isinstance(rejected, Rejected) and (rejected.input, rejected.reason) == ("d.txt", "headless_no_url")
        assert "sidecar URL" in rejected.detail


def test_a_headless_capture_with_a_kcna_watch_url_is_kept_for_the_merge_with_its_unit():
    capture = Capture("d.txt", HEADLESS, url="https://kcnawatch.org/newstream/1740700000-111/x")
    parsed = attach(capture, parse_bytes(capture.raw), unit="u1")
    assert isinstance(parsed, ParsedCapture) and parsed.key == "1740700000-111" and parsed.unit == "u1"
    assert parsed.page.title is None
