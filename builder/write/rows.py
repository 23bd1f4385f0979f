"""Turn merged articles into rows of the `articles` config (the columns of `schema.columns.ARTICLES`): the facts
of the chosen captures' pages, and the fields derived from the page (`extract.fields`)."""

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
        header, body_from = article.header.page, article.body_from.page
        body = (
            article.body
            if article.body is not None
            else article_body(store, article.body_from, article.header, Counter())
        )
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
            "original_date": trailer_date(body_from.kcna_trailer),
            "dateline": body_from.dateline,
            "end_marker": body_from.end_marker,
            "kcna_trailer": body_from.kcna_trailer,
            "credit": body_from.credit,
            "shape": header.shape,
            "captured_on": body_from.captured_on,
            "complete": body_from.complete,
            "captures": len(article.captures),
            "capture_sha256s": [seen.raw_sha256 for seen in article.captures],
            "raw_sha256": article.body_from.raw_sha256,
            "origin": body_from.origin,
            "input_form": body_from.form,
            "capture_url": article.body_from.url,
            "original_url": body_from.original_url,
            CAPTURE_INPUT: article.body_from.input,
        }


def describe_article(row: dict) -> str:
    """Name an article row by its id and the capture its body came from, for error messages."""
    return f"article {row['id']} (capture {row[CAPTURE_INPUT]})"


def describe_teaser(row: dict) -> str:
    return f"teaser {row['id']} (seen on {', '.join(row['seen_on'])})"
