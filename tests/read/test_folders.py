"""Every file below an input folder is read or named with a reason: nothing is skipped without a word."""

import json

import pytest
from conftest import SEED, SEED_URL

from builder.publish.release import build_release
from builder.publish.request import BuildError, BuildRequest
from builder.read import Pending, locate_units, read_inputs
from builder.records import Capture, Rejected


@pytest.fixture
def mixed(tmp_path):
    """A folder as a maintainer's crawl leaves it: captures in two formats, and files that are no capture."""
    root = tmp_path / "raw"
    (root / "day").mkdir(parents=True)
    (root / "page.txt").write_bytes(SEED.read_bytes())
    (root / "page.json").write_text(json.dumps({"url": SEED_URL}))
    (root / "day" / "lines.jsonl").write_text(json.dumps({"text": SEED.read_text(), "url": SEED_URL}) + "\n")
    (root / "orphan.json").write_text(json.dumps({"url": SEED_URL}))
    (root / "notes.md").write_text("what I crawled")
    (root / ".DS_Store").write_bytes(b"\0\1")
    (root / "image.png").write_bytes(b"\x89PNG")
    return root


def test_every_file_is_a_unit_and_the_ones_no_reader_reads_say_why(mixed):
    units = {unit.name: unit for unit in locate_units([mixed])}
    assert sorted(units) == [
        "raw/.DS_Store",
        "raw/day/lines.jsonl",
        "raw/image.png",
        "raw/notes.md",
        "raw/orphan.json",
        "raw/page.txt",
    ]  # page.json goes with page.txt
    reasons = {name: unit.item.reason for name, unit in units.items() if isinstance(unit.item, Rejected)}
    assert reasons == {
        "raw/.DS_Store": "not_a_capture_format",
        "raw/image.png": "not_a_capture_format",
        "raw/orphan.json": "sidecar_without_capture",
    }
    assert not any(units[name].capture for name in reasons)
    assert isinstance(units["raw/page.txt"].item, Pending) and units["raw/day/lines.jsonl"].item is None


def test_a_jsonl_file_in_a_folder_is_read_with_its_path_in_the_names(mixed):
    read = [item for item in read_inputs([mixed]) if isinstance(item, Capture)]
    assert [item.input for item in read] == ["raw/day/lines.jsonl:1", "raw/page.txt"]


def test_the_build_report_names_every_file_not_read_and_strict_refuses_them(mixed, releases):
    result = build_release(BuildRequest([mixed], releases, version="0.1.0"))
    report = result.report
    not_read = {reject["input"]: reject["reason"] for reject in report["rejected"]}
    assert not_read == {
        "raw/.DS_Store": "not_a_capture_format",
        "raw/image.png": "not_a_capture_format",
        "raw/notes.md": "not_a_capture_format",
        "raw/orphan.json": "sidecar_without_capture",
    }
    # notes.md is opened to see whether it is Jina text, so it counts as read; the other three are no captures
    assert report["counts"]["captures_read"] == 3 and report["counts"]["rejected"] == 4
    assert report["counts"]["articles"] == 1 and report["counts"]["captures_merged"] == 1
    with pytest.raises(BuildError, match=r"--strict: 4 capture\(s\) not used.*not_a_capture_format: 3"):
        build_release(BuildRequest([mixed], releases, version="0.2.0", strict=True))
