import pyarrow.parquet as pq
import pytest

from benchmarks.bench_bounds import bound_figures
from benchmarks.synthetic import generate
from builder.publish.release import build_release
from builder.publish.request import BuildRequest


def test_the_bounds_follow_from_costs_measured_on_the_corpus_and_its_release(tmp_path):
    folder = tmp_path / "corpus"
    generate(folder, 120, pages_share=0.0)
    releases = tmp_path / "releases"
    releases.mkdir()
    release = build_release(
        BuildRequest([folder / "captures-000.jsonl"], releases, version="1.0.0", released="2026-01-01")
    ).path
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    figures = bound_figures(folder, 120, release, (20, 80), 1, scratch)

    articles = pq.ParquetFile(release / "articles" / "train-00000-of-00001.parquet").metadata.num_rows
    assert figures["articles a capture"] == pytest.approx(articles / 120)
    parts = [figures[name] for name in list(figures)[:6]]
    p, d, j, h, v, f = parts
    assert all(cost > 0 for cost in (p, j, h, v, f))
    assert figures["V checks of the capture's rows (pandera)"] == pytest.approx(
        figures["articles a capture"] * figures["checks a row: article (us)"]
        + figures["teasers a capture"] * figures["checks a row: teaser (us)"]
    )
    assert figures["best peer/build with this parser"] == pytest.approx(2 * (p + d) / (p + v + h))
    assert figures["largest P for peer/build >= 3 (us)"] == pytest.approx(2 * d - 3 * (v + h))
    assert figures["best build/floor, parser free, floor all CPU"] == pytest.approx((f + j + v + h) / (2 * f))
    assert figures["best build/floor, parser free, floor all disk"] == pytest.approx((j + v + h) / (2 * f))
