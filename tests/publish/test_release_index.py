import shutil

import yaml
from conftest import FIXTURES, REPO

from builder.publish.release import build_release
from builder.publish.release_index import release_citation, render_index, write_index
from builder.publish.releases import list_releases
from builder.publish.request import BuildRequest


def test_index_lists_every_release_newest_first_with_files_and_why(raw_copy, releases, tmp_path):
    build_release(BuildRequest([raw_copy], releases, version="0.1.0"))
    shutil.copy(FIXTURES / "naenara_credit.txt", raw_copy / "n.txt")
    build_release(BuildRequest([raw_copy], releases))
    citation = tmp_path / "CITATION.cff"
    write_index(releases, citation)
    index = (releases / "README.md").read_text()
    rows = [line for line in index.splitlines() if line.startswith("| v0")]
    assert [row.split(" | ")[0] for row in rows] == ["| v0.2.0", "| v0.1.0"]
    assert "| minor | articles: records added: 1" in rows[0]
    assert "[articles/train-00000-of-00001.parquet](v0.2.0/articles/train-00000-of-00001.parquet) `" in rows[0]
    assert "[README.md](v0.2.0/README.md)" in rows[0]
    assert yaml.safe_load(citation.read_text())["version"] == "0.2.0"
    assert render_index(releases) == index


def test_the_repository_files_point_at_its_latest_release():
    """What `build` regenerates is committed as it would regenerate it: the top-level CITATION.cff cites the latest
    release, and releases/README.md lists every one."""
    latest = list_releases(REPO / "releases")[-1]
    assert (REPO / "CITATION.cff").read_text(encoding="utf-8") == release_citation(latest).cff()
    assert (REPO / "releases" / "README.md").read_text(encoding="utf-8") == render_index(REPO / "releases")
