"""Bad input and faults through whole builds: every input answered, nothing half-written, hostile text inert."""

import codecs
import errno
import fcntl
import gzip
import json
import os
import shutil

import pyarrow.parquet as pq
import pytest
import yaml
from conftest import FIXTURES
from huggingface_hub import DatasetCard

from builder.publish.release import build_release
from builder.publish.request import BuildError, BuildRequest

GOOD = (FIXTURES / "naenara_credit.txt").read_text()


def _page(title="A Title", date="13/09/2024", source="KCNA.kp (En)", body="Body text."):
    return f"{title}\nDate: {date} | Source: {source} | Read original version at source\n{body}\nMore Articles"


def test_every_bad_input_gets_an_answer(tmp_path, releases):
    raw = tmp_path / "raw"
    raw.mkdir()
    cases = {
        "empty.txt": (b"", "empty"),
        "blank.txt": (b" \n\t\n", "empty"),
        "binary.txt": (bytes(range(256)) * 8, "binary"),
        "nul.txt": (b"Title\x00\x00", "binary"),
        "page.txt": (b"<!DOCTYPE html><html><body>x</body></html>", "html_page"),
        "impossible.txt": (_page(date="31/02/2024").encode(), "bad_date"),
        "early.txt": (_page(date="01/01/1900").encode(), "date_out_of_range"),
        "future.txt": (_page(date="01/01/2999").encode(), "date_out_of_range"),
        "nosource.txt": (b"A Title\nDate: 13/09/2024 | Read original version at source\nBody.", "bad_date_line"),
        "notitle.txt": (
            b"Date: 13/09/2024 | Source: KCNA.kp (En) | Read original version at source\nBody.",
            "no_title",
        ),
        "nobody.txt": (_page(body="").encode(), "no_body"),
        "furniture.txt": (_page(body="Share Button\nNK News is hiring").encode(), "no_body"),
        "headless.txt": (b"Just a body with no header.", "headless_no_url"),
    }
    for name, (data, _) in cases.items():
        (raw / name).write_bytes(data)
    good = {
        "bom.txt": codecs.BOM_UTF8 + GOOD.encode(),
        "utf16.txt": _page(title="Sixteen").encode("utf-16"),
        "cp949.txt": _page(title="조선 기사", source="KCNA.kp (Kor)", body="조선중앙통신사 보도").encode("cp949"),
        "cp1252.txt": _page(title="People’s Day").encode("cp1252"),
        "mojibake.txt": _page(title="Workersâ€™ Day").encode("utf-8"),
        "crlf.txt": _page(title="Crlf").replace("\n", "\r\n").encode(),
        "cr.txt": _page(title="Cr").replace("\n", "\r").encode(),
    }
    for name, data in good.items():
        (raw / name).write_bytes(data)
    lines = raw.parent / "lines.jsonl"
    lines.write_text(
        "\n".join([json.dumps({"text": _page(title="From JSON")}), "{oops", json.dumps({"url": "x"})]) + "\n"
    )
    result = build_release(BuildRequest([raw, lines], releases, version="0.1.0"))
    got = {r["input"]: r["reason"] for r in result.report["rejected"]}
    assert got == {
        **{f"raw/{name}": reason for name, (_, reason) in cases.items()},
        "lines.jsonl:2": "bad_json",
        "lines.jsonl:3": "bad_json",
    }
    counts = result.report["counts"]
    assert counts["captures_read"] == len(cases) + len(good) + 3
    assert counts["articles"] + counts["captures_merged"] + counts["rejected"] == counts["captures_read"]
    assert result.report["encodings"] == {"cp1252": 1, "cp949": 1, "utf-16": 1, "utf-8": 5, "utf-8-sig": 1}
    assert result.report["repairs"]["mojibake"] == 1
    card = (result.path / "README.md").read_text()
    assert "| bad\\_date | 1 |" in card and "| empty | 2 |" in card


def test_strict_prints_reasons_and_writes_nothing(tmp_path, releases):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(GOOD)
    (raw / "b.txt").write_text("")
    with pytest.raises(BuildError, match="--strict: 1 capture.*empty: 1"):
        build_release(BuildRequest([raw], releases, version="0.1.0", strict=True))
    assert [p.name for p in releases.iterdir()] == []


def test_read_only_releases_folder_is_refused_before_any_work(raw_copy, releases):
    releases.chmod(0o555)
    try:
        with pytest.raises(BuildError, match="is read-only"):
            build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    finally:
        releases.chmod(0o755)
    assert list(releases.iterdir()) == []


def test_out_of_disk_space_leaves_no_release_and_the_next_build_works(raw_copy, releases, monkeypatch):
    build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    before = sorted(p.read_bytes() for p in (releases / "v0.1.0").rglob("*") if p.is_file())
    shutil.copy(FIXTURES / "shape_a_kcna.txt", raw_copy / "new.txt")
    import builder.publish.release_files as release_files

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "releases/.build.partial/croissant.json")

    monkeypatch.setattr(release_files, "croissant", full_disk)
    with pytest.raises(BuildError, match="No space left on device"):
        build_release(BuildRequest([raw_copy], releases))
    assert sorted(p.name for p in releases.iterdir()) == ["README.md", "v0.1.0"]  # README.md: the index
    assert sorted(p.read_bytes() for p in (releases / "v0.1.0").rglob("*") if p.is_file()) == before
    monkeypatch.undo()
    assert build_release(BuildRequest([raw_copy], releases)).path.name == "v0.2.0"


def test_a_second_build_while_one_runs_fails_clearly(raw_copy, releases):
    held = os.open(releases, os.O_RDONLY)  # the lock is on the releases folder itself
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(BuildError, match="another build is running"):
            build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    finally:
        os.close(held)
    assert build_release(BuildRequest([raw_copy], releases, version="0.1.0")).path.is_dir()


def test_published_release_is_read_only(raw_copy, releases):
    release = build_release(BuildRequest([raw_copy], releases, version="0.1.0")).path
    assert all(not p.stat().st_mode & 0o222 for p in [release, *release.rglob("*")])


@pytest.mark.parametrize("version", ["../x", "/etc/x", "v1.0.0/../../etc", "1.0.0/../../etc", "1.0.0\n", " 1.0.0"])
def test_hostile_versions_are_refused(raw_copy, releases, version):
    with pytest.raises(BuildError, match="not of the form X.Y.Z"):
        build_release(BuildRequest([raw_copy], releases, version=version))
    assert list(releases.iterdir()) == []


def test_hostile_text_cannot_change_the_card(tmp_path, releases):
    raw = tmp_path / "raw"
    raw.mkdir()
    hostile = ["--- x", "<script>alert(1)</script>", "{{ version }} {{ bibtex }}", "a: # b", "| pipe | [l](http://x)"]
    for number, label in enumerate(hostile):
        (raw / f"{number}.txt").write_text(_page(title=f"--- {label}", source=label, body=f"{label} body."))
    release = build_release(BuildRequest([raw], releases, version="0.1.0")).path
    text = (release / "README.md").read_text()
    meta = DatasetCard.load(release / "README.md").data.to_dict()
    assert set(meta) == {
        "pretty_name",
        "license",
        "license_name",
        "license_link",
        "language",
        "size_categories",
        "task_categories",
        "tags",
        "configs",
        "dataset_info",
    }
    assert meta["dataset_info"][0]["splits"][0]["num_examples"] == 5
    front = text.split("---\n", 2)[1]
    assert yaml.safe_load(front) == meta
    assert "<script>" not in text and "{{" not in text.split("```bibtex")[0]
    shown = [line for line in text.splitlines() if "alert(1)" in line]  # the tables by source, the example record
    assert "| &lt;script&gt;alert(1)&lt;/script&gt; | &lt;script&gt;alert(1)&lt;/script&gt; | — | 1 |" in shown
    assert all("&lt;script&gt;alert(1)&lt;/script&gt;" in line for line in shown)
    assert any(line.startswith("| \\| pipe \\| \\[l\\](http://x) |") for line in text.splitlines())


def test_two_articles_whose_fields_join_alike_keep_ids_of_their_own(tmp_path, releases):
    """Without URLs, an article's id hashes its source, date, title and body joined with `\\x1f`: a title ending
    in `\\x1fBeta` and a body starting with `Beta\\x1f` gave two articles one id, and the build failed."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(_page(title="Alpha\x1fBeta", body="Gamma body text."))
    (raw / "b.txt").write_text(_page(title="Alpha", body="Beta\x1fGamma body text."))
    release = build_release(BuildRequest([raw], releases, version="0.1.0")).path
    rows = pq.read_table(release / "articles/train-00000-of-00001.parquet", columns=["id", "title"]).to_pylist()
    assert sorted(row["title"] for row in rows) == ["Alpha", "Alpha\x1fBeta"]
    assert len({row["id"] for row in rows}) == 2


def test_gzip_jsonl_input_builds(tmp_path, releases):
    path = tmp_path / "captures.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps({"text": GOOD}) + "\n").encode()))
    result = build_release(BuildRequest([path], releases, version="0.1.0"))
    assert result.report["counts"]["articles"] == 1 and result.report["inputs"] == ["captures.jsonl.gz"]


def test_a_merge_that_runs_out_of_disk_leaves_no_release(raw_copy, releases, monkeypatch):
    import duckdb

    import builder.merge.database as merge_module

    real_connect = duckdb.connect

    class FullDisk:
        def __init__(self, *args, **kwargs):
            self._db = real_connect()

        def execute(self, query, *args):
            if query.startswith("CREATE TABLE to_merge"):
                raise duckdb.IOException('Could not write file "duckdb-tmp/x.block": No space left on device')
            return self._db.execute(query, *args)

        def __getattr__(self, name):
            return getattr(self._db, name)

    monkeypatch.setattr(merge_module.duckdb, "connect", FullDisk)
    with pytest.raises(BuildError) as caught:
        build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    message = str(caught.value)
    assert "No space left on device" in message and "free disk space" in message and "no release written" in message
    assert sorted(p.name for p in releases.iterdir()) == []
