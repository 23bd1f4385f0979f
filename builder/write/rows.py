"""Turn merged articles into rows of the `articles` config (the columns of `schema.ARTICLES`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from builder.bodystore import BodyStore
from builder.extract.fields import doc_type, issuer, language
from builder.extract.labels import split_label
from builder.extract.parse.body import trailer_date
from builder.extract.words import word_count
from builder.merge.articles import Article, article_body

CAPTURE_INPUT = "_capture_input"  # not a column: names the capture in error messages


def article_rows(articles: list[Article], store: BodyStore) -> Iterator[dict]:
    for article in articles:
        header, body_from = article.header, article.body_from
        facts = body_from.facts
        body = article_body(store, body_from, header, Counter())
        kind = doc_type(header.title)
        yield {
            "id": article.id,
            "url": article.url,
            "newstream_id": article.newstream_id,
            "title": header.title,
            "date": header.date,
            "source": header.source,
            "publisher": split_label(header.source)[0],
            "language": language(header.source, body),
            "doc_type": kind,
            "issuer": issuer(kind, header.title, body),
            "body": body,
            "word_count": word_count(body),
            "original_date": trailer_date(facts.kcna_trailer),
            "dateline": facts.dateline,
            "end_marker": facts.end_marker,
            "kcna_trailer": facts.kcna_trailer,
            "credit": facts.credit,
            "shape": header.shape,
            "captured_on": facts.captured_on,
            "complete": body_from.complete,
            "captures": len(article.captures),
            "capture_sha256s": [seen.raw_sha256 for seen in article.captures],
            "raw_sha256": body_from.raw_sha256,
            CAPTURE_INPUT: body_from.input,
        }


def describe_article(row: dict) -> str:
    """Name an article row by its id and the capture its body came from, for error messages."""
    return f"article {row['id']} (capture {row[CAPTURE_INPUT]})"


def describe_teaser(row: dict) -> str:
    return f"teaser {row['id']} (seen on {', '.join(row['seen_on'])})"
