"""The original publishers' own pages: rodong.rep.kp (the 11 real article pages of
../shared/realdata/thogra_rodong-next, and its 2 listing pages) and kcna.kp (a fixture in the layout raw-pages.md §9
describes)."""

import datetime as dt
from pathlib import Path

import pytest
from conftest import FIXTURES

from builder.extract.capture import parse_bytes

RODONG = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "thogra_rodong-next" / "data"
needs_rodong = pytest.mark.skipif(not RODONG.is_dir(), reason="../shared/realdata/thogra_rodong-next is not here")


@needs_rodong
def test_every_real_rodong_article_page_gives_its_title_date_and_paragraphs():
    pages = sorted(RODONG.glob("scraped/*newsID*.json")) + [RODONG / "article.html"]
    assert len(pages) == 11
    for path in pages:
        parsed = parse_bytes(path.read_bytes())
        page = parsed.page
        assert parsed.reject is None, path.name
        assert page.origin == "rodong.rep.kp" and page.source == "Rodong Sinmun" and page.form == "html"
        assert page.title and page.paragraphs and "\xa0" not in page.title
        if "newsID" in path.name:  # the page's date is the one its URL names
            year, month, day = map(int, path.name.split("newsID-")[1].split("-")[:3])
            assert page.date == dt.date(year, month, day), path.name
        assert not any(paragraph in ("Kim Il Sung", "Kim Jong Il", "Kim Jong Un") for paragraph in page.paragraphs)


@needs_rodong
def test_rodong_listing_pages_are_no_articles():
    for path in [RODONG / "news.html", RODONG / "scraped" / "en-index-php-strPageID-SF01_01_02-iMenuID-2.json"]:
        assert parse_bytes(path.read_bytes()).reject[0] == "not_an_article"


def test_a_kcna_kp_page_gives_its_article_with_dateline_and_end_marker():
    page = parse_bytes((FIXTURES / "forms" / "kcna_kp.html").read_bytes()).page
    assert (page.origin, page.source, page.date) == ("kcna.kp", "KCNA", dt.date(2024, 9, 13))
    assert (
        page.title.startswith("Press Statement by Spokesperson") and page.dateline == "Pyongyang, September 13 (KCNA)"
    )
    assert page.end_marker == "-0-" and page.paragraphs[-1].endswith("Kim Jong Un’s government.")


@needs_rodong
def test_real_rodong_pages_build_rows_that_pass_the_schema(tmp_path, releases):
    import shutil

    import pyarrow.parquet as pq

    from builder.publish.release import build_release
    from builder.publish.request import BuildRequest

    raw = tmp_path / "raw"
    raw.mkdir()
    for path in sorted(RODONG.glob("scraped/*newsID*.json")):
        shutil.copy(path, raw / path.name.replace(".json", ".html"))  # the files are HTML despite their name
    result = build_release(BuildRequest([raw], releases, version="0.1.0"))
    rows = pq.read_table(result.path / "articles/train-00000-of-00001.parquet").to_pylist()
    assert len(rows) == 10 and result.report["rejected"] == []
    assert {(row["origin"], row["input_form"], row["source"], row["language"]) for row in rows} == {
        ("rodong.rep.kp", "html", "Rodong Sinmun", "en")
    }
    assert all(row["id"].startswith("c") and row["url"] is None for row in rows)  # no KCNA Watch URL


def test_a_page_of_any_other_site_is_read_by_the_general_extractor_and_marked_so():
    page = parse_bytes((FIXTURES / "forms" / "other_site.html").read_bytes()).page
    assert (page.origin, page.form, page.source, page.date) == (
        "other site",
        "html",
        "Example Monitor",
        dt.date(2024, 9, 13),
    )
    assert page.title == "DPRK Foreign Ministry Institute Issues Press Statement"
    assert page.dateline == "Pyongyang, September 13 (KCNA)" and len(page.paragraphs) == 2
    assert not any("Most read" in paragraph or "Another story" in paragraph for paragraph in page.paragraphs)


def test_a_page_the_general_extractor_finds_no_date_in_is_rejected_naming_what_it_lacks():
    parsed = parse_bytes(
        b"<!DOCTYPE html><html><head><title>A blog</title></head><body><p>Hello there.</p></body></html>"
    )
    assert parsed.reject[0] == "html_page" and "date" in parsed.reject[1]


def test_a_newer_kcna_kp_page_without_a_year_is_rejected_saying_so():
    page = (
        b'<!DOCTYPE html><html><head><title>KCNA</title><link rel="canonical" '
        b'href="http://www.kcna.kp/en/article/detail/4a5f0d3e6b9c1a2f"></head><body><h1>Press Statement</h1>'
        b"<article><p>Pyongyang, December 14 (KCNA) -- The text.</p><p>More text. -0-</p></article></body></html>"
    )
    parsed = parse_bytes(page)
    assert parsed.reject[0] == "bad_date" and "month and day" in parsed.reject[1]
    shown = page.replace(b"<h1>", b'<span class="publish-time">(2025.12.14.)</span><h1>')
    assert parse_bytes(shown).page.date == dt.date(2025, 12, 14) and parse_bytes(shown).page.origin == "kcna.kp"
