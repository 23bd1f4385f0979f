"""The records of one file of a collection, by its format, and each record as a capture in the visible text's
shape: title, a Date line naming the collection's source, paragraphs (see `collections`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from builder.extract.parse.dates import parse_korean_date

if TYPE_CHECKING:
    from builder.read.collections import Collection

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")  # `{field}` in a description's source: the record's field
_COMMA_JOINS = re.compile(r"\s+,(?:\s*,)*\s*|,(?:\s*,)+\s*")  # where `", "` joined paragraphs, not a sentence's comma


def records_of(collection: Collection, path: Path) -> Iterator[dict]:
    """The file's records as dicts of their fields (a text or HTML file is one record: its `text`)."""
    kind = collection.format
    if kind in ("text", "html"):
        yield {"text": path.read_text(encoding="utf-8", errors="replace")}
    elif kind == "jsonl":
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)
    elif kind == "json":
        document = json.loads(path.read_text(encoding="utf-8"))
        for key in (collection.records or "").split(".") if collection.records and isinstance(document, dict) else []:
            document = document[key]
        if not isinstance(document, list):
            raise ValueError(f"the records ({collection.records or 'the document'}) are not a list")
        yield from (record for record in document if isinstance(record, dict))
    elif kind == "csv":
        yield from csv.DictReader(io.StringIO(path.read_text(encoding="utf-8", newline="")))
    else:
        yield from _rda_records(collection, path)


def _rda_records(collection: Collection, path: Path) -> Iterator[dict]:
    import rdata  # imported here: only R data collections need it

    with warnings.catch_warnings():  # rdata names each R class it converts without a constructor of its own
        warnings.simplefilter("ignore")
        objects = rdata.read_rda(str(path))
    for name in collection.objects or sorted(objects):
        if name in objects:
            frame = objects[name]
            for row in frame.to_dict(orient="records"):
                yield {key: (None if value is None or value != value else value) for key, value in row.items()}


def record_capture(collection: Collection, path: Path, record: dict) -> dict | str:
    """The capture a record makes (`text`, `url`, `origin`, `form`, as a JSON line gives them), or what it lacks."""
    fields = collection.fields
    url = _text_of(record.get(fields.get("url", "")))
    key = _text_of(record.get(collection.group_by)) if collection.group_by else None
    if collection.format == "html":
        return {"text": record["text"], "url": url, "origin": collection.name, "form": "collection", "key": key}
    text = record["text"] if collection.format == "text" else record.get(fields.get("body", ""))
    title = _text_of(record.get(fields.get("title", "")))
    if collection.title_from == "first_line" and isinstance(text, str):
        title = next((line.strip() for line in text.split("\n") if line.strip()), None)
    paragraphs = _paragraphs(text, collection)
    date = date_of(collection, path, record)
    missing = [what for what, value in (("title", title), ("date", date), ("body", paragraphs)) if not value]
    if missing:
        return f"it has no {' and no '.join(missing)}"
    source = _PLACEHOLDER.sub(lambda found: _text_of(record.get(found.group(1))) or "", collection.source).strip()
    date_line = f"Date: {date.day:02d}/{date.month:02d}/{date.year} | Source: {source}"
    text = "\n".join([" ".join(title.split()), date_line, *paragraphs])
    return {"text": text, "url": url, "origin": collection.name, "form": "collection", "key": key}


def _text_of(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _paragraphs(value: object, collection: Collection) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    if not isinstance(value, str):
        return []
    if collection.cut_before:  # what comes before the marker line is another text (e9t's commentary), not the record's
        lines = value.split("\n")
        at = next((index for index, line in enumerate(lines) if line.strip() == collection.cut_before), None)
        value = "\n".join(lines[at + 1 :]) if at is not None else value
    return split_paragraphs(value, collection.paragraphs)


def split_paragraphs(text: str, how: str) -> list[str]:
    if how == "comma":
        pieces = _COMMA_JOINS.split(text)
    elif how == "blank_line":
        pieces = re.split(r"\n\s*\n", text)
    else:
        pieces = text.split("\n")
    return [piece.strip(" \t\r\n,") if how == "comma" else piece.strip() for piece in pieces if piece.strip(" \t\r\n,")]


def date_of(collection: Collection, path: Path, record: dict) -> dt.date | None:
    spec = collection.date
    value = path.name if spec.get("from") == "file_name" else record.get(collection.fields.get("date", ""))
    if value is None or value == "":
        return None
    text = str(value)
    if pattern := spec.get("pattern"):
        found = re.search(pattern, text)
        if not found:
            return None
        parts = found.groupdict()
        month, day = (spec.get("month_day") or "01-01").split("-") if "month" not in parts else (None, None)
        try:
            return dt.date(int(parts["year"]), int(parts.get("month") or month), int(parts.get("day") or day))
        except (KeyError, TypeError, ValueError):
            return None
    return _parsed(text, spec.get("format", "iso"))


def _parsed(text: str, form: str) -> dt.date | None:
    try:
        if form == "unix_ms":
            return (dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=int(float(text)))).date()
        if form == "r_date":
            return dt.date(1970, 1, 1) + dt.timedelta(days=int(float(text)))
        if form == "iso":
            return dt.date.fromisoformat(text[:10])
        if form == "korean":
            return parse_korean_date(text)
        return dt.datetime.strptime(text, form).date()
    except (ValueError, OverflowError):
        return None
