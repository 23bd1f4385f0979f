import datetime as dt

import pyarrow
import pytest

from builder.extract.parse.dates import today_in_pyongyang
from builder.schema.columns import ARTICLES, TEASERS, arrow_schema
from builder.schema.validate import ValidationFailure, validate_batch

SHA = "a" * 64


def _article(**changes):
    row = {
        "id": "1726219951-297800155",
        "url": "https://kcnawatch.org/newstream/1726219951-297800155/press-statement",
        "newstream_id": "1726219951-297800155",
        "title": "A Title",
        "date": dt.date(2024, 9, 13),
        "source": "KCNA.kp (En)",
        "publisher": "KCNA.kp",
        "language": "en",
        "doc_type": "news",
        "issuer": None,
        "body": "First paragraph.\n\nSecond paragraph.",
        "word_count": 4,
        "original_date": None,
        "dateline": None,
        "end_marker": None,
        "kcna_trailer": None,
        "credit": None,
        "shape": "C",
        "captured_on": None,
        "complete": True,
        "captures": 1,
        "capture_sha256s": [SHA],
        "raw_sha256": SHA,
        "origin": "KCNA Watch",
        "input_form": "html",
        "capture_url": "https://kcnawatch.org/newstream/1726219951-297800155/press-statement",
        "original_url": "http://www.kcna.kp/en/article/q/4a5f0d3e6b9c1a2f.kcmsf",
    }
    row.update(changes)
    return row


def _check(schema, rows):
    batch = pyarrow.RecordBatch.from_pylist(rows, schema=arrow_schema(schema))
    validate_batch(schema, batch, lambda index: f"row {rows[index]['id']}")


def test_valid_article_passes():
    _check(ARTICLES, [_article()])


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"title": "  "}, "not_empty"),
        ({"title": "Two\nlines"}, "single_line"),
        ({"body": ""}, "not_empty"),
        ({"body": "Text.\n\nShare Button"}, "no_page_furniture"),
        ({"body": "Text.\n\nMore From KCNA.kp (En)"}, "no_page_furniture"),
        ({"body": "Text.\n\nMore Articles"}, "no_page_furniture"),
        ({"body": "Text. Read original version at source"}, "no_page_furniture"),
        ({"body": "Text. Get North Korea headlines delivered to your inbox daily"}, "no_page_furniture"),
        ({"date": dt.date(1944, 12, 31)}, "date_from_until_today_in_pyongyang"),
        ({"date": today_in_pyongyang() + dt.timedelta(days=1)}, "date_from_until_today_in_pyongyang"),
        ({"url": "https://example.com/x"}, "str_matches"),
        ({"id": "not an id"}, "str_matches"),
        ({"raw_sha256": "xyz"}, "str_matches"),
        ({"captures": 2}, "list_length_is"),
        ({"raw_sha256": "b" * 64}, "value_in_list"),
        ({"shape": "D"}, "isin"),
        ({"newstream_id": "1-2"}, "equal_when_present"),
        ({"dateline": "Pyongyang, May 1 (KCNA)"}, "starts_other_when_present"),
        ({"issuer": "Kim Yo Jong"}, "present_only_when_in"),
        ({"word_count": 5}, "word_count_of"),
        ({"original_date": dt.date(2024, 9, 13)}, "present_only_with"),
        ({"publisher": "KCNA.kp (En)"}, "no_language_tag"),
        ({"language": "english"}, "isin"),
        ({"doc_type": "poem"}, "isin"),
        ({"origin": ""}, "not_empty"),
        ({"origin": "two\nlines"}, "single_line"),
        ({"input_form": "pdf"}, "isin"),
        ({"capture_url": "kcnawatch.org/newstream/1-2"}, "str_matches"),
        ({"original_url": "javascript:void(0)"}, "str_matches"),
    ],
)
def test_bad_article_is_rejected_naming_row_and_check(changes, check):
    with pytest.raises(ValidationFailure) as caught:
        _check(ARTICLES, [_article(**changes)])
    assert check in str(caught.value)
    row_id = changes.get("id", "1726219951-297800155")
    assert f"row {row_id}" in str(caught.value) or "the table" in str(caught.value)


def test_issuer_and_original_date_pass_where_they_belong():
    _check(
        ARTICLES,
        [
            _article(
                doc_type="statement",
                issuer="Kim Yo Jong",
                kcna_trailer="www.kcna.kp (Juche112.5.26.)",
                original_date=dt.date(2023, 5, 26),
            )
        ],
    )


def test_duplicate_ids_are_rejected():
    with pytest.raises(ValidationFailure, match="unique"):
        _check(ARTICLES, [_article(), _article()])


def test_teaser_needs_a_page():
    row = {
        "id": "t" + "0" * 16,
        "source": "KCNA.kp (En)",
        "date": dt.date(2025, 1, 1),
        "title": None,
        "snippet": "Snippet",
        "seen_on": [],
    }
    with pytest.raises(ValidationFailure, match="list_length_at_least"):
        _check(TEASERS, [row])
    _check(TEASERS, [{**row, "seen_on": ["1-2"]}])


def test_arrow_schema_is_derived_from_pandera_schema():
    schema = arrow_schema(ARTICLES)
    assert schema.names == list(ARTICLES.columns)
    assert schema.field("date").type == pyarrow.date32()
    assert schema.field("capture_sha256s").type == pyarrow.list_(pyarrow.string())
    assert schema.field("url").nullable and not schema.field("id").nullable


def test_a_row_dated_today_in_pyongyang_passes_while_the_builders_date_is_still_yesterday(evening_in_utc):
    _check(ARTICLES, [_article(date=dt.date(2026, 12, 2))])
    with pytest.raises(ValidationFailure, match="date_from_until_today_in_pyongyang"):
        _check(ARTICLES, [_article(date=dt.date(2026, 12, 3))])


def test_a_body_may_say_more_from_or_more_articles_in_a_sentence():
    """Furniture as the parser finds it is a line of its own; a sentence that says the words is article text."""
    body = "They ask More From the talks.\n\nSee More Articles in the archive.\n\nA Share Button was shown."
    _check(ARTICLES, [_article(body=body, word_count=len(body.split()))])
