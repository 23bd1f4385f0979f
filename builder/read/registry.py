"""Which reader reads a file: one entry a format, chosen by the file's suffix (case-insensitive), else by sniffing
its first bytes. Adding a format is one reader module and one line in `READERS`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builder.read import collections, jsonl, page_files, warc
from builder.read.located import Pending, Unit
from builder.records import Capture, Rejected

SNIFF_BYTES = 4096


@dataclass(frozen=True)
class Reader:
    """A format: its `suffixes`; whether its files are read when found in an input folder (`in_folders`) and when
    named as inputs themselves (`as_input`); `unit_of(path, name)` makes a file's input unit, `load` reads a located
    capture (in a worker); `sniff(first bytes)` recognises a file whose suffix says nothing; `close` releases what
    `load` keeps open between captures; `sidecar_of(path)` the sidecar a capture file of this format may have."""

    format: str
    suffixes: tuple[str, ...]
    unit_of: Callable[[Path, str], Unit] | None
    load: Callable[[Pending], Capture | Rejected]
    in_folders: bool = False
    as_input: bool = False
    sniff: Callable[[bytes], bool] | None = None
    close: Callable[[], None] | None = None
    sidecar_of: Callable[[Path], Path] | None = None


READERS = (
    Reader(
        page_files.FORMAT,
        page_files.SUFFIXES,
        page_files.unit_of,
        page_files.load,
        in_folders=True,
        sidecar_of=page_files.sidecar_of,
    ),
    Reader(jsonl.FORMAT, jsonl.SUFFIXES, jsonl.unit_of, jsonl.load, in_folders=True, as_input=True, close=jsonl.close),
    Reader(warc.FORMAT, warc.SUFFIXES, warc.unit_of, warc.load, in_folders=True, as_input=True),
    Reader(collections.FORMAT, (), None, collections.load_record),  # a folder's collection.toml leads to it
)
_BY_FORMAT = {reader.format: reader for reader in READERS}


def reader_named(format: str) -> Reader:
    return _BY_FORMAT[format]


def reader_by_suffix(name: str, readers: tuple[Reader, ...] = READERS) -> Reader | None:
    """The reader whose suffix the name ends with, case-insensitively (the longest suffix wins: `.jsonl.gz`)."""
    lowered = name.lower()
    matching = [(len(suffix), reader) for reader in readers for suffix in reader.suffixes if lowered.endswith(suffix)]
    return max(matching, key=lambda match: match[0])[1] if matching else None


def reader_for(path: Path, readers: tuple[Reader, ...] = READERS) -> Reader | None:
    """The reader of a file: by its suffix, else the first whose `sniff` recognises its first bytes."""
    found = reader_by_suffix(path.name, readers)
    sniffers = [reader for reader in readers if reader.sniff is not None]
    if found is not None or not sniffers:
        return found
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None
    return next((reader for reader in sniffers if reader.sniff(head)), None)


def close_readers() -> None:
    """Close what readers keep open; a build calls it when it is done, so that the next reads files anew."""
    for reader in READERS:
        if reader.close is not None:
            reader.close()
