"""The inverse of the parser: the visible text of a KCNA Watch article page in a given capture shape.

Used to test that parsing gives back what a page says (property tests) and to generate realistic synthetic
corpora (the benchmark). It writes the shapes of ../shared/docs/raw-pages.md.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from builder.extract.parse.dates import MONTHS
from builder.extract.parse.model import Teaser


def long_date(date: dt.date) -> str:
    return f"{MONTHS[date.month - 1]} {date.day:02d}, {date.year}"


def short_date(date: dt.date) -> str:
    return f"{MONTHS[date.month - 1][:3]} {date.day:02d}, {date.year}"


def render_page(
    *,
    shape: str,
    title: str,
    date: dt.date,
    source: str,
    paragraphs: Sequence[str],
    captured_on: dt.date | None = None,
    teasers: Sequence[Teaser] = (),
    end: str = "more_articles",
) -> str:
    """`end` is how the page ends: "more_articles" (a whole page), "nk_news_footer" (2018-2019 pages) or "cut"
    (the capture stops after the teasers, without `More Articles`)."""
    blank = shape in ("A", "B")  # A and B separate paragraphs with blank lines, C and D with single newlines
    gap = "\n\n" if blank else "\n"
    captured_on = captured_on or date
    head = {
        "A": [f"{long_date(captured_on)}{short_date(captured_on)}\nKCNA {source}", title],
        "B": [f"{long_date(captured_on)}\nKCNA {source}", title],
        "C": [title],
        "D": [],
    }[shape]
    date_line = [
        f"Date: {date.day:02d}/{date.month:02d}/{date.year} | Source: {source} | Read original version at source"
    ]
    parts = head + (date_line if shape != "D" else []) + list(paragraphs)
    if end == "nk_news_footer":
        parts += ["Get North Korea headlines delivered to your inbox daily\nSubscribe to the NK News 'Daily Update'"]
        return gap.join(parts) + "\n"
    parts.append(f"More From {source}")
    for teaser in teasers:
        block = [teaser.snippet, long_date(teaser.date), teaser.snippet]
        parts += ([teaser.title, teaser.title] if blank and teaser.title else []) + block
    if end == "more_articles":
        parts.append("More Articles")
    return gap.join(parts)


def render_html(
    *, title: str, date: dt.date, source: str, paragraphs: Sequence[str], teasers: Sequence[Teaser], url: str
):
    """The saved HTML of a KCNA Watch newstream page with the markup raw-pages.md §8 describes (navigation, a
    sign-up prompt and a footer around `h1`, `div.article-content` and the "More From" teasers), for the intake
    benchmark. Leaders' names are bold, as pages set them."""
    escape = html.escape

    def paragraph(text: str) -> str:
        return "<p>" + escape(text, quote=False).replace("Kim Jong Un", "<strong>Kim Jong Un</strong>") + "</p>"

    blocks = "\n".join(
        f'<div class="teaser"><a href="/newstream/t{number}/"><p>{escape(teaser.snippet)}</p></a>'
        f'<span class="date">{long_date(teaser.date)}</span><p>{escape(teaser.snippet)}</p></div>'
        for number, teaser in enumerate(teasers)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en-US"><head><meta charset="UTF-8"><title>{escape(title)} | KCNA Watch</title>'
        f'<link rel="canonical" href="{url}/"><link rel="stylesheet" href="/wp-content/themes/kcnawatch/style.css">'
        "<script>window.dataLayer = window.dataLayer || [];</script></head>\n<body><header><nav><ul>"
        '<li><a href="/">KCNA Watch</a></li><li><a href="/newstream/">Newstream</a></li></ul></nav>'
        '<div class="signup-prompt"><p>Get full access to KCNA Watch: sign up for NK Pro</p></div></header>\n'
        f'<main><article><h1 class="entry-title">{escape(title)}</h1>\n<div class="article-content">\n'
        f"<p>Date: {date.day:02d}/{date.month:02d}/{date.year} | Source: {escape(source)} | "
        '<a href="http://www.kcna.kp/en/article/q/x.kcmsf">Read original version at source</a></p>\n'
        + "\n".join(map(paragraph, paragraphs))
        + f'\n</div></article>\n<section class="more-from"><h3>More From {escape(source)}</h3>\n{blocks}\n</section>'
        '\n<p class="more-articles"><a href="/newstream/">More Articles</a></p></main>\n'
        '<footer><p>© NK News - Korea Risk Group</p></footer><script src="/app.js"></script></body></html>\n'
    )
