"""Saved forms of a KCNA Watch page — visible text, saved HTML (also gzip-compressed, also inside a WARC), Jina
Reader text as a file or as a JSON line — give the same article. Fixtures: the seed page in each form
(tests/fixtures/forms/, written around the seed's own text with the markup raw-pages.md §8 describes)."""

import datetime as dt
import gzip
import io
import json
import shutil

import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES, SEED, SEED_URL
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from builder.extract.capture import parse_bytes
from builder.extract.forms.html import html_page
from builder.extract.forms.jina import is_jina, jina_page
from builder.extract.parse import parse_page
from builder.publish.release import build_release
from builder.publish.request import BuildRequest

FORMS = FIXTURES / "forms"
ORIGINAL = "http://www.kcna.kp/en/article/q/4a5f0d3e6b9c1a2f.kcmsf"  # the fixtures' Wayback-prefixed link, unprefixed
OF_THE_CAPTURE = ("raw_sha256", "capture_sha256s", "input_form", "original_url", "captured_on")  # bytes, form, time


def _article(tmp_path, name, write):
    folder = tmp_path / name / "raw"
    folder.mkdir(parents=True)
    write(folder)
    releases = tmp_path / name / "releases"
    releases.mkdir()
    result = build_release(BuildRequest([folder], releases, version="0.1.0"))
    assert result.report["rejected"] == []
    [row] = pq.read_table(result.path / "articles/train-00000-of-00001.parquet").to_pylist()
    return row


def test_text_html_gzip_html_and_jina_give_the_same_article(tmp_path):
    def text(folder):
        shutil.copy(SEED, folder / "seed.txt")
        (folder / "seed.json").write_text(json.dumps({"url": SEED_URL}))

    def gzipped(folder):
        (folder / "seed.html.gz").write_bytes(gzip.compress((FORMS / "seed.html").read_bytes(), mtime=0))

    def archived(folder):
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=True)
        body = (FORMS / "seed.html").read_bytes()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        response = writer.create_warc_record(
            SEED_URL + "/?t=1",
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2025-07-01T03:00:00Z"},
        )
        writer.write_record(response)
        (folder / "crawl.warc.gz").write_bytes(out.getvalue())

    def jina_line(folder):
        line = {"text": (FORMS / "seed.jina.md").read_text()}
        (folder / "day.jsonl").write_text(json.dumps(line) + "\n")

    def same_article(row):
        return {column: value for column, value in row.items() if column not in OF_THE_CAPTURE}

    text_row = _article(tmp_path, "text", text)
    assert text_row["id"] == "1726219951-297800155" and text_row["url"] == text_row["capture_url"] == SEED_URL
    assert (text_row["origin"], text_row["input_form"], text_row["original_url"]) == ("KCNA Watch", "text", None)
    for name, write, form in [
        ("html", lambda folder: shutil.copy(FORMS / "seed.html", folder), "html"),  # no sidecar: the canonical URL
        ("html.gz", gzipped, "html"),
        ("warc.gz", archived, "warc"),
        ("jina", lambda folder: shutil.copy(FORMS / "seed.jina.md", folder), "jina"),
        ("jina line", jina_line, "jina"),
    ]:
        row = _article(tmp_path, name, write)
        assert same_article(row) == same_article(text_row), name
        assert (row["input_form"], row["original_url"]) == (form, ORIGINAL), name
        taken = dt.date(2025, 7, 1) if form == "warc" else text_row["captured_on"]  # a WARC-Date is the crawler's time
        assert row["captured_on"] == taken, name


def test_html_keeps_a_leaders_name_in_its_sentence_and_finds_both_urls():
    page = html_page((FORMS / "seed.html").read_text())
    assert page.page_url == SEED_URL and page.original_url == ORIGINAL
    assert not any(line.strip() in ("Kim Jong Un", "Sign up") for line in page.paragraphs)
    assert (
        page.title.startswith("Press Statement by Spokesperson") and page.source == "Ministry of Foreign Affairs (EN)"
    )
    assert page.complete and page.teasers == parse_page(SEED.read_text()).teasers and len(page.teasers) == 20


def test_jina_text_is_told_by_its_header_and_read_with_its_urls():
    text = (FORMS / "seed.jina.md").read_text()
    assert is_jina(text) and not is_jina(SEED.read_text())
    page = jina_page(text)
    assert page.page_url == SEED_URL and page.original_url == ORIGINAL
    assert all("](" not in line and "**" not in line for line in page.paragraphs)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ((FORMS / "blocked.html").read_bytes(), "blocked_page"),
        (
            b"Title: Just a moment...\n\nURL Source: https://kcnawatch.org/newstream/1-2/x\n\nWarning: Target URL "
            b"returned error 403: Forbidden\n\nMarkdown Content:\nChecking your browser before accessing kcnawatch.org",
            "blocked_page",
        ),
        (b"<!DOCTYPE html><html><head><title>Some blog</title></head><body><p>Hello</p></body></html>", "html_page"),
    ],
)
def test_pages_without_an_article_are_rejected_with_a_reason(raw, reason):
    parsed = parse_bytes(raw)
    assert parsed.page is None and parsed.reject[0] == reason and parsed.reject[1]
