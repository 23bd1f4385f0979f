"""Web archives: a response record of an HTML page is a capture; every other record is counted or named with a
reason; a record that cannot be read does not stop the records after it. Archives are written here with warcio,
around the seed page's saved HTML (tests/fixtures/forms/seed.html)."""

import gzip
import io
import zipfile

import pytest
from conftest import FIXTURES, SEED_URL
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from builder.read import Pending, Skipped, load, locate_inputs
from builder.records import Capture, Rejected

SEED_HTML = (FIXTURES / "forms" / "seed.html").read_bytes()


def _response(writer, url, body, content_type="text/html; charset=UTF-8"):
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers)


def _archive(compressed=True, records=("warcinfo", "request", "page", "image", "revisit", "metadata")) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compressed)
    for kind in records:
        if kind == "warcinfo":
            record = writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"})
        elif kind == "request":
            record = writer.create_warc_record(
                SEED_URL, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"), length=18
            )
        elif kind == "page":
            record = _response(writer, SEED_URL, SEED_HTML)
        elif kind == "image":
            record = _response(writer, "https://kcnawatch.org/logo.png", b"\x89PNG....", "image/png")
        elif kind == "revisit":
            record = writer.create_revisit_record(SEED_URL, "sha1:X", SEED_URL, "2024-09-13T00:00:00Z")
        else:
            record = writer.create_warc_record(SEED_URL, "metadata", payload=io.BytesIO(b"via: x"), length=6)
        writer.write_record(record)
    return out.getvalue()


@pytest.mark.parametrize("name, compressed", [("crawl.warc.gz", True), ("crawl.warc", False), ("CRAWL.WARC.GZ", True)])
def test_an_archive_gives_its_page_and_accounts_for_every_other_record(tmp_path, name, compressed):
    (tmp_path / name).write_bytes(_archive(compressed))
    items = list(locate_inputs([tmp_path / name]))
    [page] = [item for item in items if isinstance(item, Pending)]
    rejects = {item.reason: item.url for item in items if isinstance(item, Rejected)}
    [skipped] = [item for item in items if isinstance(item, Skipped)]
    assert rejects == {"not_a_page": "https://kcnawatch.org/logo.png", "warc_revisit": SEED_URL}
    assert skipped.counts == {
        "WARC metadata records (no page)": 1,
        "WARC request records (no page)": 1,
        "WARC warcinfo records (no page)": 1,
    }
    capture = load(page)
    assert isinstance(capture, Capture) and capture.raw == SEED_HTML and capture.url == SEED_URL
    assert page.name.startswith(f"{name}@") and int(page.name.rsplit("@", 1)[1]) == page.offset


def test_a_wacz_is_read_through_its_archived_warcs(tmp_path):
    wacz = tmp_path / "crawl.wacz"
    with zipfile.ZipFile(wacz, "w") as archive:
        archive.writestr("datapackage.json", "{}")
        archive.writestr("archive/data.warc.gz", _archive(records=("page",)))
    [page] = list(locate_inputs([wacz]))
    assert page.member == "archive/data.warc.gz" and load(page).raw == SEED_HTML


def test_a_damaged_record_is_a_reject_with_its_offset_and_the_next_records_are_read(tmp_path):
    members = [_archive(records=("page",)) for _ in range(3)]
    damaged = members[1][:40] + bytes(b ^ 0x5A for b in members[1][40:80]) + members[1][80:]
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(members[0] + damaged + members[2])
    items = list(locate_inputs([path]))
    pages = [item for item in items if isinstance(item, Pending)]
    [bad] = [item for item in items if isinstance(item, Rejected)]
    assert [page.offset for page in pages] == [0, len(members[0]) + len(damaged)]
    assert bad.reason == "bad_warc_record" and f"offset {len(members[0])}" in bad.detail
    assert all(load(page).raw == SEED_HTML for page in pages)


def test_a_truncated_archive_keeps_the_records_before_the_cut(tmp_path):
    whole = _archive(records=("page", "page"))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(whole[: len(whole) - 100])
    items = list(locate_inputs([path]))
    assert isinstance(items[0], Pending) and load(items[0]).raw == SEED_HTML
    assert [item.reason for item in items[1:]] == ["bad_warc_record"]
    assert gzip.decompress(whole)  # the archive was whole before it was cut
