"""The build memo: a build that starts from the last one gives the same bytes as a build from nothing, whatever
changed in between, and parses only the input units that changed."""

import datetime as dt
import fcntl
import itertools
import json
import os
import shutil

import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES

import builder.publish.versioning as versioning
import builder.run.memo_keys as memo_module
import builder.run.pipeline as pipeline
import builder.run.stages as stages
from benchmarks.render import render_page
from builder.extract.parse.model import Teaser
from builder.publish.release import build_release
from builder.publish.request import BuildError, BuildRequest
from builder.publish.verify import verify_release
from builder.publish.versioning import diff_releases
from builder.read import locate_units
from builder.run.memo import BuildMemo
from builder.run.memo_keys import unit_key

WORDS = "the people of the country said on that day the great new plan was a work for peace and progress".split()


def _text(number: int, shape: str = "A", cut: bool = False) -> str:
    date = dt.date(2020, 1, 1) + dt.timedelta(days=number * 3)
    paragraphs = [" ".join(WORDS[(number + k) % 7 :] + WORDS[: (number + k) % 7]).capitalize() + "." for k in range(5)]
    teasers = [
        Teaser("KCNA.kp (En)", f"Teaser {number - k} says the plan was a work for peace", date, f"Teaser {number - k}")
        for k in range(3)
    ]
    page = render_page(
        shape=shape, title=f"Report {number}", date=date, source="KCNA.kp (En)", paragraphs=paragraphs, teasers=teasers
    )
    return page[: len(page) // 2] if cut else page


def _line(number: int, *, url: bool = True, **options) -> str:
    record = {"text": _text(number, **options)}
    if url:
        record["url"] = f"https://kcnawatch.org/newstream/{1600000000 + number}-7/report-{number}"
    return json.dumps(record) + "\n"


@pytest.fixture
def inputs(tmp_path):
    """A folder of .txt captures (every fixture shape) and a day of JSON lines; `day2` adds what a new day brings:
    new articles, a second capture of an article already built, a headless one of another, and a capture with URL
    of an article the first day had only without URL (its group changes)."""
    pages = tmp_path / "pages"
    shutil.copytree(FIXTURES, pages, ignore=shutil.ignore_patterns("forms"))
    (pages / "shape_b_voice_of_korea.json").write_text(json.dumps({"url": "https://kcnawatch.org/newstream/1-1/v"}))
    (pages / "shape_d_headless.json").write_text(json.dumps({"url": "https://kcnawatch.org/newstream/1-1/v"}))
    (pages / "empty.txt").write_text("")
    day1 = tmp_path / "day1.jsonl"
    day1.write_text(
        "".join(
            [_line(n) for n in range(20)]
            + [_line(n, url=False, shape="C") for n in range(20, 25)]
            + [_line(3, cut=True)]
        )
    )
    day2 = tmp_path / "day2.jsonl"
    day2.write_text(
        "".join(
            [_line(n) for n in range(25, 30)]
            + [_line(5, shape="C"), _line(7, shape="D"), _line(21, shape="C"), "not json\n"]
        )
    )
    return {"pages": pages, "day1": day1, "day2": day2}


def _memo_folder(cache):
    [folder] = cache.glob("memo-*")
    return folder


def _build(tmp_path, name, inputs, cache=None, workers=1):
    releases = tmp_path / name
    releases.mkdir()
    result = build_release(
        BuildRequest(inputs, releases, version="0.1.0", workers=workers, cache_folder=cache, released="2026-01-01")
    )
    return {
        p.relative_to(result.path).as_posix(): p.read_bytes() for p in sorted(result.path.rglob("*")) if p.is_file()
    }


@pytest.fixture
def parses(monkeypatch):
    """The captures parsed in this process (builds with one worker parse in-process)."""
    parsed = []
    real = stages.parse_bytes

    def counting(raw, text=None):
        parsed.append(raw)
        return real(raw, text)

    monkeypatch.setattr(stages, "parse_bytes", counting)
    return parsed


def test_a_new_day_is_parsed_alone_and_gives_the_bytes_of_a_full_build(inputs, tmp_path, parses):
    cache = tmp_path / "cache"
    _build(tmp_path, "first", [inputs["pages"], inputs["day1"]], cache)
    parses.clear()
    everything = [inputs["pages"], inputs["day1"], inputs["day2"]]
    incremental = _build(tmp_path, "incremental", everything, cache)
    assert len(parses) == 8  # the captures of day2 (its ninth line is not JSON), and nothing else
    full = _build(tmp_path, "full", everything)
    assert incremental == full
    report = json.loads(full["build_report.json"])
    assert report["counts"]["captures_merged"] >= 3 and report["rejected_by_reason"] == {"bad_json": 1, "empty": 1}


def test_memo_and_full_builds_agree_after_every_kind_of_change(inputs, tmp_path):
    cache = tmp_path / "cache"
    steps = [
        [inputs["pages"], inputs["day1"], inputs["day2"]],
        [inputs["pages"], inputs["day1"]],  # a unit removed: its articles, and captures of older ones, go
        [inputs["day1"], inputs["pages"], inputs["day2"]],  # another order of the same inputs
        [inputs["day1"], inputs["day1"], inputs["day2"]],  # the same file twice counts twice, as without memo
    ]
    for number, step in enumerate(steps):
        assert _build(tmp_path, f"memo{number}", step, cache, workers=2) == _build(tmp_path, f"full{number}", step)
    lines = inputs["day1"].read_text().splitlines(keepends=True)
    lines[4] = lines[4].replace("peace", "the peace")  # one capture edited: its unit is read again
    inputs["day1"].write_text("".join(lines))
    (inputs["pages"] / "naenara_credit.txt").unlink()
    (inputs["pages"] / "shape_d_headless.json").write_text(json.dumps({"url": "https://kcnawatch.org/newstream/9-9/x"}))
    step = [inputs["pages"], inputs["day1"], inputs["day2"]]
    assert _build(tmp_path, "memo-edited", step, cache) == _build(tmp_path, "full-edited", step)


def test_a_memo_tampered_with_is_not_trusted(inputs, tmp_path, parses):
    cache = tmp_path / "cache"
    step = [inputs["pages"], inputs["day1"]]
    full = _build(tmp_path, "full", step)
    everything = len(parses)
    _build(tmp_path, "warm", step, cache)
    memo = _memo_folder(cache)
    for segment in (memo / "segments").iterdir():
        shutil.rmtree(segment)
    parses.clear()
    assert _build(tmp_path, "no-segments", step, cache) == full
    assert len(parses) == everything  # parsed again, as without memo
    (memo / "CURRENT").write_text("state-999999")
    assert _build(tmp_path, "no-state", step, cache) == full
    state = memo / (memo / "CURRENT").read_text()
    (state / "articles-00000.parquet").rename(state / "moved.parquet")
    assert _build(tmp_path, "no-articles", step, cache) == full
    state = memo / (memo / "CURRENT").read_text()
    pq.write_table(pq.read_table(state / "units.parquet").drop_columns(["stat"]), state / "units.parquet")
    assert _build(tmp_path, "other-format", step, cache) == full  # a state of another shape is not read


def test_what_the_memo_keeps_is_exactly_what_the_last_build_used(inputs, tmp_path):
    cache = tmp_path / "cache"
    _build(tmp_path, "one", [inputs["pages"], inputs["day1"]], cache)
    _build(tmp_path, "two", [inputs["pages"], inputs["day2"]], cache)
    memo = _memo_folder(cache)
    assert [path.name for path in memo.glob("state-*")] == [(memo / "CURRENT").read_text()]
    assert len(list((memo / "segments").iterdir())) == 2  # the pages' segment and day2's; day1's is gone


def test_a_failed_build_leaves_the_memo_as_it_was(inputs, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    step = [inputs["pages"], inputs["day1"], inputs["day2"]]
    _build(tmp_path, "first", [inputs["pages"], inputs["day1"]], cache)
    memo = _memo_folder(cache)
    before = sorted(path.relative_to(memo).as_posix() for path in memo.rglob("*"))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "write_config", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _build(tmp_path, "killed", step, cache)
    assert sorted(path.relative_to(memo).as_posix() for path in memo.rglob("*")) == before
    monkeypatch.undo()
    assert _build(tmp_path, "after", step, cache) == _build(tmp_path, "full", step)


def test_a_memo_in_use_by_another_build_is_a_clear_error(inputs, tmp_path):
    cache = tmp_path / "cache"
    BuildMemo(cache).close()
    with open(_memo_folder(cache) / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(BuildError, match="another build is using the cache folder .*--no-cache"):
            _build(tmp_path, "busy", [inputs["day1"]], cache)
    assert not list((tmp_path / "busy").glob("v*"))


def test_unit_keys_follow_names_and_bytes(inputs, tmp_path):
    keys = {unit.name: unit_key(unit) for unit in locate_units([inputs["pages"], inputs["day1"]])}
    assert all(keys.values()) and len(set(keys.values())) == len(keys)
    (inputs["pages"] / "naenara_credit.json").write_text(json.dumps({"url": "https://kcnawatch.org/newstream/2-2/n"}))
    (inputs["pages"] / "cut_in_body.txt").write_text("changed")
    again = {unit.name: unit_key(unit) for unit in locate_units([inputs["pages"], inputs["day1"]])}
    changed = {name for name in keys if keys[name] != again[name]}
    assert changed == {"pages/naenara_credit.txt", "pages/cut_in_body.txt"}
    (inputs["pages"] / "broken.json").symlink_to(tmp_path / "missing")
    (inputs["pages"] / "broken.txt").write_text("x")
    assert {unit.name: unit_key(unit) for unit in locate_units([inputs["pages"]])}["pages/broken.txt"] is None


def test_units_the_file_system_says_are_unchanged_are_not_read_again(inputs, tmp_path, monkeypatch):
    monkeypatch.setattr(memo_module, "SETTLED_SECONDS", 0.0)  # the files were written a moment ago
    hashed = []
    real = memo_module.unit_key
    monkeypatch.setattr(memo_module, "unit_key", lambda unit: hashed.append(unit.name) or real(unit))
    cache = tmp_path / "cache"
    step = [inputs["pages"], inputs["day1"]]
    _build(tmp_path, "first", step, cache)
    assert len(hashed) == 11  # ten .txt captures and the JSON-lines file
    hashed.clear()
    _build(tmp_path, "second", step, cache)
    assert hashed == []
    day1 = inputs["day1"]
    before = day1.stat()
    day1.write_text(day1.read_text().replace("Report 1", "Rep0rt 1"))  # same size, and the old modification time
    os.utime(day1, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert day1.stat().st_size == before.st_size
    assert _build(tmp_path, "edited", step, cache) == _build(tmp_path, "full", step)
    assert hashed == ["day1.jsonl"]  # its change time moved: read again


def test_files_changed_a_moment_ago_are_hashed(inputs):
    unit = next(iter(locate_units([inputs["day1"]])))
    assert memo_module.file_stats(unit) is None  # within SETTLED_SECONDS of its last change


def test_releases_built_from_the_memo_store_the_diff_a_full_comparison_gives(inputs, tmp_path, monkeypatch):
    """The memo tells the diff which articles can differ from the previous release; where the previous release's
    files are the ones the memo's last build wrote, only those are compared, and the stored diff is the full one."""
    narrowed = []
    real = versioning.KnownRows.hold_for
    monkeypatch.setattr(
        versioning.KnownRows, "hold_for", lambda self, files: narrowed.append(real(self, files)) or narrowed[-1]
    )
    cache, releases = tmp_path / "cache", tmp_path / "releases"
    releases.mkdir()
    lines = inputs["day1"].read_text().splitlines(keepends=True)
    edited = tmp_path / "edited" / "day1.jsonl"
    edited.parent.mkdir()
    edited.write_text("".join(lines[:4] + [lines[4].replace("peace", "the peace"), lines[5]] + lines[7:]))
    steps = [
        [inputs["pages"], inputs["day1"]],
        [inputs["pages"], inputs["day1"], inputs["day2"]],  # articles added, and some of them changed
        [inputs["pages"], edited, inputs["day2"]],  # an article changed, one gone
    ]
    built = [
        build_release(BuildRequest(step, releases, cache_folder=cache, released="2026-01-01")).path for step in steps
    ]
    assert narrowed == [True, True]
    for old, new in itertools.pairwise(built):
        stored = json.loads((new / "diff.json").read_text())
        assert stored == {**diff_releases(old, new, stored["metadata_changed"]).to_json(), "to": stored["to"]}
        assert stored["configs"]["articles"]["changed"]
        assert verify_release(new) == []  # and the rows kept aside for the diff are not left in the release
    assert json.loads((built[2] / "diff.json").read_text())["configs"]["articles"]["removed"]

    copied = tmp_path / "copied"
    shutil.copytree(releases, copied, ignore=shutil.ignore_patterns(".build.lock"))
    newest = build_release(
        BuildRequest([inputs["day2"], inputs["pages"]], copied, cache_folder=cache, released="2026-01-01")
    ).path
    assert narrowed[-1] is False  # the previous release is a copy, not the memo's files: compared whole
    assert verify_release(newest) == []
