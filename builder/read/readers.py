"""Readers: turn build inputs into a stream of `Capture`s (or `Rejected`s for inputs that cannot be read).

An input is a directory (every `*.txt` below it is a capture; a `.json` with the same stem beside it may give
`url` and `fetched_at`) or a JSON-lines file (`.jsonl` / `.jsonl.gz`, one `{"text", "url"?, "fetched_at"?}` per
line). `fetched_at` is checked to be a string but not used: when a capture was taken is read from the page
itself (`captured_on`). Inputs are read in a fixed order so that builds do not depend on the file system's listing order, and no
more than one capture's bytes (bounded by `MAX_CAPTURE_BYTES`) are held at a time.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from builder.extract.decode import MAX_CAPTURE_BYTES, check_size
from builder.extract.parse import ParseReject
from builder.extract.urls import is_http_url
from builder.records import Capture, Rejected

MAX_JSONL_LINE_BYTES = 2 * MAX_CAPTURE_BYTES  # JSON escapes can double a text's size
MAX_SIDECAR_BYTES = 64 * 1024
SCAN_BLOCK_BYTES = 8 * 1024 * 1024
_NOT_SPACE = re.compile(rb"\S")


class InputError(Exception):
    """An input argument that is not something the builder reads: stops the build before any work."""


def check_inputs(inputs: list[Path]) -> None:
    for path in inputs:
        if path.is_dir() or (path.is_file() and _is_jsonl(path)):
            continue
        what = "does not exist" if not path.exists() else "is neither a directory nor a .jsonl/.jsonl.gz file"
        raise InputError(f"input {str(path)!r} {what}")


@dataclass(frozen=True)
class Pending:
    """A capture located but not yet read: a `.txt` file, one line of a `.jsonl` file (where it starts and how
    long it is), or one line's bytes of a `.jsonl.gz` file, which cannot be read from the middle. Loading it
    (`load`) is the costly part, which worker processes do, so the process that lists the inputs stays light and
    the captures' bytes do not travel between processes."""

    name: str
    path: Path | None = None
    line: bytes | None = None
    offset: int = 0
    length: int | None = None


@dataclass(frozen=True)
class Unit:
    """What a build reads as one, and the build memo keeps or reads again as one: a directory's `.txt` capture (its
    `item`) with its sidecar, or a JSON-lines file, whose lines are located when its `items` are asked for. `files`
    are what its captures come from: none for a folder that could not be listed."""

    name: str
    files: tuple[Path, ...]
    item: Pending | Rejected | None = None

    def items(self) -> Iterator[Pending | Rejected]:
        return iter([self.item]) if self.item is not None else _locate_in_jsonl(self.files[0])


def read_inputs(inputs: list[Path]) -> Iterator[Capture | Rejected]:
    """Every capture of the inputs, read, in a fixed order."""
    try:
        for item in locate_inputs(inputs):
            yield load(item) if isinstance(item, Pending) else item
    finally:
        close_jsonl()


def locate_inputs(inputs: list[Path]) -> Iterator[Pending | Rejected]:
    for unit in locate_units(inputs):
        yield from unit.items()


def locate_units(inputs: list[Path]) -> Iterator[Unit]:
    for path in inputs:
        if path.is_dir():
            for item in _locate_in_directory(path):
                if isinstance(item, Pending):
                    yield Unit(item.name, (item.path, item.path.with_suffix(".json")), item)
                else:
                    yield Unit(item.input, (), item)
        else:
            yield Unit(display_root(path), (path,))


def load(item: Pending) -> Capture | Rejected:
    if item.line is not None:
        return _capture_from_line(item.line, item.name)
    if item.length is not None:
        return _read_line_at(item)
    return _read_text_file(item.path, item.name)


# The JSON-lines file the last line was read from, kept open: the lines of a file come one after another, and
# opening the file for each (~10 us) cost more than reading the line (~3 us).
_open_jsonl: tuple[Path, int] | None = None


def _read_line_at(item: Pending) -> Capture | Rejected:
    global _open_jsonl
    try:
        if _open_jsonl is None or _open_jsonl[0] != item.path:
            close_jsonl()
            _open_jsonl = (item.path, os.open(item.path, os.O_RDONLY))
        line = os.pread(_open_jsonl[1], item.length, item.offset)
    except OSError as error:
        return _unreadable(item.name, error)
    if len(line) != item.length:
        return Rejected(item.name, None, "unreadable", "the file became shorter while it was read; build again")
    return _capture_from_line(line, item.name)


def close_jsonl() -> None:
    """Close the file `load` keeps open; a build calls it when it is done, so that the next reads files anew."""
    global _open_jsonl
    if _open_jsonl is not None:
        os.close(_open_jsonl[1])
        _open_jsonl = None


def _is_jsonl(path: Path) -> bool:
    return path.name.endswith((".jsonl", ".jsonl.gz"))


def printable_name(name: str) -> str:
    """A file name as text a report can hold: bytes that are not UTF-8 become `\\xNN` escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def display_root(path: Path) -> str:
    """The name a capture's input starts with: the input's own name, so reports do not depend on the cwd."""
    return printable_name(path.resolve().name or str(path))


def _locate_in_directory(root: Path) -> Iterator[Pending | Rejected]:
    base = display_root(root)
    for relative, problem in _walk(root):
        name = f"{base}/{printable_name(relative)}"
        problem = problem or _not_regular(root / relative)
        if problem:
            reason, detail = problem
            yield Rejected(name, None, reason, detail)
        else:
            yield Pending(name, path=root / relative)


def _not_regular(path: Path) -> tuple[str, str] | None:
    """(reason, detail) when the capture or its sidecar is a pipe, a device or anything else but a file: reading
    one, or hashing it for the build memo, would wait or read for ever."""
    sidecar = path.with_suffix(".json")
    for candidate, reason, what in (
        (path, "unreadable", ""),
        (sidecar, "bad_sidecar", f"{printable_name(sidecar.name)}: "),
    ):
        try:
            mode = os.stat(candidate).st_mode
        except OSError:  # missing or unreadable: the reader says which
            continue
        if not stat.S_ISREG(mode):
            return reason, f"{what}not a regular file (a pipe or a device); remove it"
    return None


def _walk(root: Path) -> Iterator[tuple[str, tuple[str, str] | None]]:
    """(relative path, None) for every `*.txt` below `root` in path order, following directory links once;
    (relative path, (reason, detail)) for a linked directory that leads back to one already read, or a folder
    that cannot be listed."""
    seen = {os.path.realpath(root)}
    found = []

    def unreadable_folder(error: OSError) -> None:
        relative = os.path.relpath(error.filename, root)
        found.append(
            (relative, ("unreadable", f"the folder cannot be read ({error.strerror}); its captures were not read"))
        )

    for folder, dirs, files in os.walk(root, followlinks=True, onerror=unreadable_folder):
        keep = []
        for name in sorted(dirs):
            real = os.path.realpath(os.path.join(folder, name))
            if real in seen:
                relative = os.path.relpath(os.path.join(folder, name), root)
                detail = f"the directory link leads back to {printable_name(real)}, a folder already read; remove it"
                found.append((relative, ("symlink_loop", detail)))
            else:
                seen.add(real)
                keep.append(name)
        dirs[:] = keep
        found.extend(
            (os.path.relpath(os.path.join(folder, name), root), None) for name in files if name.endswith(".txt")
        )
    return iter(sorted(found, key=lambda item: Path(item[0]).as_posix()))


def _read_text_file(path: Path, name: str) -> Capture | Rejected:
    try:
        check_size(path.stat().st_size)
        raw = path.read_bytes()
    except ParseReject as reject:
        return Rejected(name, None, reject.reason, reject.detail)
    except OSError as error:
        return _unreadable(name, error)
    sidecar = path.with_suffix(".json")
    meta = _read_sidecar(sidecar) if os.path.lexists(sidecar) else {}
    if isinstance(meta, str):
        return Rejected(name, None, "bad_sidecar", f"{printable_name(sidecar.name)}: {meta}; fix or remove the sidecar")
    return Capture(name, raw, url=meta.get("url"))


def _unreadable(name: str, error: OSError) -> Rejected:
    return Rejected(name, None, "unreadable", f"the file cannot be read ({error.strerror}); fix it or remove it")


def _read_sidecar(path: Path) -> dict | str:
    """The sidecar's fields, or a sentence saying what is wrong with it."""
    try:
        if path.stat().st_size > MAX_SIDECAR_BYTES:
            return f"larger than {MAX_SIDECAR_BYTES // 1024} KiB, which no sidecar needs"
        meta = json.loads(path.read_bytes())
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    except ValueError as error:
        return f"not valid JSON ({error})"
    except RecursionError:
        return _TOO_DEEP
    return _capture_fields(meta)


def _capture_fields(meta: object) -> dict | str:
    if not isinstance(meta, dict):
        return "not a JSON object"
    for key in ("url", "fetched_at"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            return f"{key!r} is not a string"
        if value is not None and not _is_unicode(value):
            return f"{key!r} holds unpaired surrogate escapes"
    if meta.get("url") is not None and not is_http_url(meta["url"]):
        return f"url {meta['url']!r} is not an http(s) URL"
    return meta


def _locate_in_jsonl(path: Path) -> Iterator[Pending | Rejected]:
    base = display_root(path)
    try:
        if path.name.endswith(".gz"):
            with gzip.open(path, "rb") as lines:
                for number, line in enumerate(_bounded_lines(lines), start=1):
                    if line is None:
                        yield _too_long(f"{base}:{number}")
                    elif line.strip():
                        yield Pending(f"{base}:{number}", line=line)
        else:
            with open(path, "rb") as handle:
                for number, (offset, length, blank) in enumerate(_line_spans(handle), start=1):
                    if length > MAX_JSONL_LINE_BYTES:
                        yield _too_long(f"{base}:{number}")
                    elif not blank:
                        yield Pending(f"{base}:{number}", path, offset=offset, length=length)
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


# Python's JSON decoder recurses once for each array or object opened: nesting deeper than its limit (~1,000 levels;
# no capture record nests more than one) raises RecursionError, not the ValueError of invalid JSON.
_TOO_DEEP = "nested deeper than a capture record can be (arrays or objects inside each other)"


def _is_unicode(text: str) -> bool:
    """Whether the text has no lone surrogate (a `\\udcff` escape in JSON), which no UTF-8 file can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _capture_from_line(line: bytes, name: str) -> Capture | Rejected:
    try:
        record = json.loads(line)
    except ValueError as error:
        return Rejected(name, None, "bad_json", f"the line is not valid JSON ({error}); fix or remove it")
    except RecursionError:
        return Rejected(name, None, "bad_json", f"the line is {_TOO_DEEP}; fix or remove it")
    fields = _capture_fields(record)
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
