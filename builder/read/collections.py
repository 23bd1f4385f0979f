"""Record collections other people published, read by a description of their format (`collection.toml`): which
files, how records sit in them, which of their fields give title, date, URL and body, how paragraphs are separated.
A description names no location: it is applied to a folder (the folder holding it, or `--collection NAME=FOLDER`).

Each record becomes a capture in the visible text's shape (its title, a Date line naming the description's source,
its paragraphs), read by the one KCNA Watch parser, with `origin` the collection's name and `input_form`
`collection`. Records are located in file order; a record without title, date or body is a reject naming its file
and position. A description is checked whole before any work: a malformed file, an unknown key, a missing key or a
glob that matches nothing is an error naming the file and the key."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from builder.read.collection_records import record_capture, records_of
from builder.read.located import Pending, Unit, printable_name
from builder.records import MAX_CAPTURE_BYTES, Capture, Rejected

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FORMAT = "collection"
DESCRIPTION = "collection.toml"
SHIPPED = Path(__file__).resolve().parents[2] / "collections"
FORMATS = ("csv", "json", "jsonl", "rda", "text", "html")
PARAGRAPHS = ("newline", "blank_line", "comma", "list")
_KEYS = {
    "name",
    "format",
    "files",
    "source",
    "language",
    "licence",
    "homepage",
    "records",
    "objects",
    "paragraphs",
    "title_from",
    "cut_before",
    "fields",
    "date",
    "group_by",
}
_FIELDS = {"title", "date", "url", "body"}
_DATE_KEYS = {"from", "pattern", "format", "month_day"}


class DescriptionError(Exception):
    """A collection description that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Collection:
    path: Path  # the description
    folder: Path  # where its files are
    name: str
    format: str
    files: tuple[str, ...]
    source: str
    language: str
    licence: str
    homepage: str
    records: str | None = None
    objects: tuple[str, ...] = ()
    paragraphs: str = "newline"
    title_from: str = "field"
    cut_before: str | None = None
    group_by: str | None = None  # the field whose value names one article: its records are versions of it
    fields: dict = field(default_factory=dict)
    date: dict = field(default_factory=dict)


def description_of(spec: str) -> Path:
    """A description named as one the project ships (`collections/<name>.toml`) or given by its path."""
    shipped = SHIPPED / f"{spec}.toml"
    if "/" not in spec and not spec.endswith(".toml") and shipped.is_file():
        return shipped
    path = Path(spec)
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in SHIPPED.glob("*.toml")))
        raise DescriptionError(f"no collection description {spec!r}: neither a file nor one of those shipped ({known})")
    return path


def load_collection(description: Path, folder: Path) -> Collection:
    """The description checked whole against the folder it is applied to."""
    where = printable_name(str(description))
    try:
        spec = tomllib.loads(description.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DescriptionError(f"{where}: cannot be read as TOML ({error})") from None
    _check_keys(where, spec)
    collection = Collection(
        path=description,
        folder=folder,
        **{key: tuple(value) if key in ("files", "objects") else value for key, value in spec.items()},
    )
    _check_values(where, collection)
    for pattern in collection.files:
        if not any(folder.glob(pattern)):
            raise DescriptionError(f"{where}: files: {pattern!r} matches no file in {printable_name(str(folder))}")
    return collection


def _check_keys(where: str, spec: dict) -> None:
    unknown = sorted(set(spec) - _KEYS)
    if unknown:
        raise DescriptionError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    for key in ("name", "format", "files", "source", "language", "licence", "homepage"):
        if key not in spec:
            raise DescriptionError(f"{where}: the key {key!r} is missing")
    for table, known in (("fields", _FIELDS), ("date", _DATE_KEYS)):
        extra = sorted(set(spec.get(table, {})) - known)
        if extra:
            raise DescriptionError(f"{where}: unknown key '{table}.{extra[0]}' (known: {', '.join(sorted(known))})")


def _check_values(where: str, collection: Collection) -> None:
    if collection.format not in FORMATS:
        raise DescriptionError(f"{where}: format: {collection.format!r} is not one of {', '.join(FORMATS)}")
    if collection.paragraphs not in PARAGRAPHS:
        raise DescriptionError(f"{where}: paragraphs: {collection.paragraphs!r} is not one of {', '.join(PARAGRAPHS)}")
    for pattern in collection.files:
        parts = PurePosixPath(pattern).parts
        if not isinstance(pattern, str) or PurePosixPath(pattern).is_absolute() or ".." in parts or not parts:
            raise DescriptionError(f"{where}: files: {pattern!r} must be a glob inside the collection's folder")
    needed = {"title"} if collection.title_from == "field" and collection.format != "html" else set()
    needed |= {"body"} if collection.format not in ("text", "html") else set()
    needed |= {"date"} if collection.format != "html" and collection.date.get("from", "field") == "field" else set()
    missing = sorted(needed - set(collection.fields))
    if missing:
        raise DescriptionError(f"{where}: fields.{missing[0]} is missing (the field of their records that gives it)")
    if "pattern" in collection.date:
        try:
            re.compile(collection.date["pattern"])
        except re.error as error:
            raise DescriptionError(f"{where}: date.pattern is not a regular expression ({error})") from None


def load_record(item: Pending) -> Capture | Rejected:
    """A record located by `collection_units` (its capture made in the parent, carried as a JSON line)."""
    made = json.loads(item.line)
    text = made["text"]
    raw = text.encode("utf-8")
    return Capture(
        item.name, raw, url=made["url"], text=text, form=made["form"], origin=made["origin"], record_key=made["key"]
    )


def collection_units(collection: Collection, base: str) -> Iterator[Unit]:
    """One unit a file of the collection, in path order; the description is one of each unit's files, so the build
    memo reads a file again when its description changes."""
    paths = sorted({path for pattern in collection.files for path in collection.folder.glob(pattern) if path.is_file()})
    for path in paths:
        name = f"{base}/{printable_name(path.relative_to(collection.folder).as_posix())}"
        yield Unit(name, (path, collection.path), locate=lambda path, base: _records(collection, path, base))


def _records(collection: Collection, path: Path, base: str) -> Iterator[Pending | Rejected]:
    try:
        records = list(records_of(collection, path))
    except (OSError, ValueError, KeyError, TypeError) as error:
        yield Rejected(base, None, "unreadable", f"the file cannot be read as {collection.format} ({error}); fix it")
        return
    for number, record in enumerate(records, start=1):
        name = f"{base}#{number}"
        made = record_capture(collection, path, record)
        if isinstance(made, str):
            yield Rejected(name, None, "incomplete_record", f"record {number}: {made}; it is left out")
            continue
        line = json.dumps(made, ensure_ascii=False).encode("utf-8")
        if len(line) > 2 * MAX_CAPTURE_BYTES:
            yield Rejected(name, None, "too_large", "the record is larger than a page can be; it is left out")
            continue
        yield Pending(name, FORMAT, line=line)
