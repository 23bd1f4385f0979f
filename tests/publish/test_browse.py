"""`dprk-corpus serve` answers over HTTP: full-text search and facets of an exported release, read-only."""

import importlib.util
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

from builder.publish.browse import metadata
from builder.publish.export import export_release

pytestmark = pytest.mark.skipif(importlib.util.find_spec("datasette") is None, reason="Datasette is not installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def served(tmp_path):
    database = tmp_path / "corpus.db"
    export_release(REPO / "releases" / "v0.4.2", "sqlite", database)
    port = _free_port()
    command = [str(Path(sys.executable).parent / "dprk-corpus"), "serve", str(database), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}/corpus"
    try:
        for _ in range(100):
            try:
                _get(f"{base}.json")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_search_and_facets_over_http(served):
    found = _get(f"{served}/articles.json?_search=disarmament&_shape=array")
    assert [row["id"] for row in found] == ["1726219951-297800155"]
    assert _get(f"{served}/articles.json?_search=nosuchwordanywhere&_shape=array") == []
    facets = _get(f"{served}/articles.json")["facet_results"]
    facets = facets.get("results", facets)  # the shape differs between Datasette versions
    assert {"source", "year", "doc_type"} <= set(facets)
    assert facets["year"]["results"][0]["value"] == 2024


def test_the_database_is_served_read_only(served):
    assert _get(f"{served}.json?sql=" + urllib.request.quote("SELECT count(*) AS n FROM articles"))["rows"] == [[1]]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{served}.json?sql=" + urllib.request.quote("DELETE FROM articles"), timeout=10)
    assert refused.value.code == 400  # only SELECT statements, on a database opened immutable
    assert len(_get(f"{served}/articles.json?_shape=array")) == 1


def test_metadata_names_the_full_text_index_and_facets(tmp_path):
    tables = metadata(tmp_path / "corpus.db")["databases"]["corpus"]["tables"]
    assert tables["articles"]["fts_table"] == "articles_fts" and tables["articles"]["facets"] == [
        "source",
        "year",
        "doc_type",
    ]
