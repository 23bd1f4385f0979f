"""The link stage through whole builds: the seed beside a KCNA Watch capture of it cut short (another key)."""

import json
import shutil

import pyarrow.parquet as pq
import pytest

from benchmarks.render import render_page
from builder.link.stage import write_links
from builder.link.store import LinkStore
from builder.publish.release import build_release
from builder.publish.request import BuildRequest
from builder.run.parallel import Workers
from builder.run.timings import Timings

CUT_KEY = "1726220000-123456789"


def _add_cut_copy(folder, release, name="cut"):
    """A capture of the seed's page that stopped after a third of its paragraphs, under another KCNA Watch key."""
    article = pq.read_table(release / "articles" / "train-00000-of-00001.parquet").to_pylist()[0]
    paragraphs = article["body"].split("\n\n")
    page = render_page(
        shape="C",
        title=article["title"],
        date=article["date"],
        source=article["source"],
        paragraphs=paragraphs[: len(paragraphs) // 3],
        end="cut",
    )
    (folder / f"{name}.txt").write_text(page, encoding="utf-8")
    url = f"https://kcnawatch.org/newstream/{CUT_KEY}/press-statement"
    (folder / f"{name}.json").write_text(json.dumps({"url": url}), encoding="utf-8")
    return article["id"]


@pytest.fixture
def seed_release(raw_copy, tmp_path):
    releases = tmp_path / "seed-releases"
    releases.mkdir()
    return build_release(BuildRequest([raw_copy], releases, version="1.0.0", released="2026-01-01")).path


def _links(release):
    return pq.read_table(release / "links" / "train-00000-of-00001.parquet").to_pylist()


def test_a_capture_cut_short_is_linked_to_the_whole_page_and_the_diff_counts_the_link(raw_copy, releases, seed_release):
    first = build_release(BuildRequest([raw_copy], releases, released="2026-01-01")).path
    assert _links(first) == []
    seed_id = _add_cut_copy(raw_copy, seed_release)
    second = build_release(BuildRequest([raw_copy], releases, released="2026-01-02"))
    links = _links(second.path)
    assert links == [
        {
            "id": seed_id,
            "linked_id": CUT_KEY,
            "relation": "same_text",
            "score": 1.0,
            "method": "minhash-lsh+containment",
        }
    ]
    report = second.report
    assert report["links"]["pairs"] == {"same_text": 1} and report["counts"]["links"] == 1
    assert report["links"]["between_origins"] == [
        {"relation": "same_text", "origins": ["KCNA Watch", "KCNA Watch"], "pairs": 1}
    ]
    diff = json.loads((second.path / "diff.json").read_text())
    assert diff["bump"] == "minor" and diff["configs"]["links"]["added"] == [f"{seed_id},{CUT_KEY}"]
    assert "links: records added: 1" in diff["reasons"]


def test_links_do_not_depend_on_input_order_or_workers(raw_copy, tmp_path, seed_release):
    bytes_of = []
    for name, workers in (("aaa", 1), ("zzz", 2)):
        folder = tmp_path / f"in-{name}"
        shutil.copytree(raw_copy, folder)
        _add_cut_copy(folder, seed_release, name)
        releases = tmp_path / f"releases-{name}"
        releases.mkdir()
        release = build_release(BuildRequest([folder], releases, version="1.0.0", workers=workers)).path
        bytes_of.append((release / "links" / "train-00000-of-00001.parquet").read_bytes())
    assert bytes_of[0] == bytes_of[1]


def test_the_store_spares_a_second_pass_its_sketches_and_measures(raw_copy, releases, seed_release, tmp_path):
    _add_cut_copy(raw_copy, seed_release)
    release = build_release(BuildRequest([raw_copy], releases, version="1.0.0")).path
    files = ["articles/train-00000-of-00001.parquet"]
    store_path, scratch = tmp_path / "links.duckdb", tmp_path / "scratch"
    outcomes = []
    with Workers(1) as pool:
        for _ in range(2):
            store = LinkStore(store_path, scratch, threads=1)
            try:
                result = write_links(release, files, store, pool, Timings())
            finally:
                store.close()
            outcomes.append((result.sketched, result.measured, result.written.num_examples))
    assert outcomes == [(2, 1, 1), (0, 0, 1)]


def test_a_build_with_the_memo_gives_the_same_links_as_one_without(raw_copy, tmp_path, seed_release):
    _add_cut_copy(raw_copy, seed_release)
    outputs = []
    for cache in (tmp_path / "cache", None):
        releases = tmp_path / f"releases-{bool(cache)}"
        releases.mkdir()
        for version in ("1.0.0", "1.0.1"):
            if version == "1.0.1":
                (raw_copy / "cut.txt").write_text((raw_copy / "cut.txt").read_text() + "\n", encoding="utf-8")
            build_release(BuildRequest([raw_copy], releases, version=version, cache_folder=cache))
        (raw_copy / "cut.txt").write_text((raw_copy / "cut.txt").read_text()[:-1], encoding="utf-8")
        outputs.append((releases / "v1.0.1" / "links" / "train-00000-of-00001.parquet").read_bytes())
    assert outputs[0] == outputs[1]
