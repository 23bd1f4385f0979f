"""A parsed capture as one row of the merge's index, and back: the columns are derived from the fields of
`ParsedCapture` and of its `Page`, so a field added to the page model reaches the merge without a second list.

Left out: the page's paragraphs (the body waits in the body store, `body_at`) and teasers (in tables of their own,
`capture_index`). `body_at` is three columns; a `Counter` (the page's repairs) is JSON. Added: the capture's group,
its content key and a digest of its facts (`capture_index`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import operator
import typing
from collections import Counter

import pyarrow

from builder.extract.capture import ParsedCapture
from builder.extract.parse import Page

_LEFT_OUT = {"page", "paragraphs", "teasers"}
_ARROW_TYPES = {str: pyarrow.string(), dt.date: pyarrow.date32(), bool: pyarrow.bool_(), bytes: pyarrow.binary()}
_BODY_AT = (("body_file", pyarrow.string()), ("body_offset", pyarrow.int64()), ("body_length", pyarrow.int64()))
_NOT_FACTS = {"body_file", "body_offset", "unit"}  # where this build's copy of the body lies, and who read it


def _columns(model: type) -> list[tuple[str, type]]:
    """(field, Python type) of a dataclass's fields that are index columns, `X | None` taken as `X`."""
    hints = typing.get_type_hints(model)
    columns = []
    for field in dataclasses.fields(model):
        if field.name in _LEFT_OUT or field.name == "body_at":
            continue
        kinds = [kind for kind in typing.get_args(hints[field.name]) if kind is not type(None)] or [hints[field.name]]
        columns.append((field.name, kinds[0]))
    return columns


_CAPTURE_COLUMNS = _columns(ParsedCapture)
_PAGE_COLUMNS = _columns(Page)
_JSON_COLUMNS = {name for name, kind in _PAGE_COLUMNS if kind is Counter}
_CAPTURE_NAMES = [name for name, _ in _CAPTURE_COLUMNS]
_PAGE_NAMES = [name for name, kind in _PAGE_COLUMNS if kind is not Counter]
_BODY_AT_NAMES = [name for name, _ in _BODY_AT]
_capture_values = operator.attrgetter(*_CAPTURE_NAMES)
_page_values = operator.attrgetter(*_PAGE_NAMES)

INDEX_SCHEMA = pyarrow.schema(
    [("group_key", pyarrow.string()), ("content_key", pyarrow.string())]
    + [(name, _ARROW_TYPES[kind]) for name, kind in _CAPTURE_COLUMNS]
    + list(_BODY_AT)
    + [(name, pyarrow.string() if name in _JSON_COLUMNS else _ARROW_TYPES[kind]) for name, kind in _PAGE_COLUMNS]
    + [("digest", pyarrow.string())]
)


def index_row(parsed: ParsedCapture, group: str, content_key: str | None) -> dict:
    page = parsed.page
    row = {"group_key": group, "content_key": content_key}
    row.update(zip(_CAPTURE_NAMES, _capture_values(parsed)))
    row.update(zip(_BODY_AT_NAMES, parsed.body_at))
    row.update(zip(_PAGE_NAMES, _page_values(page)))
    for name in _JSON_COLUMNS:
        counts = getattr(page, name)
        row[name] = json.dumps(counts, sort_keys=True) if counts else None
    row["digest"] = _row_digest(row)
    return row


def parsed_from_row(row: dict) -> ParsedCapture:
    """The capture an index row was made from, its page without paragraphs or teasers. (Columns the merge's
    queries leave out, such as `unit`, take their defaults.)"""
    page = Page(paragraphs=[], **{name: row[name] for name in _PAGE_NAMES})
    for name in _JSON_COLUMNS:
        setattr(page, name, Counter(json.loads(row[name])) if row[name] else Counter())
    fields = {name: row[name] for name in _CAPTURE_NAMES if name in row}
    body_at = (row["body_file"], row["body_offset"], row["body_length"])
    return ParsedCapture(page=page, body_at=body_at, **fields)


def _row_digest(row: dict) -> str:
    """A digest of everything the merge and the article row take from this capture: the build memo reuses a
    group's article only when the digests of its captures are those of the group it merged before."""
    facts = [
        value.hex() if isinstance(value, bytes) else value for name, value in row.items() if name not in _NOT_FACTS
    ]
    return hashlib.sha256(_facts_to_json(facts).encode()).hexdigest()[:32]


_facts_to_json = json.JSONEncoder(default=str, ensure_ascii=False).encode  # dates as `str` gives them
