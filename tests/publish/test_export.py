import csv
import json
import sqlite3

import pyarrow.parquet as pq
import pytest
from conftest import REPO
from typer.testing import CliRunner

from builder.cli import app
from builder.publish.export import ExportError, export_release

RELEASE = REPO / "releases" / "v0.4.2"


def _articles():
    return pq.read_table(RELEASE / "data" / "articles-00000-of-00001.parquet").to_pylist()


def test_sqlite_has_a_table_a_config_and_full_text_search_over_title_and_body(tmp_path):
    counts = export_release(RELEASE, "sqlite", tmp_path / "corpus.db")
    assert counts == {"articles": 1, "teasers": 20, "links": 0}
    connection = sqlite3.connect(tmp_path / "corpus.db")
    found = connection.execute(
        "SELECT a.id, a.date, a.capture_sha256s FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
        "WHERE articles_fts MATCH 'strategic axis'"
    ).fetchall()
    article = _articles()[0]
    assert found == [(article["id"], article["date"].isoformat(), json.dumps(article["capture_sha256s"]))]
    assert connection.execute(
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'title:statement'"
    ).fetchone() == (1,)
    assert connection.execute("SELECT count(*) FROM teasers").fetchone() == (20,)
    assert dict(connection.execute("SELECT key, value FROM release").fetchall())["version"] == "0.4.2"


def test_csv_and_jsonl_keep_every_value(tmp_path):
    export_release(RELEASE, "csv", tmp_path / "csv")
    export_release(RELEASE, "jsonl", tmp_path / "jsonl")
    article = _articles()[0]
    (row,) = csv.DictReader((tmp_path / "csv" / "articles.csv").open(encoding="utf-8"))
    assert row["body"] == article["body"] and row["complete"] == "true" and row["credit"] == ""
    assert json.loads(row["capture_sha256s"]) == article["capture_sha256s"]
    (line,) = (tmp_path / "jsonl" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["body"] == article["body"] and record["date"] == article["date"].isoformat()
    assert record["capture_sha256s"] == article["capture_sha256s"] and record["credit"] is None
    assert (tmp_path / "csv" / "links.csv").read_text() == "id,linked_id,relation,score,method\n"


def test_an_existing_target_is_never_overwritten_and_the_cli_says_so(tmp_path):
    (tmp_path / "corpus.db").write_text("mine")
    with pytest.raises(ExportError, match="exists already"):
        export_release(RELEASE, "sqlite", tmp_path / "corpus.db")
    assert (tmp_path / "corpus.db").read_text() == "mine"
    runner = CliRunner()
    args = ["export", "0.4.2", "--releases", str(REPO / "releases"), "--format", "JSONL", "--output"]
    result = runner.invoke(app, [*args, str(tmp_path / "out")])
    assert result.exit_code == 0 and "articles 1, teasers 20, links 0" in result.output
    again = runner.invoke(app, [*args, str(tmp_path / "out")])
    assert again.exit_code == 1 and "exists already" in again.output
