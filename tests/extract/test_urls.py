import re
from urllib.parse import quote, unquote, urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from builder.extract.urls import KCNA_WATCH_HOSTS, canonical_url, is_http_url

KEY = "1726219951-297800155"
CANONICAL = f"https://kcnawatch.org/newstream/{KEY}/press-statement-by-spokesperson"


@pytest.mark.parametrize(
    "url",
    [
        CANONICAL,
        CANONICAL + "/",
        CANONICAL + "?t=1629129194902",
        CANONICAL.replace("kcnawatch.org", "kcnawatch.app"),
        CANONICAL.replace("kcnawatch.org", "kcnawatch.co"),
        CANONICAL.replace("kcnawatch.org", "www.kcnawatch.xyz") + "/?t=1",
        CANONICAL.replace("https", "http"),
    ],
)
def test_every_form_of_one_article_url_is_one_canonical_url(url):
    assert canonical_url(url) == (CANONICAL, KEY)


def test_percent_escapes_normalised_to_one_case():
    lower = f"https://kcnawatch.org/newstream/{KEY}/people%e2%80%99s-day"
    upper = f"https://kcnawatch.org/newstream/{KEY}/people%E2%80%99s-day"
    raw = f"https://kcnawatch.org/newstream/{KEY}/people’s-day"
    assert canonical_url(lower) == canonical_url(upper) == canonical_url(raw)
    assert canonical_url(lower)[0].endswith("/people%E2%80%99s-day")


def test_another_suffix_is_another_article():
    assert canonical_url("https://kcnawatch.org/newstream/1726219951-1/x")[1] == "1726219951-1"


def test_non_kcna_watch_url_has_no_key():
    assert canonical_url("https://example.org/newstream/1-2/x") == ("https://example.org/newstream/1-2/x", None)


@given(
    base=st.sampled_from(
        ["https://kcnawatch.org/newstream/", "http://www.kcnawatch.co/newstream/", "https://kcnawatch.org/newstream/x"]
    ),
    key=st.from_regex(r"\d{1,10}-\d{1,9}", fullmatch=True),
    tail=st.text(alphabet="aZ09-._~!$&'()*+,;=:@%/?# é\n", max_size=12).map(lambda text: "/" + text) | st.just(""),
)
@example(base="https://kcnawatch.org/newstream/", key="1-2", tail="/50%-more")
@example(base="https://kcnawatch.org/newstream/", key="1-2", tail="/")
def test_urls_already_canonical_are_kept_as_a_full_parse_would_make_them(base, key, tail):
    """The shortcut for URLs in canonical form gives what parsing and re-quoting gives."""
    url = base + key + tail
    parts = urlsplit(url.strip())
    match = re.match(r"^/newstream/(\d+-\d+)(?:/([^/]*))?/?$", parts.path)
    if (parts.hostname or "").removeprefix("www.") not in KCNA_WATCH_HOSTS or not match:
        assert canonical_url(url) == (url.strip(), None)
        return
    slug = quote(unquote(match.group(2) or ""), safe="-._~!$&'()*+,;=:@")
    assert canonical_url(url) == (
        f"https://kcnawatch.org/newstream/{match.group(1)}" + (f"/{slug}" if slug else ""),
        match.group(1),
    )


@pytest.mark.parametrize(
    ("url", "http"),
    [
        ("https://kcnawatch.org/newstream/1-2/x", True),
        ("http://example.org", True),
        ("ftp://example.org/x", False),
        ("https:///no-host", False),
        ("http://[invalid/x", False),
        ("http://[::1]/x", True),
    ],
)
def test_is_http_url_answers_for_any_text(url, http):
    assert is_http_url(url) is http
