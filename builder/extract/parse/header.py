"""The part of a capture before the body: capture date, `KCNA <label>`, title and the Date line.

Shapes (see ../shared/docs/raw-pages.md §2):
  A  `March 02, 2026Mar 02, 2026` / `KCNA <label>` / <title> / Date line
  B  `March 02, 2025` / `KCNA <label>` / <title> / Date line
  C  <title> / Date line
  D  no title and no Date line: the text starts with the body
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from builder.extract.parse.dates import LONG_DATE, SHORT_DATE, parse_day_first, parse_month_date, within_history
from builder.extract.parse.model import ParseReject

DATE_LINE = re.compile(r"^Date:\s*(?P<rest>\d.*)$")  # a digit first: `Date: the talks …` in a body is no Date line
_DATE_LINE_PARTS = re.compile(
    r"^(?P<date>\S+?)\s*(?:\|\s*Source:\s*(?P<source>.*?))?\s*(?:\|\s*Read original version at source)?\s*$"
)
_SHAPE_A = re.compile(rf"^(?P<long>{LONG_DATE})\s*(?P<short>{SHORT_DATE})$")
_SHAPE_B = re.compile(rf"^(?P<long>{LONG_DATE})$")
_BRAND = re.compile(r"^KCNA\s+(?P<label>.+)$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None) | {0xA0: " ", 0x202F: " "}
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00a0\u202f]")


def clean_marker_line(line: str) -> str:
    """Header and marker lines compared as text: no invisible characters, no-break spaces as spaces."""
    if not line.isascii() and _HAS_INVISIBLE.search(line):
        line = line.translate(_INVISIBLE)
    return line.strip()


def may_be_marker(line: str, starts: str) -> bool:
    """Cheap pre-check on a raw line: could it, once cleaned, start with one of the letters `starts`?
    (Lines that start with other letters are text; invisible or no-break characters may come first. A blank line,
    half of a page's lines, is no marker.)"""
    first = line.lstrip(" \t")[:1]
    return bool(first) and (first in starts or not first.isascii())


@dataclass
class Header:
    shape: str
    body_start: int
    title: str | None = None
    date: dt.date | None = None
    source: str | None = None
    captured_on: dt.date | None = None


def find_header(lines: list[str]) -> Header:
    """Locate the Date line; everything above it is the header, everything below it the body."""
    for index, line in enumerate(lines):
        match = DATE_LINE.match(clean_marker_line(line)) if may_be_marker(line, "D") else None
        if match:
            return _headed(lines[:index], match.group("rest"), index + 1)
    return Header(shape="D", body_start=0)


def _headed(above: list[str], date_line_rest: str, body_start: int) -> Header:
    parts = _DATE_LINE_PARTS.match(date_line_rest)
    if not parts or parts.group("source") is None:
        raise ParseReject(
            "bad_date_line",
            f"the Date line 'Date: {date_line_rest}' lacks the 'Source: <label>' part; "
            "fix the capture or re-capture the page",
        )
    date = parse_day_first(parts.group("date"))
    if date is None:
        raise ParseReject(
            "bad_date",
            f"the Date line's date {parts.group('date')!r} is not a real DD/MM/YYYY date; "
            "check the capture against the page",
        )
    if within_history(date) is None:
        raise ParseReject(
            "date_out_of_range",
            f"the Date line's date {date.isoformat()} is before 1945 or after today in Pyongyang; "
            "check the capture against the page",
        )
    source = parts.group("source").strip()
    header_lines = [clean for clean in map(clean_marker_line, above) if clean]
    shape, captured_on = "C", None
    if header_lines and (first := _SHAPE_A.match(header_lines[0]) or _SHAPE_B.match(header_lines[0])):
        shape = "A" if first.re is _SHAPE_A else "B"
        captured_on = parse_month_date(first.group("long"))
        header_lines = header_lines[1:]
        if len(header_lines) > 1 and _BRAND.match(header_lines[0]):  # a title starting `KCNA …` stays
            header_lines = header_lines[1:]
    if not header_lines:
        raise ParseReject(
            "no_title",
            "the capture has a Date line but no title above it; re-capture the page with its title",
        )
    return Header(
        shape=shape,
        body_start=body_start,
        title=" ".join(header_lines),
        date=date,
        source=source,
        captured_on=captured_on,
    )
