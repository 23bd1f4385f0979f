import datetime as dt
import subprocess
import sys
import threading
import time
from collections import Counter

import duckdb
import pyarrow
import pytest
from conftest import SEED_URL, extract, fixture_text

import builder.merge.database as merge_module
from builder.bodystore import BodyStore
from builder.extract.capture import stash_body
from builder.merge.articles import article_body
from builder.merge.capture_index import index_captures
from builder.merge.database import MergeFailure
from builder.merge.database import reported as _reported
from builder.merge.grouping import Merger
from builder.merge.grouping import group_aligned as _group_aligned
from builder.records import Capture

VOC_URL = "https://kcnawatch.org/newstream/1740700000-111/traditional-folk-game"
A_TEXT = fixture_text("shape_a_kcna.txt")


@pytest.fixture
def store(tmp_path):
    store = BodyStore(tmp_path)
    yield store
    store.remove_files()


@pytest.fixture
def merger(store, tmp_path):
    merger = Merger(store, tmp_path / "merge")
    yield merger
    merger.close()


def _finish(merger):
    """The merge's results as lists: (result, articles, teaser rows)."""
    result = merger.finish()
    teasers = [row for batch in result.teaser_batches(1000) for row in batch.to_pylist()]
    return result, list(result.articles()), teasers


def _add(merger, store, name, text, url=None):
    parsed = stash_body(store, extract(Capture(name, text.encode(), url=url)))
    merger.add_indexed(index_captures([parsed]))
    return parsed


def test_headless_capture_merges_into_its_headed_capture_by_key(merger, store):
    _add(merger, store, "b.txt", fixture_text("shape_b_voice_of_korea.txt"), VOC_URL + "/")
    _add(merger, store, "d.txt", fixture_text("shape_d_headless.txt"), VOC_URL.replace(".org", ".app") + "?t=1")
    result, articles, teasers = _finish(merger)
    assert len(articles) == 1 and result.rejected == [] and result.conflicts == []
    article = articles[0]
    assert article.id == "1740700000-111" and len(article.captures) == 2
    assert article.header.page.title == "Traditional Folk Game Popular among Pyongyang Children."
    body = article_body(store, article.body_from, article.header, Counter())
    assert article.body == body  # read in the merge (its capture is headless), carried to the row maker
    assert body.startswith("Children of Pyongyang are enjoying")
    assert "This Winter   " not in body
    teasers = {(t["date"], t["snippet"][:20]): t["seen_on"] for t in teasers}
    assert teasers[(dt.date(2025, 2, 27), "Children of Pyongyan")] == ["1740700000-111"]
    assert teasers[(dt.date(2025, 3, 1), "A delegation of the ")] == ["1740700000-111"]


def test_headless_capture_alone_is_rejected_with_its_key(merger, store):
    _add(merger, store, "d.txt", fixture_text("shape_d_headless.txt"), VOC_URL)
    result, articles, teasers = _finish(merger)
    assert articles == []
    assert [(r.input, r.reason) for r in result.rejected] == [("d.txt", "headless")]
    assert "1740700000-111" in result.rejected[0].detail
    assert teasers == [] and result.teasers_without_article == 2


def test_whole_body_wins_over_a_cut_one_and_agreement_is_not_a_conflict(merger, store):
    cut = A_TEXT[: A_TEXT.index("expressed great")]
    _add(merger, store, "cut.txt", cut, "https://kcnawatch.org/newstream/1772300000-5/x")
    _add(merger, store, "whole.txt", A_TEXT, "https://kcnawatch.org/newstream/1772300000-5/x")
    result, articles, teasers = _finish(merger)
    article = articles[0]
    assert article.body_from.input == "whole.txt" and article.body_from.page.complete
    assert result.conflicts == []


def test_disagreeing_bodies_are_reported(merger, store):
    other = A_TEXT.replace("expressed great satisfaction", "expressed deep regret")
    _add(merger, store, "one.txt", A_TEXT, "https://kcnawatch.org/newstream/1772300000-5/x")
    _add(merger, store, "two.txt", other, "https://kcnawatch.org/newstream/1772300000-5/x")
    result, articles, teasers = _finish(merger)
    assert len(articles) == 1
    [conflict] = result.conflicts
    assert conflict["id"] == "1772300000-5"
    chosen = conflict["chosen"]["input"]
    assert [d["input"] for d in conflict["disagreeing"]] == [{"one.txt": "two.txt", "two.txt": "one.txt"}[chosen]]
    assert "differs" in conflict["disagreeing"][0]["why"]


def test_captures_without_url_merge_by_content_and_join_a_keyed_twin(merger, store):
    _add(merger, store, "x.txt", A_TEXT)
    _add(merger, store, "y.txt", A_TEXT)
    _add(merger, store, "z.txt", A_TEXT, "https://kcnawatch.org/newstream/1772300000-5/x")
    _add(merger, store, "seed-like.txt", fixture_text("naenara_credit.txt"))
    result, articles, teasers = _finish(merger)
    ids = sorted(article.id for article in articles)
    assert ids[0] == "1772300000-5" and ids[1].startswith("c") and len(ids[1]) == 17
    keyed = next(a for a in articles if a.id == "1772300000-5")
    assert sorted(seen.input for seen in keyed.captures) == ["x.txt", "y.txt", "z.txt"]
    assert keyed.url == "https://kcnawatch.org/newstream/1772300000-5/x"


def test_articles_are_ordered_by_date_then_id(merger, store):
    _add(merger, store, "a.txt", A_TEXT, "https://kcnawatch.org/newstream/2-2/x")
    _add(merger, store, "b.txt", fixture_text("naenara_credit.txt"), "https://kcnawatch.org/newstream/9-9/x")
    _add(merger, store, "c.txt", fixture_text("shape_c_old_nknews.txt"), "https://kcnawatch.org/newstream/1-1/x")
    result, articles, teasers = _finish(merger)
    assert [a.header.page.date.year for a in articles] == [2018, 2019, 2026]


def test_a_teaser_lists_every_article_that_showed_it_and_keeps_the_least_title(merger, store):
    renamed = A_TEXT.replace("Greetings to Lao President\n\nGreetings to Lao President", "A Greeting\n\nA Greeting")
    _add(merger, store, "one.txt", A_TEXT, "https://kcnawatch.org/newstream/1772300000-5/x")
    _add(merger, store, "two.txt", renamed, "https://kcnawatch.org/newstream/1772300000-6/y")
    _add(merger, store, "copy.txt", A_TEXT, "https://kcnawatch.org/newstream/1772300000-6/y")
    result, articles, teasers = _finish(merger)
    [lao] = [teaser for teaser in teasers if teaser["snippet"].startswith("Kim Jong Un, general secretary")]
    assert lao["title"] == "A Greeting" and lao["seen_on"] == ["1772300000-5", "1772300000-6"]
    assert lao["id"].startswith("t") and len(lao["id"]) == 17
    assert [(t["date"], t["id"]) for t in teasers] == sorted((t["date"], t["id"]) for t in teasers)


@pytest.mark.parametrize(("batch_rows", "stream_rows"), [(1, 8192), (1000, 1), (3, 5)])
def test_teasers_come_out_the_same_however_their_streams_are_cut(
    store, tmp_path, monkeypatch, seed_text, batch_rows, stream_rows
):
    """Teaser batches and DuckDB's batches of (teaser, article) pairs are cut at other places than a teaser's run of
    pairs: the lists come out whole all the same."""

    def merged_teasers(name, rows):
        merger = Merger(store, tmp_path / name)
        _add(merger, store, "seed.txt", seed_text, SEED_URL)
        _add(merger, store, "one.txt", A_TEXT, "https://kcnawatch.org/newstream/1772300000-5/x")
        _add(merger, store, "two.txt", A_TEXT, "https://kcnawatch.org/newstream/1772300000-6/y")
        _add(merger, store, "b.txt", fixture_text("shape_b_voice_of_korea.txt"), VOC_URL)
        _add(merger, store, "c.txt", fixture_text("shape_c_old_nknews.txt"), "https://kcnawatch.org/newstream/1-1/x")
        result = merger.finish()
        batches = list(result.teaser_batches(rows))
        merger.close()
        return batches

    [whole] = merged_teasers("whole", 1000)
    monkeypatch.setattr(merge_module, "STREAM_ROWS", stream_rows)
    batches = merged_teasers("parts", batch_rows)
    assert [batch.num_rows for batch in batches[:-1]] == [batch_rows] * (len(batches) - 1)
    assert pyarrow.Table.from_batches(batches).to_pylist() == whole.to_pylist() and whole.num_rows > 20
    assert any(len(seen_on) == 2 for seen_on in whole.column("seen_on").to_pylist())


def test_close_removes_the_scratch_tables(merger, store, tmp_path):
    _add(merger, store, "one.txt", A_TEXT, "https://kcnawatch.org/newstream/1772300000-5/x")
    _finish(merger)
    assert (tmp_path / "merge").is_dir()
    merger.close()
    assert not (tmp_path / "merge").exists()


def test_group_aligned_chunks_never_split_a_group():
    groups = ["a", "a", "b", "c", "c", "c", "c", "d", "e", "e"]
    batches = [pyarrow.RecordBatch.from_pydict({"article_group": groups[i : i + 3]}) for i in range(0, len(groups), 3)]
    chunks = [batch.column("article_group").to_pylist() for batch in _group_aligned(batches, 3)]
    assert sum(chunks, []) == groups
    starts_of = [chunk[0] for chunk in chunks]
    assert all(chunk[-1] != next_start for chunk, next_start in zip(chunks, starts_of[1:]))


def test_ctrl_c_during_a_duckdb_query_unwinds_as_a_keyboard_interrupt(tmp_path):
    """DuckDB turns the KeyboardInterrupt of Ctrl-C (and of the CLI's SIGTERM handler) into its own error. The query
    is interrupted the way DuckDB's Ctrl-C handler does it (`interrupt()`), until it stops: a real SIGINT that lands
    while DuckDB is not yet running the query is missed by DuckDB, which made this test flaky."""
    connection = duckdb.connect()
    done = threading.Event()

    def interrupt():
        while not done.wait(0.1):
            connection.interrupt()

    threading.Thread(target=interrupt, daemon=True).start()
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt), _reported(tmp_path):
            connection.execute("SELECT count(*) FROM range(10000000000) t(x) WHERE x % 7 = 3").fetchall()
    finally:
        done.set()
    assert time.monotonic() - start < 10  # interrupted: the whole query takes half a minute here


def test_a_duckdb_error_is_a_merge_failure_that_says_what_to_do(tmp_path):
    with pytest.raises(MergeFailure, match="No space left on device.*free disk space"), _reported(tmp_path):
        raise duckdb.IOException("No space left on device")
    with pytest.raises(RuntimeError, match="unrelated"), _reported(tmp_path):
        raise RuntimeError("unrelated")


def test_a_duckdb_error_that_comes_through_an_arrow_stream_is_a_merge_failure(tmp_path):
    """DuckDB's errors while its results stream reach us as pyarrow's (an `OSError`): still a clear failure."""
    with pytest.raises(MergeFailure, match="Out of Memory.*please report it"), _reported(tmp_path):
        raise pyarrow.ArrowIOError("Out of Memory Error: failed to pin block of size 256.0 KiB")


def test_duckdb_draws_no_progress_bar_into_the_build_output(tmp_path):
    """DuckDB draws a progress bar on stdout for each query that takes over two seconds (a million captures' merge
    has a dozen), amid the build's own progress and report. Asked in a process of its own: under pytest, DuckDB
    leaves the bar off by itself."""
    program = (
        "import sys; from pathlib import Path; from builder.merge.database import Database; "
        "db = Database(Path(sys.argv[1]), 1); "
        "print(db.execute(\"SELECT current_setting('enable_progress_bar')\").fetchone()[0])"
    )
    shown = subprocess.run([sys.executable, "-c", program, str(tmp_path)], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


def test_a_body_is_read_in_the_merge_only_when_choosing_needs_it(merger, store):
    """A keyed group whose captures agree needs no body to be chosen: the row maker reads it (once). One without URL
    needs it for its id, and carries it on."""
    _add(merger, store, "a.txt", A_TEXT, "https://kcnawatch.org/newstream/1772300000-5/x")
    _add(merger, store, "n.txt", fixture_text("naenara_credit.txt"))
    _, articles, _ = _finish(merger)
    by_input = {article.body_from.input: article for article in articles}
    assert by_input["a.txt"].body is None
    naenara = by_input["n.txt"]
    assert naenara.id.startswith("c") and naenara.body == store.get(naenara.body_from.body_at)
