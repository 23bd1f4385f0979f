"""Reader of web archives (ISO 28500): `.warc`, `.warc.gz` and `.wacz` (a ZIP whose `archive/*.warc(.gz)` hold the
records), read with warcio, the Webrecorder project's maintained WARC library. A file is one input unit.

Each `response` record of an HTML page is a capture, its URL the record's `WARC-Target-URI`; other responses
(images, scripts, style sheets) and `revisit` records are named in the build report with a reason; `request`,
`metadata`, `warcinfo` and `resource` records carry no page and are counted (`skipped`). A record that cannot be read
is a reject naming its offset, and reading goes on at the next record found after it."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from builder.extract.parse.dates import within_history
from builder.read.located import Pending, Skipped, Unit, unreadable
from builder.records import MAX_CAPTURE_BYTES, Capture, Rejected

FORMAT = "warc"
SUFFIXES = (".warc", ".warc.gz", ".wacz")
NO_PAGE = ("request", "metadata", "warcinfo", "resource", "conversion", "continuation")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_RECORD_START = re.compile(rb"\x1f\x8b\x08|WARC/1\.[01]\r\n")  # a gzip member, or an uncompressed record's first line
_RESYNC_BLOCK = 1 << 20


def unit_of(path: Path, name: str) -> Unit:
    return Unit(name, (path,), locate=locate)


def locate(path: Path, base: str) -> Iterator[Pending | Rejected | Skipped]:
    """Every record of the archive, in file order: a capture to load, a reject, or what was skipped, counted."""
    skipped: Counter = Counter()
    try:
        for member in _members(path):
            with _opened(path, member) as stream:
                yield from _records(stream, path, member, base, skipped)
    except (OSError, zipfile.BadZipFile) as error:
        yield Rejected(base, None, "unreadable", f"the archive cannot be read ({error}); fix or replace it")
    if skipped:
        yield Skipped(base, {f"WARC {kind} records (no page)": count for kind, count in sorted(skipped.items())})


def load(item: Pending) -> Capture | Rejected:
    """The HTML of one response record, read at its offset; its WARC-Date is when the capture was taken."""
    try:
        with _opened(item.path, item.member) as stream:
            stream.seek(item.offset)
            record = next(iter(ArchiveIterator(stream)))
            raw = record.content_stream().read(MAX_CAPTURE_BYTES + 1)
            url = record.rec_headers.get_header("WARC-Target-URI")
            taken = _warc_date(record.rec_headers.get_header("WARC-Date"))
    except (ArchiveLoadFailed, StopIteration, ValueError) as error:
        return _damaged(item.name, item.offset, error)
    except OSError as error:
        return unreadable(item.name, error)
    return Capture(item.name, raw, url=url.strip() if url else None, form=FORMAT, captured_on=taken)


def _members(path: Path) -> list[str | None]:
    if not path.name.lower().endswith(".wacz"):
        return [None]
    with zipfile.ZipFile(path) as archive:
        return sorted(name for name in archive.namelist() if re.fullmatch(r"archive/[^/]+\.warc(?:\.gz)?", name))


@contextmanager
def _opened(path: Path, member: str | None) -> Iterator[IO[bytes]]:
    if member is None:
        with open(path, "rb") as stream:
            yield stream
        return
    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        yield stream


def _records(stream, path: Path, member: str | None, base: str, skipped: Counter):
    """The records from the stream's start; after a record that cannot be read, from the next record start."""
    where = f"{base}:{member}" if member else base
    start = 0
    while start is not None:
        stream.seek(start)
        records = ArchiveIterator(stream)
        offset = start
        try:
            for record in records:
                offset = records.get_record_offset()
                found = _record(record, path, member, f"{where}@{offset}", offset, skipped)
                records.read_to_end(record)
                if getattr(record.raw_stream, "limit", 0):  # the file ends before the record's Content-Length
                    raise EOFError(f"the record is cut short: {record.raw_stream.limit} bytes missing")
                offset = records.get_record_offset() + records.get_record_length()
                if found is not None:
                    yield found
            start = None
        except (ArchiveLoadFailed, ValueError, EOFError, OSError) as error:
            yield _damaged(f"{where}@{offset}", offset, error)
            start = _next_record_start(stream, offset + 1)


def _record(
    record, path: Path, member: str | None, name: str, offset: int, skipped: Counter
) -> Pending | Rejected | None:
    kind = record.rec_type
    url = record.rec_headers.get_header("WARC-Target-URI")
    if kind in NO_PAGE:
        skipped[kind] += 1
        return None
    if kind == "revisit":
        refers = record.rec_headers.get_header("WARC-Refers-To-Target-URI") or url
        detail = f"a revisit record: its page is the earlier response of {refers}, which is read where it is archived"
        return Rejected(name, url, "warc_revisit", detail)
    content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
    if kind != "response" or not content_type.lower().startswith(_HTML_TYPES):
        what = f"a {kind} record of {content_type or 'no content type'}"
        return Rejected(name, url, "not_a_page", f"{what}, not an HTML page; nothing to do")
    return Pending(name, FORMAT, path=path, offset=offset, member=member)


def _next_record_start(stream, after: int) -> int | None:
    """The offset of the next gzip member or WARC record header after `after`, if any."""
    position = after
    while True:
        stream.seek(position)
        block = stream.read(_RESYNC_BLOCK)
        if not block:
            return None
        found = _RECORD_START.search(block)
        if found:
            return position + found.start()
        position += max(1, len(block) - 16)


def _warc_date(value: str | None) -> dt.date | None:
    """The day (UTC) of a record's `WARC-Date` (`2024-09-13T08:00:00Z`), when it is one."""
    try:
        return within_history(dt.date.fromisoformat((value or "")[:10]))
    except ValueError:
        return None


def _damaged(name: str, offset: int, error: Exception) -> Rejected:
    said = "".join(character if character.isprintable() else "?" for character in str(error)[:160])
    return Rejected(
        name, None, "bad_warc_record", f"the record at offset {offset} cannot be read ({said}); the others were read"
    )
