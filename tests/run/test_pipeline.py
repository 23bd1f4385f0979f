"""The data path gives the same bytes whatever the number of workers and whether the parse cache is cold, warm
or absent."""

import json
import shutil

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
