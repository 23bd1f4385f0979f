"""Turn merged articles into rows of the `articles` config (the columns of `schema.ARTICLES`)."""

from __future__ import annotations

from collections.abc import Iterator

from .merge import Article, Merger

CAPTURE_INPUT = "_capture_input"  # not a column: names the capture in error messages


def article_rows(articles: list[Article], merger: Merger) -> Iterator[dict]:
    for article in articles:
        header, body_from = article.header, article.body_from
        facts = body_from.facts
        yield {
            "id": article.id,
            "url": article.url,
            "title": header.title,
            "date": header.date,
            "source": header.source,
            "body": merger.body(article),
            "dateline": facts["dateline"],
            "end_marker": facts["end_marker"],
            "kcna_trailer": facts["kcna_trailer"],
            "credit": facts["credit"],
            "shape": header.shape,
            "captured_on": facts["captured_on"],
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
