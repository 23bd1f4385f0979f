import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES, REPO, SEED_URL

from builder.publish.release import build_release
from builder.publish.releases import ReleaseNotFound, find_release, latest_release, list_releases
from builder.publish.request import BuildError, BuildRequest, InterruptedAfterPublishing
from builder.publish.verify import rebuild_differences, verify_release


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_release_folder_layout_and_seed_article(raw_copy, releases):
    release = build_release(BuildRequest([raw_copy], releases, version="0.1.0")).path
    assert sorted(_files(release)) == [
        "CITATION.cff",
        "README.md",
        "SHA256SUMS",
        "articles/train-00000-of-00001.parquet",
        "build_report.json",
        "croissant.json",
        "diff.json",
        "links/train-00000-of-00001.parquet",
        "schema.json",
        "teasers/train-00000-of-00001.parquet",
        "timeline.svg",
    ]
    articles = pq.read_table(release / "articles/train-00000-of-00001.parquet").to_pylist()
    assert len(articles) == 1
    article = articles[0]
    assert article["id"] == "1726219951-297800155"
    assert article["url"] == SEED_URL
    assert article["title"].startswith("Press Statement by Spokesperson for Institute")
    assert str(article["date"]) == "2024-09-13"
    assert article["source"] == "Ministry of Foreign Affairs (EN)"
    assert article["body"].count("\n\n") == 12
    assert article["captures"] == 1 and article["complete"]
    teasers = pq.read_table(release / "teasers/train-00000-of-00001.parquet").to_pylist()
    assert len(teasers) == 20
    assert all(t["seen_on"] == ["1726219951-297800155"] for t in teasers)
    report = json.loads((release / "build_report.json").read_text())
    assert report["counts"]["captures_read"] == 1 and report["rejected"] == []


def test_latest_committed_release_is_reproduced_byte_for_byte(raw_copy):
    committed = list_releases(REPO / "releases")[-1]
    assert rebuild_differences(committed, [raw_copy]) == []


def test_rebuild_names_every_file_that_differs(raw_copy, releases):
    release = build_release(BuildRequest([raw_copy], releases, version="0.1.0")).path
    (raw_copy / "000_bc1de7ad9c5001b1.txt").write_text(
        (raw_copy / "000_bc1de7ad9c5001b1.txt").read_text().replace("vassal forces", "allied forces")
    )
    problems = rebuild_differences(release, [raw_copy])
    assert any("v0.1.0/articles/train-00000-of-00001.parquet: the rebuild from" in problem for problem in problems)
    assert any("SHA256SUMS" in problem for problem in problems)


def test_same_inputs_give_identical_files(raw_copy, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir(), second.mkdir()
    inputs = [raw_copy, FIXTURES]
    assert _files(build_release(BuildRequest(inputs, first, version="1.0.0")).path) == _files(
        build_release(BuildRequest(inputs, second, version="1.0.0")).path
    )


def test_existing_release_is_never_overwritten(raw_copy, releases):
    release = build_release(BuildRequest([raw_copy], releases, version="0.1.0")).path
    before = _files(release)
    shutil.copy(FIXTURES / "naenara_credit.txt", raw_copy / "new.txt")
    with pytest.raises(BuildError, match="not greater than the latest release 0.1.0"):
        build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    with pytest.raises(BuildError, match="already exists"):
        build_release(BuildRequest([raw_copy], releases, version="0.1.0", previous=None))
    assert _files(release) == before


def test_checksums_cover_every_other_file(raw_copy, releases):
    release = build_release(BuildRequest([raw_copy], releases, version="0.1.0")).path
    listed = [line.split("  ")[1] for line in (release / "SHA256SUMS").read_text().splitlines()]
    assert listed == sorted(name for name in _files(release) if name != "SHA256SUMS")


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "../x", "1.0.0/../../etc", "01.0.0"])
def test_bad_versions_refused(raw_copy, releases, version):
    with pytest.raises(BuildError, match="not of the form"):
        build_release(BuildRequest([raw_copy], releases, version=version))
    assert list(releases.iterdir()) == []


def test_missing_releases_folder_is_a_clear_error(raw_copy, tmp_path):
    with pytest.raises(BuildError, match="does not exist"):
        build_release(BuildRequest([raw_copy], tmp_path / "nowhere", version="0.1.0"))


def test_failed_build_leaves_no_release(raw_copy, releases, tmp_path):
    bad_template = tmp_path / "card.md"
    bad_template.write_text("{{ no_such_figure }}")
    with pytest.raises(KeyError):
        build_release(BuildRequest([raw_copy], releases, version="0.1.0", card_template=bad_template))
    assert [p.name for p in releases.iterdir() if not p.name.endswith(".lock")] == []
    build_release(BuildRequest([raw_copy], releases, version="0.1.0"))  # the next build needs no clean-up
    assert (releases / "v0.1.0" / "SHA256SUMS").is_file()


def test_strict_refuses_a_build_with_rejects(raw_copy, releases):
    (raw_copy / "empty.txt").write_text("")
    with pytest.raises(BuildError, match="--strict.*empty: 1"):
        build_release(BuildRequest([raw_copy], releases, version="0.1.0", strict=True))
    assert not (releases / "v0.1.0").exists()


def test_rejects_are_reported_with_input_reason_and_detail(raw_copy, releases):
    (raw_copy / "empty.txt").write_text("")
    (raw_copy / "headless.txt").write_text((FIXTURES / "shape_d_headless.txt").read_text())
    report = build_release(BuildRequest([raw_copy], releases, version="0.1.0")).report
    assert [(r["input"], r["reason"]) for r in report["rejected"]] == [
        ("raw/empty.txt", "empty"),
        ("raw/headless.txt", "headless_no_url"),
    ]
    assert all(r["detail"] for r in report["rejected"])
    assert report["rejected_by_reason"] == {"empty": 1, "headless_no_url": 1}
    assert report["counts"]["articles"] == 1


def test_schema_failure_names_the_capture_and_writes_nothing(tmp_path, releases):
    raw = tmp_path / "in"
    raw.mkdir()
    # A body made only of text that the furniture check forbids, placed where the parser keeps it.
    (raw / "odd.txt").write_text(
        "A Title\nDate: 13/09/2024 | Source: KCNA.kp (En) | Read original version at source\n"
        "See Read original version at source below.\n"
    )
    with pytest.raises(BuildError) as caught:
        build_release(BuildRequest([raw], releases, version="0.1.0"))
    message = str(caught.value)
    assert "in/odd.txt" in message and "no_page_furniture" in message and "body" in message
    assert not (releases / "v0.1.0").exists()
    assert not any(p.name.endswith(".partial") for p in releases.iterdir())


def test_release_files_do_not_depend_on_the_working_directory(raw_copy, tmp_path, monkeypatch):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    monkeypatch.chdir(tmp_path)
    first = _files(build_release(BuildRequest([Path("raw")], Path("one"), version="0.1.0")).path)
    monkeypatch.chdir(os.sep)
    second = _files(build_release(BuildRequest([raw_copy], two, version="0.1.0")).path)
    assert first == second


def test_a_signal_while_the_release_is_put_in_place_waits_until_it_is_whole(raw_copy, releases, ctrl_c_after_rename):
    """Ctrl-C between the rename and the read-only bits would leave a published release half-finished, and the
    user told that nothing was written."""
    with pytest.raises(InterruptedAfterPublishing) as caught:
        build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    release = caught.value.release
    assert release == releases / "v0.1.0"
    assert not (release / "README.md").stat().st_mode & 0o222
    assert verify_release(release) == [] and not (releases / ".build.partial").exists()


def test_a_release_that_cannot_be_made_read_only_is_reported_as_published(raw_copy, releases, monkeypatch):
    """After the rename the release is there whole: a failure then must not say that no release was written."""

    def refused(path, mode):
        raise PermissionError(1, "Operation not permitted", str(path))

    monkeypatch.setattr(Path, "chmod", refused)
    with pytest.raises(
        BuildError, match=r"published .*v0\.1\.0, but could not finish it \(Operation not permitted"
    ) as caught:
        build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    assert "no release written" not in str(caught.value)
    monkeypatch.undo()
    assert verify_release(releases / "v0.1.0") == [] and not (releases / ".build.partial").exists()


def test_inputs_that_give_no_article_publish_nothing(raw_copy, releases, tmp_path):
    """A release of nothing is a mistake: a folder of files that are no captures, or captures that are all
    unusable. After an earlier release it would remove every record."""
    build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    no_captures = tmp_path / "lines"
    no_captures.mkdir()
    (no_captures / "notes.rtf").write_text("what I crawled")
    (no_captures / "orphan.json").write_text(json.dumps({"url": SEED_URL}))
    with pytest.raises(BuildError, match=r"no capture found \(not_a_capture_format: 1; sidecar_without_capture: 1\)"):
        build_release(BuildRequest([no_captures], releases))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "empty.txt").write_text("")
    (broken / "html.txt").write_text("<!DOCTYPE html><html></html>")
    with pytest.raises(BuildError, match=r"2 capture\(s\) read, none used \(empty: 1; html_page: 1\)"):
        build_release(BuildRequest([broken], releases))
    assert sorted(p.name for p in releases.iterdir() if p.name.startswith("v")) == ["v0.1.0"]
    assert not (releases / ".build.partial").exists()


def test_build_release_refreshes_the_index_and_the_citation_as_the_cli_does(raw_copy, releases, tmp_path):
    citation = tmp_path / "CITATION.cff"
    result = build_release(BuildRequest([raw_copy], releases, version="0.1.0", citation=citation))
    assert "| v0.1.0 |" in (releases / "README.md").read_text()
    assert "version: 0.1.0" in citation.read_text()
    assert (
        find_release("0.1.0", releases) == find_release("v0.1.0", releases) == latest_release(releases) == result.path
    )
    with pytest.raises(ReleaseNotFound, match="no release v9.9.9 in"):
        find_release("9.9.9", releases)
    with pytest.raises(ReleaseNotFound, match="is not a release folder"):
        find_release(str(tmp_path / "nothing"), releases)


def test_a_capture_whose_sidecar_names_another_site_keeps_that_url_as_its_capture_url(raw_copy, releases):
    """The `url` column holds KCNA Watch URLs; a capture's other URL (its publisher's page, say) is its
    `capture_url`. (Such a URL used to fill `url` and fail the whole build.)"""
    elsewhere = "http://www.kcna.kp/en/article/q/4a5f0d3e6b9c1a2f.kcmsf"
    (raw_copy / "000_bc1de7ad9c5001b1.json").write_text(json.dumps({"url": elsewhere}))
    release = build_release(BuildRequest([raw_copy], releases, version="0.1.0")).path
    [row] = pq.read_table(release / "articles/train-00000-of-00001.parquet").to_pylist()
    assert row["url"] is None and row["newstream_id"] is None and row["id"].startswith("c")
    assert row["capture_url"] == elsewhere and row["input_form"] == "text" and row["origin"] == "KCNA Watch"
