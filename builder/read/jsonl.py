"""Reader of JSON-lines captures: `.jsonl` or `.jsonl.gz`, one `{"text", "url"?, "fetched_at"?}` per line, named
as inputs themselves. A file is one input unit; its lines are located by scanning (no line is copied) and read one
at a time where a worker needs them, so no more than one capture's bytes are held at a time."""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from builder.read.located import Pending, Unit, unreadable
from builder.read.record_fields import TOO_DEEP, capture_fields
from builder.records import MAX_CAPTURE_BYTES, Capture, Rejected

FORMAT = "jsonl"
SUFFIXES = (".jsonl", ".jsonl.gz")
MAX_JSONL_LINE_BYTES = 2 * MAX_CAPTURE_BYTES  # JSON escapes can double a text's size
SCAN_BLOCK_BYTES = 8 * 1024 * 1024
_NOT_SPACE = re.compile(rb"\S")


def unit_of(path: Path, name: str) -> Unit:
    return Unit(name, (path,), locate=locate)


def load(item: Pending) -> Capture | Rejected:
    return capture_from_line(item.line, item.name) if item.line is not None else _read_line_at(item)


def locate(path: Path, base: str) -> Iterator[Pending | Rejected]:
    """The lines of a JSON-lines file, each named `<base>:<line number>`."""
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as lines:
                for number, line in enumerate(_bounded_lines(lines), start=1):
                    if line is None:
                        yield _too_long(f"{base}:{number}")
                    elif line.strip():
                        yield Pending(f"{base}:{number}", FORMAT, line=line)
        else:
            with open(path, "rb") as handle:
                for number, (offset, length, blank) in enumerate(_line_spans(handle), start=1):
                    if length > MAX_JSONL_LINE_BYTES:
                        yield _too_long(f"{base}:{number}")
                    elif not blank:
                        yield Pending(f"{base}:{number}", FORMAT, path, offset=offset, length=length)
    except (OSError, EOFError, zlib.error) as error:  # zlib.error: corrupt compressed data
        yield Rejected(base, None, "unreadable", f"the file cannot be read to its end ({error}); fix or replace it")


def _line_spans(handle) -> Iterator[tuple[int, int, bool]]:
    """(offset, length without the newline, whether it is blank) of every line of a file, found by scanning blocks:
    no line is copied, so locating a million captures costs little more than reading the file."""
    block_at = line_at = 0
    blank = True
    while block := handle.read(SCAN_BLOCK_BYTES):
        position = 0
        while True:
            newline = block.find(b"\n", position)
            stop = len(block) if newline == -1 else newline
            if blank and _NOT_SPACE.search(block, position, stop):
                blank = False
            if newline == -1:
                break
            yield line_at, block_at + newline - line_at, blank
            position = newline + 1
            line_at = block_at + position
            blank = True
        block_at += len(block)
    if block_at > line_at:
        yield line_at, block_at - line_at, blank


def _bounded_lines(handle) -> Iterator[bytes | None]:
    """The file's lines; None for a line longer than `MAX_JSONL_LINE_BYTES`, which is skipped, not held."""
    while True:
        line = handle.readline(MAX_JSONL_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_JSONL_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(1024 * 1024)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _too_long(name: str) -> Rejected:
    return Rejected(
        name,
        None,
        "too_large",
        f"the line is longer than {MAX_JSONL_LINE_BYTES // (1024 * 1024)} MiB, more than a captured article page "
        "can hold; split or trim it",
    )


# The JSON-lines file the last line was read from, kept open: the lines of a file come one after another, and
# opening the file for each costs more than reading the line.
_open_file: tuple[Path, int] | None = None


def _read_line_at(item: Pending) -> Capture | Rejected:
    global _open_file
    try:
        if _open_file is None or _open_file[0] != item.path:
            close()
            _open_file = (item.path, os.open(item.path, os.O_RDONLY))
        line = os.pread(_open_file[1], item.length, item.offset)
    except OSError as error:
        return unreadable(item.name, error)
    if len(line) != item.length:
        return Rejected(item.name, None, "unreadable", "the file became shorter while it was read; build again")
    return capture_from_line(line, item.name)


def close() -> None:
    """Close the file `load` keeps open; a build calls it when it is done, so that the next reads files anew."""
    global _open_file
    if _open_file is not None:
        os.close(_open_file[1])
        _open_file = None


def capture_from_line(line: bytes, name: str) -> Capture | Rejected:
    try:
        record = json.loads(line)
    except ValueError as error:
        return Rejected(name, None, "bad_json", f"the line is not valid JSON ({error}); fix or remove it")
    except RecursionError:
        return Rejected(name, None, "bad_json", f"the line is {TOO_DEEP}; fix or remove it")
    fields = capture_fields(record)
    if isinstance(fields, str):
        return Rejected(name, None, "bad_json", f"{fields}; fix the line")
    text = fields.get("text")
    if not isinstance(text, str):
        what = "has no 'text'" if "text" not in fields else "has a 'text' that is not a string"
        return Rejected(name, fields.get("url"), "bad_json", f"the line {what}; fix the line")
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        return Rejected(
            name, fields.get("url"), "bad_json", "the 'text' holds unpaired surrogate escapes; fix the line"
        )
    return Capture(name, raw, url=fields.get("url"), text=text)
