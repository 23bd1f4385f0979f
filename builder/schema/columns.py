"""The single source of truth for the columns of each config.

The pandera schemas below give the data checks; the Arrow/Parquet schema (`arrow_schema`), the Hugging Face
features (`hf_features`) and the card's field table (`field_table`) are all derived from them.
"""

from __future__ import annotations

import re

import datasets
import pandas as pd
import pandera.pandas as pa
import pyarrow

from builder.extract.fields import DOC_TYPES, ISSUING_DOC_TYPES
from builder.extract.parse.dates import FIRST_DATE
from builder.extract.urls import CANONICAL_URL
from builder.schema import checks  # noqa: F401  (registers the named checks used below)

# Text that belongs to the KCNA Watch page around an article, never to the article itself. The parser's markers are
# furniture only as lines of their own, and are looked for as such: an article may well say "More From" or "More
# Articles" in a sentence, and must not fail the whole build for it. The site's own phrases are looked for anywhere.
FURNITURE_LINES = (r"More From\s", "More Articles$", "Share Button$", "NK News is hiring")
FURNITURE_ANYWHERE = (
    "Read original version at source",
    "Get North Korea headlines delivered to your inbox daily",
    "Subscribe to the NK News",
)
_FURNITURE_PATTERN = "|".join(
    [f"(?m:^{line})" for line in FURNITURE_LINES] + [re.escape(text) for text in FURNITURE_ANYWHERE]
)
SHA256 = r"^[0-9a-f]{64}$"
HTTP_URL = r"^https?://\S+$"
ARTICLE_ID = r"^(\d+-\d+|[cr][0-9a-f]{16})$"
INPUT_FORMS = ["collection", "html", "jina", "text", "warc"]
LANGUAGES = ["en", "es", "fr", "ja", "ko", "ru", "zh"]


def _arrow(type_: pyarrow.DataType) -> pd.ArrowDtype:
    return pd.ArrowDtype(type_)


STRING = _arrow(pyarrow.string())
DATE = _arrow(pyarrow.date32())
INT32 = _arrow(pyarrow.int32())
BOOL = _arrow(pyarrow.bool_())
FLOAT64 = _arrow(pyarrow.float64())
STRINGS = _arrow(pyarrow.list_(pyarrow.string()))


ARTICLES = pa.DataFrameSchema(
    {
        "id": pa.Column(
            STRING,
            pa.Check.str_matches(ARTICLE_ID),
            unique=True,
            description="Stable identifier. The KCNA Watch key `<epoch>-<suffix>` of the article's URL when a "
            "capture came with one; for a record of a collection whose description names its key (`group_by`), `r` "
            "+ 16 hex digits of SHA-256 over the collection and that key; otherwise `c` + 16 hex digits of SHA-256 "
            "over source, date, title and body.",
        ),
        "url": pa.Column(
            STRING,
            pa.Check.str_matches(CANONICAL_URL.pattern),
            nullable=True,
            description="Canonical KCNA Watch URL (`https://kcnawatch.org/newstream/<key>/<slug>`); null when no "
            "capture of the article came with a URL.",
        ),
        "newstream_id": pa.Column(
            STRING,
            pa.Check.str_matches(r"^\d+-\d+$"),
            nullable=True,
            description="KCNA Watch key `<epoch>-<suffix>` of the URL (the epoch is when KCNA Watch ingested the "
            "item, not the publication date); null without a URL.",
        ),
        "title": pa.Column(
            STRING, [pa.Check.not_empty(), pa.Check.single_line()], description="Title as the page shows it."
        ),
        "date": pa.Column(
            DATE,
            pa.Check.date_from_until_today_in_pyongyang(first=FIRST_DATE.isoformat()),
            description="Article date from the page's Date line.",
        ),
        "source": pa.Column(
            STRING,
            pa.Check.not_empty(),
            description="Source label as the page shows it (e.g. `KCNA.kp (En)`, `Voice of Korea (EN)`).",
        ),
        "publisher": pa.Column(
            STRING,
            [pa.Check.not_empty(), pa.Check.no_language_tag(pattern=r"\((?:En|EN|English|Kor|KOR)\)$")],
            nullable=True,
            description="The source label without its language tag (`KCNA.kp`, `Voice of Korea`); null when the "
            "label has no name (`Source: (En)`).",
        ),
        "language": pa.Column(
            STRING,
            pa.Check.isin(LANGUAGES),
            nullable=True,
            description="ISO 639-1 code from the label's language tag, kept only when the text is in a script of "
            "that language; without a tag, from the script (and English function words for Latin text); null "
            "when neither settles it.",
        ),
        "doc_type": pa.Column(
            STRING,
            pa.Check.isin(DOC_TYPES),
            description="Kind of document, from the title by the rules in the card's table.",
        ),
        "issuer": pa.Column(
            STRING,
            [pa.Check.not_empty(), pa.Check.single_line()],
            nullable=True,
            description="Who speaks, for statements, answers, messages and letters, as the title (else the first "
            "sentence) states it; null for other kinds or when neither says.",
        ),
        "body": pa.Column(
            STRING,
            [pa.Check.not_empty(), pa.Check.no_page_furniture(pattern=_FURNITURE_PATTERN)],
            description="Article text: the page's paragraphs joined by a blank line, without page furniture, "
            "end markers or the KCNA trailer.",
        ),
        "word_count": pa.Column(
            INT32, pa.Check.ge(1), description="Whitespace-separated words of the body (for Korean, eojeol)."
        ),
        "original_date": pa.Column(
            DATE,
            pa.Check.date_from_until_today_in_pyongyang(first=FIRST_DATE.isoformat()),
            nullable=True,
            description="Publication date the `www.kcna.kp (…)` trailer gives (Juche years converted: Juche 112 "
            "= 2023); null without a trailer.",
        ),
        "dateline": pa.Column(
            STRING,
            pa.Check.not_empty(),
            nullable=True,
            description="Opening dateline such as `Pyongyang, September 13 (KCNA)`; it also stays in the body.",
        ),
        "end_marker": pa.Column(
            STRING,
            pa.Check.isin(["-0-"]),
            nullable=True,
            description="The ` -0-` end mark that closed the text on the page, taken out of the body.",
        ),
        "kcna_trailer": pa.Column(
            STRING,
            pa.Check.str_matches(r"^www\.kcna\.kp \(.*\)$"),
            nullable=True,
            description="The `www.kcna.kp (…)` trailer line, taken out of the body.",
        ),
        "credit": pa.Column(
            STRING,
            pa.Check.isin(["KCNA"]),
            nullable=True,
            description="A bare `KCNA` credit line that ended the text, taken out of the body.",
        ),
        "shape": pa.Column(
            STRING,
            pa.Check.isin(["A", "B", "C"]),
            description="Header shape of the capture the title and date come from (A, B or C; see the card). Pages "
            "of other forms (HTML, Jina text, origin sites' pages) are C: a title, then the date.",
        ),
        "captured_on": pa.Column(
            DATE,
            pa.Check.date_from_until_today_in_pyongyang(first=FIRST_DATE.isoformat()),
            nullable=True,
            description="When the chosen capture was taken, as the page tells: the header's capture date, else "
            "the newest teaser date; null when the page gives neither.",
        ),
        "complete": pa.Column(
            BOOL,
            description="The capture the body comes from reached the end of the page (`More Articles` or the "
            "old NK News footer); false when it may have been cut short.",
        ),
        "captures": pa.Column(INT32, pa.Check.ge(1), description="How many captures were merged into this row."),
        "capture_sha256s": pa.Column(
            STRINGS,
            pa.Check.every_item_matches(pattern=SHA256),
            description="SHA-256 of every merged capture's bytes, sorted.",
        ),
        "raw_sha256": pa.Column(
            STRING,
            pa.Check.str_matches(SHA256),
            description="SHA-256 of the bytes of the capture the body comes from.",
        ),
        "origin": pa.Column(
            STRING,
            [pa.Check.not_empty(), pa.Check.single_line()],
            description="The road the text came by: `KCNA Watch` (its pages, in every saved form), the original "
            "publisher's own site (`kcna.kp`, `rodong.rep.kp`) whose saved page it was read from, or `other site`: a "
            "page of any other site, read by the general extractor trafilatura (its choice of text is not checked "
            "as a site layout's is), or the name of the collection it was read from (the card lists them).",
        ),
        "input_form": pa.Column(
            STRING,
            pa.Check.isin(INPUT_FORMS),
            description="The form the capture the body comes from was saved in: `text` (the page's visible text), "
            "`html` (saved HTML), `jina` (Jina Reader text), `warc` (HTML inside a web archive), `collection` (a "
            "record of a collection other people published).",
        ),
        "capture_url": pa.Column(
            STRING,
            pa.Check.str_matches(HTTP_URL),
            nullable=True,
            description="The URL the capture the body comes from was taken from (its sidecar, its archive record or "
            "the page's own canonical link; KCNA Watch URLs in canonical form), where known.",
        ),
        "original_url": pa.Column(
            STRING,
            pa.Check.str_matches(HTTP_URL),
            nullable=True,
            description="The original publisher's page the Date line links to (saved HTML and Jina text give it; "
            "Wayback prefixes taken off), where known.",
        ),
    },
    checks=[
        pa.Check.equal_when_present(column="newstream_id", other="id"),
        pa.Check.starts_other_when_present(column="dateline", other="body"),
        pa.Check.present_only_when_in(column="issuer", other="doc_type", values=sorted(ISSUING_DOC_TYPES)),
        pa.Check.word_count_of(count_column="word_count", text_column="body"),
        pa.Check.present_only_with(column="original_date", other="kcna_trailer"),
        pa.Check.list_length_is(list_column="capture_sha256s", count_column="captures"),
        pa.Check.value_in_list(value_column="raw_sha256", list_column="capture_sha256s"),
    ],
    strict=True,
    ordered=True,
    name="articles",
)

TEASERS = pa.DataFrameSchema(
    {
        "id": pa.Column(
            STRING,
            pa.Check.str_matches(r"^t[0-9a-f]{16}$"),
            unique=True,
            description="`t` + 16 hex digits of SHA-256 over source, date and snippet.",
        ),
        "source": pa.Column(STRING, pa.Check.not_empty(), description="Label of the `More From <label>` block."),
        "date": pa.Column(
            DATE,
            pa.Check.date_from_until_today_in_pyongyang(first=FIRST_DATE.isoformat()),
            description="Date the teaser shows for its article.",
        ),
        "title": pa.Column(
            STRING,
            pa.Check.not_empty(),
            nullable=True,
            description="Title of the teased article, where the block gives titles (A/B captures); else null.",
        ),
        "snippet": pa.Column(
            STRING,
            [pa.Check.not_empty(), pa.Check.single_line()],
            description="Start of the teased article as the block shows it (about 128 characters, cut "
            "mid-word, no ellipsis).",
        ),
        "seen_on": pa.Column(
            STRINGS,
            pa.Check.list_length_at_least(minimum=1),
            description="Sorted ids of the articles whose pages showed this teaser.",
        ),
    },
    strict=True,
    ordered=True,
    name="teasers",
)

RELATIONS = ["same_text", "translation", "variant"]
LINK_METHODS = ["ko-en-features", "minhash-lsh+containment"]

LINKS = pa.DataFrameSchema(
    {
        "id": pa.Column(
            STRING,
            pa.Check.str_matches(ARTICLE_ID),
            description="One article of the pair (an `articles` id; the smaller of the two ids).",
        ),
        "linked_id": pa.Column(
            STRING,
            pa.Check.str_matches(ARTICLE_ID),
            description="The other article of the pair (an `articles` id; the greater of the two).",
        ),
        "relation": pa.Column(
            STRING,
            pa.Check.isin(RELATIONS),
            description="How the two are one item: `same_text` (the same text through another origin or URL; "
            "differences only in furniture, datelines, end marks, quotes or spacing, or one is a capture cut short), "
            "`variant` (another wording of the same item on the same day: another translation, an edited "
            "re-release), `translation` (the same item in Korean and in English).",
        ),
        "score": pa.Column(
            FLOAT64,
            pa.Check.in_range(0, 1),
            description="For `same_text` and `variant`: the share of the shorter text's 5-word sequences found in "
            "the other (containment); for `translation`: the pairer's score (shared names, terms and numbers, "
            "plausible length). Rounded to four decimals.",
        ),
        "method": pa.Column(
            STRING,
            pa.Check.isin(LINK_METHODS),
            description="How the link was found: `minhash-lsh+containment` (MinHash/LSH candidates over word "
            "5-grams within a few days, checked by exact containment and the rules in the card), `ko-en-features` "
            "(the deterministic Korean-English pairer described in the card).",
        ),
    },
    checks=[pa.Check.ordered_before(column="id", other="linked_id")],
    unique=["id", "linked_id"],
    strict=True,
    ordered=True,
    name="links",
)

CONFIGS: dict[str, pa.DataFrameSchema] = {"articles": ARTICLES, "teasers": TEASERS, "links": LINKS}
DEFAULT_CONFIG = "articles"


def key_columns(schema: pa.DataFrameSchema) -> list[str]:
    """The columns that name one record of the config: its `unique` columns, else `id`."""
    return list(schema.unique or ["id"])


def arrow_schema(schema: pa.DataFrameSchema) -> pyarrow.Schema:
    return pyarrow.schema(
        pyarrow.field(name, column.dtype.type.pyarrow_dtype, nullable=column.nullable)
        for name, column in schema.columns.items()
    )


def hf_features(schema: pa.DataFrameSchema) -> datasets.Features:
    return datasets.Features.from_arrow_schema(arrow_schema(schema))


def field_table(schema: pa.DataFrameSchema) -> list[tuple[str, str, bool, str]]:
    """(name, Arrow type, nullable, meaning) per column, for the card."""
    return [
        (name, str(column.dtype.type.pyarrow_dtype), column.nullable, column.description or "")
        for name, column in schema.columns.items()
    ]
