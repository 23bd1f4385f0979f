"""The date forms KCNA Watch pages print, parsed without the process locale (which `strptime` would use)."""

from __future__ import annotations

import datetime as dt
import functools
import re

MONTHS = ("January February March April May June July August September October November December").split()
_MONTH_NUMBER = {name: i + 1 for i, name in enumerate(MONTHS)}
_MONTH_NUMBER.update({name[:3]: i + 1 for i, name in enumerate(MONTHS)})

_MONTH = "|".join(MONTHS)
_SHORT_MONTH = "|".join(m[:3] for m in MONTHS)
LONG_DATE = rf"(?:{_MONTH}) \d{{1,2}}, \d{{4}}"
SHORT_DATE = rf"(?:{_SHORT_MONTH}) \d{{1,2}}, \d{{4}}"
LONG_DATE_LINE = re.compile(rf"^{LONG_DATE}$")

JUCHE_OFFSET = 1911
FIRST_DATE = dt.date(1945, 1, 1)  # the earliest DPRK state media
PYONGYANG_TIME = dt.timezone(dt.timedelta(hours=9), "Pyongyang")  # the pages' dates are its days (raw-pages.md §1)


def today_in_pyongyang() -> dt.date:
    """The latest date a page can carry. A builder's own date lags it by up to a day: from 15:00 UTC on, Pyongyang's
    new articles carry tomorrow's date for a builder in UTC (or in Europe, or the Americas), and rejecting them
    would lose them and make a rebuild the next day differ."""
    return dt.datetime.now(PYONGYANG_TIME).date()


def within_history(date: dt.date | None) -> dt.date | None:
    """The date when it lies between 1945 and today in Pyongyang; None otherwise (a garbled date is no date)."""
    return date if date is not None and FIRST_DATE <= date <= today_in_pyongyang() else None


@functools.lru_cache(maxsize=4096)
def parse_month_date(text: str) -> dt.date | None:
    """`March 02, 2026` or `Mar 02, 2026` -> date; None when it is not a real date."""
    match = re.fullmatch(r"([A-Z][a-z]+) (\d{1,2}), (\d{4})", text.strip())
    if not match or match.group(1) not in _MONTH_NUMBER:
        return None
    return make_date(int(match.group(3)), _MONTH_NUMBER[match.group(1)], int(match.group(2)))


def parse_day_first(text: str) -> dt.date | None:
    """The Date line's `13/09/2024` (day first) -> date; None when it is not a real date."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip())
    if not match:
        return None
    return make_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))


def parse_trailer_date(text: str) -> dt.date | None:
    """The `www.kcna.kp (…)` trailer's date: `Juche112.5.26.` (Juche year + 1911; `주체112.5.26.` on Korean pages)
    or `2025.04.22.`."""
    match = re.fullmatch(r"((?:Juche|주체)\s*)?(\d{1,4})\.(\d{1,2})\.(\d{1,2})\.?", text.strip())
    if not match:
        return None
    year = int(match.group(2)) + (JUCHE_OFFSET if match.group(1) else 0)
    return make_date(year, int(match.group(3)), int(match.group(4)))


def parse_korean_date(text: str) -> dt.date | None:
    """A date as Korean texts write it (raw-pages.md §9): `2024년 9월 14일`, or `주체113(2024)년 9월 14일` with its
    Juche year checked against the Gregorian one; None when it is not a real date."""
    match = re.search(r"(?:주체\s*(\d{1,3})\s*\()?(\d{4})\)?\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일", text)
    if not match or (match.group(1) and int(match.group(1)) + JUCHE_OFFSET != int(match.group(2))):
        return None
    return make_date(int(match.group(2)), int(match.group(3)), int(match.group(4)))


def make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
