import pytest

from builder.urls import canonical_url

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
