"""The layout registry: the first layout that recognises a capture's text parses it."""

import pytest
from conftest import fixture_text

from builder.extract.layouts import LAYOUTS, parse_text
from builder.extract.parse import ParseReject


def test_a_kcna_watch_text_is_read_by_its_parser():
    page = parse_text(fixture_text("shape_a_kcna.txt"))
    assert page.shape == "A" and page.title and page.paragraphs


@pytest.mark.parametrize("text", ["<!DOCTYPE html><html><body>x</body></html>", "\n  <HTML lang='ko'>"])
def test_html_is_recognised_before_the_text_layout_and_rejected_with_a_reason(text):
    assert [layout.name for layout in LAYOUTS if layout.recognises(text)] == ["html", "kcna_watch_text"]
    with pytest.raises(ParseReject) as caught:
        parse_text(text)
    assert caught.value.reason == "html_page" and "reader mode" in caught.value.detail


def test_every_text_has_a_layout():
    assert LAYOUTS[-1].recognises("anything at all")
