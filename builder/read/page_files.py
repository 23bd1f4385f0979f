"""Reader of files that are one page each: the visible text (`.txt`), Jina Reader text (`.txt` or `.md`; a `.md`
that is not Jina text is no capture), or saved HTML (`.html`, `.htm`, gzip-compressed too). A `.json` of the same
name beside it (its sidecar: `page.json` for `page.html.gz`) may give the page's `url` and `fetched_at`. What the
bytes hold is the extract step's to say (`extract.layouts`). Read in folders."""

from __future__ import annotations

import codecs
import gzip
import json
import os
import stat
import zlib
from pathlib import Path

from builder.extract.decode import check_size
from builder.extract.forms.jina import is_jina
from builder.extract.parse import ParseReject
from builder.read.located import Pending, Unit, printable_name, unreadable
from builder.read.record_fields import TOO_DEEP, capture_fields
from builder.records import MAX_CAPTURE_BYTES, Capture, Rejected

FORMAT = "page"
SUFFIXES = (".txt", ".md", ".html", ".htm", ".html.gz", ".htm.gz")
MAX_SIDECAR_BYTES = 64 * 1024


def sidecar_of(path: Path) -> Path:
    lowered = path.name.lower()
    suffix = max((suffix for suffix in SUFFIXES if lowered.endswith(suffix)), key=len, default=path.suffix)
    return path.with_name(path.name[: len(path.name) - len(suffix)] + ".json")


def unit_of(path: Path, name: str) -> Unit:
    """The unit of one capture file: the file and its sidecar."""
    problem = _not_regular(path)
    item = Rejected(name, None, *problem) if problem else Pending(name, FORMAT, path=path)
    return Unit(name, (path, sidecar_of(path)), item)


def load(item: Pending) -> Capture | Rejected:
    path, name = item.path, item.name
    try:
        check_size(path.stat().st_size)
        raw = _read_gzip(path) if path.name.lower().endswith(".gz") else path.read_bytes()
    except ParseReject as reject:
        return Rejected(name, None, reject.reason, reject.detail)
    except (OSError, EOFError, zlib.error) as error:  # zlib.error, EOFError: damaged or cut compressed data
        return unreadable(name, error) if isinstance(error, OSError) and error.strerror else _damaged(name, error)
    if path.name.lower().endswith(".md") and not is_jina(raw.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace")):
        return Rejected(
            name,
            None,
            "not_a_capture_format",
            "a Markdown file that is not Jina Reader text (Title:, URL Source:, Markdown Content:); move it out of the "
            "input folder",
        )
    sidecar = sidecar_of(path)
    meta = _read_sidecar(sidecar) if os.path.lexists(sidecar) else {}
    if isinstance(meta, str):
        return Rejected(name, None, "bad_sidecar", f"{printable_name(sidecar.name)}: {meta}; fix or remove the sidecar")
    return Capture(name, raw, url=meta.get("url"))


def _read_gzip(path: Path) -> bytes:
    """The decompressed page, refused past the size a capture can have (so a small file cannot fill memory)."""
    with gzip.open(path, "rb") as handle:
        raw = handle.read(MAX_CAPTURE_BYTES + 1)
    check_size(len(raw))
    return raw


def _damaged(name: str, error: Exception) -> Rejected:
    return Rejected(name, None, "unreadable", f"the compressed file is damaged ({error}); fix or replace it")


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
        return TOO_DEEP
    return capture_fields(meta)


def _not_regular(path: Path) -> tuple[str, str] | None:
    """(reason, detail) when the capture or its sidecar is a pipe, a device or anything else but a file: reading
    one, or hashing it for the build memo, would wait or read for ever."""
    sidecar = sidecar_of(path)
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
