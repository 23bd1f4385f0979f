import datetime as dt
import hashlib
from dataclasses import replace

from conftest import extract, fixture_text

from builder.bodystore import BodyStore
from builder.extract.capture import stash_body
from builder.merge.capture_index import SentTeasers, index_captures, teaser_id_of
from builder.merge.index_rows import INDEX_SCHEMA, parsed_from_row
from builder.records import Capture

A_URL = "https://kcnawatch.org/newstream/1772300000-5/x"


def _stashed(tmp_path, *captures):
    store = BodyStore(tmp_path)
    return store, [
        stash_body(store, extract(Capture(name, fixture_text(fixture).encode(), url=url)))
        for name, fixture, url in captures
    ]


def test_each_capture_becomes_one_index_row_that_gives_back_its_facts(tmp_path):
    store, parsed = _stashed(tmp_path, ("a.txt", "shape_a_kcna.txt", A_URL), ("n.txt", "naenara_credit.txt", None))
    indexed = index_captures(parsed)
    rows = indexed.captures.to_pylist()
    assert [row["group_key"][0] for row in rows] == ["k", "c"]  # by URL key, else by content
    assert rows[0]["group_key"] == "k1772300000-5" and rows[0]["content_key"].startswith("c[")
    for row, capture in zip(rows, parsed):
        seen = parsed_from_row(row)  # the capture as it was, but for the paragraphs and teasers it left behind
        assert seen == replace(capture, page=replace(capture.page, paragraphs=[], teasers=[]))
        assert store.get(seen.body_at) == capture.page.body or store.get(seen.body_at) == store.get(capture.body_at)
    assert parsed[1].page.repairs or parsed[0].page.repairs  # a page with repairs comes back with them
    store.remove_files()


def test_every_teaser_on_a_page_is_a_sighting_and_its_text_is_sent_once(tmp_path):
    store, parsed = _stashed(tmp_path, ("a.txt", "shape_a_kcna.txt", A_URL), ("b.txt", "shape_a_kcna.txt", A_URL))
    teasers = parsed[0].page.teasers
    sent = SentTeasers()
    first, second = index_captures(parsed[:1], sent), index_captures(parsed[1:], sent)
    assert first.sightings.num_rows == second.sightings.num_rows == len(teasers)
    assert first.teasers.num_rows == len(teasers) and second.teasers.num_rows == 0  # already sent by this worker
    expected = teaser_id_of(teasers[0].source, teasers[0].snippet, teasers[0].date)
    assert first.sightings.column("teaser_id")[0].as_py() == expected
    assert set(first.sightings.column("group_key").to_pylist()) == {"k1772300000-5"}
    store.remove_files()


def test_teaser_texts_are_sent_once_per_input_unit_and_rows_name_their_unit(tmp_path):
    """A later build may reuse one unit and not the other: each unit's rows must hold the texts of its teasers."""
    store, parsed = _stashed(tmp_path, ("a.txt", "shape_a_kcna.txt", A_URL), ("b.txt", "shape_a_kcna.txt", A_URL))
    parsed = [replace(parsed[0], unit="u1"), replace(parsed[1], unit="u2")]
    sent = SentTeasers()
    first, second = index_captures(parsed[:1], sent), index_captures(parsed[1:], sent)
    assert first.teasers.num_rows == second.teasers.num_rows == len(parsed[0].page.teasers)
    assert set(second.teasers.column("unit").to_pylist()) == set(second.sightings.column("unit").to_pylist()) == {"u2"}
    assert first.captures.column("unit").to_pylist() == ["u1"]
    store.remove_files()


def test_a_row_digest_changes_with_the_facts_and_not_with_where_the_body_lies(tmp_path):
    store, parsed = _stashed(tmp_path, ("a.txt", "shape_a_kcna.txt", A_URL), ("b.txt", "shape_a_kcna.txt", A_URL))
    moved = replace(parsed[0], body_at=("elsewhere/.bodies-1", 123, parsed[0].body_at[2]), unit="u9")
    renamed = replace(parsed[0], input="c.txt")
    digests = [row["digest"] for row in index_captures([parsed[0], moved, renamed, parsed[1]]).captures.to_pylist()]
    assert digests[0] == digests[1]  # the same capture, its body stored elsewhere and read from another unit
    assert len({digests[0], digests[2], digests[3]}) == 3  # another input name is another capture
    store.remove_files()


def test_sent_teasers_forget_everything_when_full():
    sent = SentTeasers(limit=2)
    assert sent.is_new("u", "t1", None) and sent.is_new("u", "t2", "A") and not sent.is_new("u", "t1", None)
    assert sent.is_new("u", "t3", None)  # full: the set starts again
    assert sent.is_new("u", "t1", None)
    assert sent.is_new("v", "t1", None)  # another unit


def test_teaser_id_is_the_one_releases_publish():
    """Releases v0.1.0 and v0.2.0 published teaser ids made this way; changing it would change every id."""
    digest = hashlib.sha256(b"KCNA.kp (En)\x1f2026-02-28\x1fSnippet").hexdigest()
    assert teaser_id_of("KCNA.kp (En)", "Snippet", dt.date(2026, 2, 28)) == "t" + digest[:16]


def test_teasers_whose_fields_hold_the_separator_get_ids_of_their_own():
    """Joined with `\\x1f`, a source ending in `\\x1f<date>` and a snippet starting with `<date>\\x1f` could
    give two teasers one id; such texts are hashed as JSON, and every other id stays as releases publish it."""
    one = teaser_id_of("KCNA\x1f2026-02-27", "Snippet", dt.date(2026, 2, 28))
    other = teaser_id_of("KCNA", "2026-02-28\x1fSnippet", dt.date(2026, 2, 27))
    assert one != other
    digest = hashlib.sha256(b'["KCNA\\u001f2026-02-27", "2026-02-28", "Snippet"]').hexdigest()
    assert one == "t" + digest[:16]


def test_a_teaser_text_is_sent_again_only_with_a_lesser_title():
    """The merge keeps a teaser's least non-empty title: no other text of it can change that."""
    sent = SentTeasers()
    assert sent.is_new("u", "t1", None)
    assert not sent.is_new("u", "t1", None) and not sent.is_new("u", "t1", "")
    assert sent.is_new("u", "t1", "Banner")  # the first title
    assert (
        not sent.is_new("u", "t1", "Cover")
        and not sent.is_new("u", "t1", "Banner")
        and not sent.is_new("u", "t1", None)
    )
    assert sent.is_new("u", "t1", "Anthem")  # a lesser one
    assert sent.is_new("v", "t1", "Cover")  # another unit's rows stand alone


def test_the_index_columns_follow_the_page_model(tmp_path):
    """A field of the page is declared once, in `Page`: the index holds every field but the paragraphs and teasers."""
    from dataclasses import fields

    from builder.extract.parse import Page

    page_fields = {field.name for field in fields(Page)} - {"paragraphs", "teasers"}
    assert page_fields <= set(INDEX_SCHEMA.names)
    assert INDEX_SCHEMA.field("captured_on").type == "date32[day]" and INDEX_SCHEMA.field("complete").type == "bool"
