"""Intake speed of the saved forms on one core: pages a second through the KCNA Watch HTML layout, for saved HTML
and for the same pages inside a WARC.gz, against the visible-text parse of the same pages. Prints figures.

    .venv/bin/python -m benchmarks.bench_intake --workdir /tmp/dprk-bench --pages 2000

The pages are the headed captures of the synthetic corpus (`benchmarks/synthetic.py`), each parsed from its text
and rendered as a KCNA Watch page's HTML (`benchmarks/render.render_html`); every HTML page is checked to give the
text's title, date, source and body. Each figure is the least of several runs.
"""

from __future__ import annotations

import gc
import io
import re
import tempfile
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from benchmarks.bench_build import corpus
from benchmarks.bench_steps import least_seconds, sample_arguments
from benchmarks.render import render_html
from builder.extract.capture import parse_bytes
from builder.extract.parse import ParseReject, parse_page
from builder.read import Pending, load, locate_inputs
from builder.records import Capture


def html_pages(jsonl: Path, count: int) -> list[tuple[bytes, bytes]]:
    """(visible text, saved HTML) of the first `count` headed captures of the corpus file."""
    pages = []
    for item in locate_inputs([jsonl]):
        capture = load(item)
        try:
            page = parse_page(capture.raw.decode()) if isinstance(capture, Capture) else None
        except ParseReject:
            continue
        if page is None or page.title is None:
            continue
        url = f"https://kcnawatch.org/newstream/{1_700_000_000 + len(pages)}-1/page"
        fields = {name: getattr(page, name) for name in ("title", "date", "source", "paragraphs", "teasers")}
        pages.append((capture.raw, render_html(url=url, **fields).encode()))
        if len(pages) == count:
            break
    return pages


def archive(pages: list[bytes], path: Path) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number, body in enumerate(pages):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=UTF-8")], protocol="HTTP/1.1")
            url = f"https://kcnawatch.org/newstream/{1_700_000_000 + number}-1/page"
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
            )
            writer.write_record(record)


def other_site(html: bytes) -> bytes:
    """The same page as another site would serve it: none of KCNA Watch's marks and no Date line, the site's name and
    the article's date in its metadata, as news sites give them."""
    head, _, body = html.decode().partition("</head>")
    date_line = re.search(r"<p>Date: (\d\d)/(\d\d)/(\d{4}) \|.*?</p>\n", body)
    day, month, year = date_line.groups()
    title = re.search(r"<title>(.*?) \| KCNA Watch</title>", head).group(1)
    head = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="UTF-8"><title>{title}</title>'
        '<meta property="og:site_name" content="Example Monitor">'
        f'<meta property="article:published_time" content="{year}-{month}-{day}T09:00:00+09:00">'
    )
    body = body.replace(date_line.group(0), "").replace('class="article-content"', 'class="story"')
    return (head + "</head>" + body).encode()


def intake_figures(jsonl: Path, count: int, repeats: int, scratch: Path) -> dict[str, float]:
    pages = html_pages(jsonl, count)
    texts, htmls = [text for text, _ in pages], [html for _, html in pages]
    differing = 0
    for text, html in pages:
        ours, theirs = parse_bytes(text).page, parse_bytes(html).page
        differing += (ours.title, ours.date, ours.source, ours.body) != (
            theirs.title,
            theirs.date,
            theirs.source,
            theirs.body,
        )
    warc = scratch / "pages.warc.gz"
    archive(htmls, warc)
    others = [other_site(html) for html in htmls[: max(1, len(htmls) // 10)]]

    def from_warc() -> None:
        for item in locate_inputs([warc]):
            if isinstance(item, Pending):
                parse_bytes(load(item).raw)

    seconds = {
        "visible text (parse_bytes)": least_seconds(lambda: [parse_bytes(text) for text in texts], repeats),
        "saved HTML (parse_bytes)": least_seconds(lambda: [parse_bytes(html) for html in htmls], repeats),
        "HTML in a WARC.gz (locate, load, parse_bytes)": least_seconds(from_warc, repeats),
    }
    figures = {f"{name}: pages/s": len(pages) / value for name, value in seconds.items()}
    fallback = least_seconds(lambda: [parse_bytes(html) for html in others], repeats)
    figures["another site's HTML, general extractor (a tenth of the pages): pages/s"] = len(others) / fallback
    same = 0
    for (text, _), other in zip(pages, others):
        ours, theirs = parse_bytes(text).page, parse_bytes(other).page
        same += theirs is not None and (ours.title, ours.date, ours.body) == (theirs.title, theirs.date, theirs.body)
    figures["of those, pages whose title, date and body the general extractor gave as the text's"] = same
    figures["pages"] = len(pages)
    figures["HTML pages whose title, date, source or body differ from the text's"] = differing
    return figures


def main() -> None:
    parser = sample_arguments(__doc__)
    parser.add_argument("--pages", type=int, default=2_000, help="Pages each form runs over.")
    options = parser.parse_args()
    gc.disable()  # as a build runs its workers
    folder = options.workdir / f"corpus-{options.corpus_captures}"
    corpus(folder, options.corpus_captures)
    with tempfile.TemporaryDirectory() as scratch:
        figures = intake_figures(folder / "captures-000.jsonl", options.pages, options.repeats, Path(scratch))
    print(f"{folder}, one core, least of {options.repeats} runs:")
    for name, value in figures.items():
        print(f"  {name:70s} {value:9.1f}" if isinstance(value, float) else f"  {name:70s} {value:9d}")


if __name__ == "__main__":
    main()
