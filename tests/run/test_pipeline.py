"""The data path gives the same bytes whatever the number of workers and whether the parse cache is cold, warm
or absent."""

import json
import shutil

import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES

from builder.publish.release import build_release
from builder.publish.request import BuildRequest
from builder.run.pipeline import Timings


@pytest.fixture
def corpus(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES, raw, ignore=shutil.ignore_patterns("forms"))
    (raw / "shape_b_voice_of_korea.json").write_text(json.dumps({"url": "https://kcnawatch.org/newstream/1-1/v"}))
    (raw / "shape_d_headless.json").write_text(json.dumps({"url": "https://kcnawatch.org/newstream/1-1/v"}))
    (raw / "empty.txt").write_text("")
    return raw


def _data(release):
    return {p.relative_to(release).as_posix(): p.read_bytes() for p in sorted(release.rglob("*")) if p.is_file()}


def test_same_bytes_with_any_workers_and_cache(corpus, tmp_path):
    outputs = []
    cache = tmp_path / "cache"
    for run, (workers, cache_folder) in enumerate([(1, None), (2, None), (2, cache), (2, cache), (1, cache)]):
        releases = tmp_path / f"releases{run}"
        releases.mkdir()
        timings = Timings()
        release = build_release(
            BuildRequest(
                [corpus],
                releases,
                version="0.1.0",
                workers=workers,
                cache_folder=cache_folder,
                released="2026-01-01",
                timings=timings,
            )
        ).path
        outputs.append(_data(release))
        assert timings.seconds["read_parse_wall"] > 0 and "validate_rows_busy" in timings.seconds
    assert all(output == outputs[0] for output in outputs[1:])
    assert [(folder / "CURRENT").is_file() for folder in cache.glob("memo-*")] == [True]


@pytest.fixture
def every_form(tmp_path):
    """A folder with a capture in every form read, and a collection beside it."""
    import gzip
    import io

    from conftest import SEED, SEED_URL
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    forms = FIXTURES / "forms"
    raw = tmp_path / "every"
    raw.mkdir()
    shutil.copy(SEED, raw / "seed.txt")
    (raw / "seed.json").write_text(json.dumps({"url": SEED_URL}))
    shutil.copy(FIXTURES / "shape_a_kcna.txt", raw / "a.txt")
    shutil.copy(forms / "kcna_kp.html", raw / "kcna.html")
    (raw / "other.html.gz").write_bytes(gzip.compress((forms / "other_site.html").read_bytes(), mtime=0))
    shutil.copy(forms / "seed.jina.md", raw / "seed.jina.md")
    (raw / "day.jsonl").write_text(json.dumps({"text": (FIXTURES / "shape_c_old_nknews.txt").read_text()}) + "\n")
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    body = (forms / "seed.html").read_bytes()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        SEED_URL,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": "2025-07-01T03:00:00Z", "WARC-Record-ID": "<urn:uuid:1>"},
    )
    writer.write_record(record)
    (raw / "crawl.warc.gz").write_bytes(out.getvalue())
    (raw / "notes.rtf").write_text("not a capture")
    collection = tmp_path / "mine"
    collection.mkdir()
    (collection / "records.jsonl").write_text(
        json.dumps({"t": "A Collected Title", "d": "2024-09-13", "b": "First.\nSecond."}) + "\n"
    )
    (collection / "collection.toml").write_text(
        'name = "mine"\nformat = "jsonl"\nfiles = ["*.jsonl"]\nsource = "KCNA.kp (En)"\nlanguage = "en"\n'
        'licence = "unknown"\nhomepage = "https://example.org/mine"\n[fields]\ntitle = "t"\ndate = "d"\nbody = "b"\n'
    )
    return raw, collection


def test_every_form_gives_the_same_bytes_whatever_the_order_workers_and_memo(every_form, tmp_path):
    raw, collection = every_form
    cache = tmp_path / "cache"
    runs = [([raw, collection], 1, None), ([collection, raw], 2, None), ([raw, collection], 2, cache)]
    runs.append(([raw, collection], 2, cache))  # every unit from the memo
    outputs = []
    for number, (inputs, workers, cache_folder) in enumerate(runs):
        releases = tmp_path / f"releases{number}"
        releases.mkdir()
        request = BuildRequest(
            inputs, releases, version="0.1.0", workers=workers, cache_folder=cache_folder, released="2026-01-01"
        )
        outputs.append(_data(build_release(request).path))
    release = tmp_path / "releases0" / "v0.1.0"
    report = json.loads((release / "build_report.json").read_text())
    forms = (
        pq.read_table(release / "articles/train-00000-of-00001.parquet", columns=["input_form"]).column(0).to_pylist()
    )
    assert {"collection", "html", "text"} <= set(forms)  # the seed's forms merge into one article
    assert [reject["reason"] for reject in report["rejected"]] == ["not_a_capture_format"]
    first = outputs[0]
    assert all(
        output["articles/train-00000-of-00001.parquet"] == first["articles/train-00000-of-00001.parquet"]
        for output in outputs
    )
    assert all(output == first for output in outputs[2:])


def test_a_file_that_changed_is_read_anew_from_the_memo(every_form, tmp_path):
    raw, collection = every_form
    cache = tmp_path / "cache"
    for name in ("before", "after", "fresh"):
        (tmp_path / name).mkdir()
    build_release(BuildRequest([raw, collection], tmp_path / "before", version="0.1.0", cache_folder=cache))
    records = collection / "records.jsonl"
    records.write_text(records.read_text().replace("Second.", "Second, edited."))
    kcna = raw / "kcna.html"
    kcna.write_text(kcna.read_text().replace("strategic counteraction", "strategic counter-action"))
    with_memo = build_release(BuildRequest([raw, collection], tmp_path / "after", version="0.1.0", cache_folder=cache))
    fresh = build_release(BuildRequest([raw, collection], tmp_path / "fresh", version="0.1.0"))
    assert (
        _data(with_memo.path)["articles/train-00000-of-00001.parquet"]
        == _data(fresh.path)["articles/train-00000-of-00001.parquet"]
    )
    bodies = pq.read_table(fresh.path / "articles/train-00000-of-00001.parquet", columns=["body"]).column(0).to_pylist()
    assert any("Second, edited." in body for body in bodies) and any("counter-action" in body for body in bodies)
