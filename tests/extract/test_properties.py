"""Property-based tests: parsing never fails in an untyped way, and parsing a rendered page gives the record back."""

import datetime as dt

from conftest import SEED, extract
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.render import render_page
from builder.extract.parse import ParseReject, Teaser, parse_page
from builder.records import Capture, Rejected

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text())
def test_any_text_parses_or_is_a_typed_reject(text):
    try:
        parse_page(text)
    except ParseReject as reject:
        assert reject.reason and reject.detail


@SETTINGS
@given(st.binary(max_size=4096), st.one_of(st.none(), st.text(max_size=80)))
def test_any_bytes_extract_to_a_capture_or_a_reject(data, url):
    result = extract(Capture("x.txt", data, url=url if url and url.startswith("http") else None))
    assert isinstance(result, Rejected) or result.page.paragraphs


# Words that cannot be mistaken for page structure, markers or artefacts the parser repairs.
WORD = st.sampled_from(
    "the people of country army party said on day great new and was with its to for work peace plan year "
    "Pyongyang Korea DPRK U.S. reunification 2024 1950 “quoted” it’s — (KCNA) 10% three-year".split()
)
SENTENCE = st.lists(WORD, min_size=1, max_size=25).map(lambda words: " ".join(words).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
TITLE = st.lists(WORD, min_size=1, max_size=12).map(lambda words: " ".join(words).title())
SOURCE = st.sampled_from(
    [
        "KCNA.kp (En)",
        "Voice of Korea (EN)",
        "Naenara (En)",
        "Pyongyang Times",
        "(En)",
        "Sports DPRK English",
        "Rodong Sinmun (Kor)",
        "Ministry of Foreign Affairs (EN)",
    ]
)
DATE = st.dates(min_value=dt.date(1945, 1, 1), max_value=dt.date(2026, 1, 1))
TEASER = st.builds(
    lambda snippet, date, title: (snippet[:128], date, title), PARAGRAPH, DATE, st.one_of(st.none(), TITLE)
)


@SETTINGS
@given(
    shape=st.sampled_from(["A", "B", "C"]),
    title=TITLE,
    date=DATE,
    source=SOURCE,
    paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=8),
    teasers=st.lists(TEASER, max_size=5),
    end=st.sampled_from(["more_articles", "cut", "nk_news_footer"]),
)
def test_rendered_page_parses_back_to_the_same_record(shape, title, date, source, paragraphs, teasers, end):
    with_titles = shape in ("A", "B")
    teasers = [
        Teaser(source, snippet.strip(), teaser_date, teaser_title if with_titles else None)
        for snippet, teaser_date, teaser_title in teasers
    ]
    if end == "nk_news_footer":
        teasers = []
    text = render_page(
        shape=shape,
        title=title,
        date=date,
        source=source,
        paragraphs=paragraphs,
        teasers=teasers,
        end=end,
        captured_on=date + dt.timedelta(days=3),
    )
    page = parse_page(text)
    assert (page.shape, page.title, page.date, page.source) == (shape, title, date, source)
    assert page.paragraphs == paragraphs
    assert page.teasers == teasers
    assert page.complete == (end != "cut")
    assert page.body_whole


def test_the_seed_renders_back_to_its_exact_bytes():
    text = SEED.read_text(encoding="utf-8")
    page = parse_page(text)
    rendered = render_page(
        shape=page.shape,
        title=page.title,
        date=page.date,
        source=page.source,
        paragraphs=page.paragraphs,
        teasers=page.teasers,
    )
    assert rendered == text
