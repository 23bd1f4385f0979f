"""Readers: turn build inputs into a stream of `Capture`s (or `Rejected`s for inputs that cannot be read).

An input is a directory (every `*.txt` below it is a capture; a `.json` with the same stem beside it may give
`url` and `fetched_at`) or a JSON-lines file (`.jsonl` / `.jsonl.gz`, one `{"text", "url"?, "fetched_at"?}` per
line). Inputs are read in a fixed order so that builds do not depend on the file system's listing order.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path

from .records import Capture, Rejected
from .urls import is_http_url


class InputError(Exception):
    """An input argument that is not something the builder reads: stops the build before any work."""


def check_inputs(inputs: list[Path]) -> None:
    for path in inputs:
        if path.is_dir() or (path.is_file() and _is_jsonl(path)):
            continue
        what = "does not exist" if not path.exists() else "is neither a directory nor a .jsonl/.jsonl.gz file"
        raise InputError(f"input {str(path)!r} {what}")


def read_inputs(inputs: list[Path]) -> Iterator[Capture | Rejected]:
    for path in inputs:
        yield from (read_directory(path) if path.is_dir() else read_jsonl(path))


def _is_jsonl(path: Path) -> bool:
    return path.name.endswith((".jsonl", ".jsonl.gz"))


def _display_root(path: Path) -> str:
    """The name a capture's input starts with: the input's own name, so reports do not depend on the cwd."""
    return path.resolve().name or str(path)


def read_directory(root: Path) -> Iterator[Capture | Rejected]:
    base = _display_root(root)
    for text_path in _text_files(root):
        name = f"{base}/{text_path.relative_to(root).as_posix()}"
        try:
            raw = text_path.read_bytes()
        except OSError as error:
            yield Rejected(name, None, "unreadable", f"the file cannot be read ({error.strerror}); fix its permissions")
            continue
        sidecar = text_path.with_suffix(".json")
        meta = _read_sidecar(sidecar) if sidecar.is_file() else {}
        if isinstance(meta, str):
            yield Rejected(name, None, "bad_sidecar", f"{sidecar.name}: {meta}; fix or remove the sidecar")
            continue
        yield Capture(name, raw, url=meta.get("url"), fetched_at=meta.get("fetched_at"))


def _text_files(root: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        found.extend(Path(folder, name) for name in files if name.endswith(".txt"))
    return sorted(found, key=lambda path: path.relative_to(root).as_posix())


def _read_sidecar(path: Path) -> dict | str:
    """The sidecar's fields, or a sentence saying what is wrong with it."""
    try:
        meta = json.loads(path.read_bytes())
    except (OSError, ValueError) as error:
        return f"not readable JSON ({error})"
    return _capture_fields(meta)


def _capture_fields(meta: object) -> dict | str:
    if not isinstance(meta, dict):
        return "not a JSON object"
    for key in ("url", "fetched_at"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            return f"{key!r} is not a string"
    if meta.get("url") is not None and not is_http_url(meta["url"]):
        return f"url {meta['url']!r} is not an http(s) URL"
    return meta


def read_jsonl(path: Path) -> Iterator[Capture | Rejected]:
    base = _display_root(path)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as lines:
        for number, line in enumerate(lines, start=1):
            name = f"{base}:{number}"
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                yield Rejected(name, None, "bad_json", f"the line is not valid JSON ({error}); fix or remove it")
                continue
            fields = _capture_fields(record)
            if isinstance(fields, str):
                yield Rejected(name, None, "bad_json", f"{fields}; fix the line")
            elif not isinstance(fields.get("text"), str):
                what = "has no 'text'" if "text" not in fields else "has a 'text' that is not a string"
                yield Rejected(name, fields.get("url"), "bad_json", f"the line {what}; fix the line")
            else:
                text = fields["text"]
                yield Capture(name, text.encode("utf-8"), url=fields.get("url"), fetched_at=fields.get("fetched_at"))
