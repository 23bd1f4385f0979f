"""What the merge keeps of each capture: its index row (`index_rows`), the teasers its page shows, and which
group's page showed which teaser. Workers make these rows for their chunk of parsed captures (`index_captures`),
so only Arrow batches travel to the parent, which spills them for DuckDB (`merge.Merger`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass

import pyarrow

from builder.extract.capture import ParsedCapture
from builder.merge.index_rows import INDEX_SCHEMA, index_row

_STRING, _DATE = pyarrow.string(), pyarrow.date32()
KEYED, BY_RECORD, BY_CONTENT = "k", "r", "c"  # the first letter of a group key


def group_of(parsed: ParsedCapture) -> str:
    """The group a capture belongs to: its KCNA Watch key, else its key in its collection (the versions of one record),
    else its source, date, title and body (`extract.attach` lets no capture through that has none of them)."""
    if parsed.key:
        return KEYED + parsed.key
    page = parsed.page
    if parsed.record_key:
        return BY_RECORD + _to_json([page.origin, parsed.record_key])
    return _content_group(page.source, page.date, page.title, parsed.body_digest)


def _content_group(source: str, date: dt.date, title: str, body_digest: bytes) -> str:
    """The group of captures without URL: one article is one source, date, title and body."""
    return BY_CONTENT + _to_json([source, date.isoformat(), title, body_digest.hex()])


# `json.dumps(value, ensure_ascii=False)` with its encoder made once: `dumps` makes one for each call when given
# options, nearly half the cost of a content key, made twice a capture.
_to_json = json.JSONEncoder(ensure_ascii=False).encode


@dataclass
class Indexed:
    """A chunk of captures as the merge keeps them: index rows, the teasers their pages show, and which group's page
    showed which teaser. Every row names the input unit it came from, so the build memo can reuse a unit's rows."""

    captures: pyarrow.RecordBatch
    teasers: pyarrow.RecordBatch
    sightings: pyarrow.RecordBatch


class SentTeasers:
    """The teasers whose text a worker has already sent for an input unit, up to `limit` of them: a teaser is shown
    on many pages, and its text need not be spilled again for each (the merge de-duplicates texts anyway, so
    forgetting some when the set is full costs only space). Of a teaser's texts, which differ only in their title
    (missing on some pages), the merge keeps the least title: a text is sent again only with a lesser one. Texts are
    sent once per unit, not once per worker, so that the rows of each unit are complete by themselves when a later
    build reuses some units and not others."""

    def __init__(self, limit: int = 250_000):
        self.limit = limit
        self._least: dict[tuple[str, str], str | None] = {}  # (unit, teaser id) -> least title sent (None: none)

    def is_new(self, unit: str, teaser_id: str, title: str | None) -> bool:
        key = (unit, teaser_id)
        if key in self._least:
            least = self._least[key]
            if not title or (least is not None and least <= title):
                return False
        elif len(self._least) >= self.limit:
            self._least.clear()
        self._least[key] = title or None
        return True


def index_captures(parsed_captures: list[ParsedCapture], sent: SentTeasers | None = None) -> Indexed:
    """Index rows for a chunk of stashed captures (run in workers): one per capture, one per teaser text not yet
    `sent` for its unit (by default, in this chunk), and one sighting per teaser on a page (the page's group and
    unit, and the teaser's id)."""
    sent = sent if sent is not None else SentTeasers()
    rows = []
    text_ids, text_sources, text_snippets, text_dates, text_titles, text_units = [], [], [], [], [], []
    sighted_dates, sighted_ids, sighted_groups, sighted_units = [], [], [], []
    for parsed in parsed_captures:
        group, unit, teasers = group_of(parsed), parsed.unit, parsed.page.teasers
        rows.append(index_row(parsed, group, _content_key(group, parsed)))
        for teaser in teasers:
            teaser_id = teaser_id_of(teaser.source, teaser.snippet, teaser.date)
            if sent.is_new(unit, teaser_id, teaser.title):
                text_ids.append(teaser_id)
                text_sources.append(teaser.source)
                text_snippets.append(teaser.snippet)
                text_dates.append(teaser.date)
                text_titles.append(teaser.title or None)
                text_units.append(unit)
            sighted_ids.append(teaser_id)
            sighted_dates.append(teaser.date)
        sighted_groups += [group] * len(teasers)
        sighted_units += [unit] * len(teasers)
    return Indexed(
        pyarrow.RecordBatch.from_pylist(rows, schema=INDEX_SCHEMA),
        _columns((text_ids, text_sources, text_snippets, text_dates, text_titles, text_units), TEASER_TEXTS_SCHEMA),
        _columns((sighted_dates, sighted_ids, sighted_groups, sighted_units), SIGHTINGS_SCHEMA),
    )


def _columns(columns: tuple, schema: pyarrow.Schema) -> pyarrow.RecordBatch:
    """A batch from one Python sequence per field of `schema`: quicker than a dict per row."""
    return pyarrow.RecordBatch.from_arrays(
        [pyarrow.array(column, field.type) for column, field in zip(columns, schema)], schema=schema
    )


FIELD_SEPARATOR = "\x1f"


def joined_fields(fields: list[str]) -> str:
    """The fields of an id as one text to hash: joined with `FIELD_SEPARATOR`, as ids always were. Fields that hold
    the separator themselves (no real page does) could join alike for two articles and give both one id, so they
    are written as JSON instead, which escapes control characters: it holds no separator, so it never equals a
    join, and the ids of every other text stay as they were."""
    if any(FIELD_SEPARATOR in field for field in fields):
        return json.dumps(fields, ensure_ascii=False)
    return FIELD_SEPARATOR.join(fields)


def teaser_id_of(source: str, snippet: str, date: dt.date) -> str:
    """A teaser is one source, date and snippet (its title may be missing on some pages)."""
    if FIELD_SEPARATOR in source or FIELD_SEPARATOR in snippet:
        return "t" + hashlib.sha256(joined_fields([source, date.isoformat(), snippet]).encode()).hexdigest()[:16]
    hasher = _hasher_of(source, date).copy()
    hasher.update(snippet.encode())
    return "t" + hasher.hexdigest()[:16]


@functools.lru_cache(maxsize=4096)
def _hasher_of(source: str, date: dt.date):
    """SHA-256 fed with `<source>\x1f<date>\x1f`: a page's twenty teasers share a source and a few dates, and
    copying a fed hasher takes a third off each id, made twenty times a capture."""
    return hashlib.sha256(f"{source}\x1f{date.isoformat()}\x1f".encode())


def _content_key(group: str, parsed: ParsedCapture) -> str | None:
    """The content group of a headed capture, by which a capture without URL finds its keyed group."""
    if group.startswith(BY_CONTENT):
        return group  # a capture without URL is grouped by its content already
    page = parsed.page
    return _content_group(page.source, page.date, page.title, parsed.body_digest) if page.title else None


TEASER_TEXTS_SCHEMA = pyarrow.schema(
    [
        ("teaser_id", _STRING),
        ("source", _STRING),
        ("snippet", _STRING),
        ("date", _DATE),
        ("title", _STRING),
        ("unit", _STRING),
    ]
)
SIGHTINGS_SCHEMA = pyarrow.schema([("date", _DATE), ("teaser_id", _STRING), ("group_key", _STRING), ("unit", _STRING)])
