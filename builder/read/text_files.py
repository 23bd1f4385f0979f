"""Reader of text captures: a `.txt` file is the visible text of one page, and a `.json` of the same stem beside it
(its sidecar) may give the page's `url` and `fetched_at`. Read in folders."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from builder.extract.decode import check_size
from builder.extract.parse import ParseReject
from builder.read.located import Pending, Unit, printable_name, unreadable
from builder.read.record_fields import TOO_DEEP, capture_fields
from builder.records import Capture, Rejected

FORMAT = "text"
SUFFIXES = (".txt",)
MAX_SIDECAR_BYTES = 64 * 1024


def unit_of(path: Path, name: str) -> Unit:
    """The unit of one capture file: the file and its sidecar."""
    problem = _not_regular(path)
    item = Rejected(name, None, *problem) if problem else Pending(name, FORMAT, path=path)
    return Unit(name, (path, path.with_suffix(".json")), item)


def load(item: Pending) -> Capture | Rejected:
    path, name = item.path, item.name
    try:
        check_size(path.stat().st_size)
        raw = path.read_bytes()
    except ParseReject as reject:
        return Rejected(name, None, reject.reason, reject.detail)
    except OSError as error:
        return unreadable(name, error)
    sidecar = path.with_suffix(".json")
    meta = _read_sidecar(sidecar) if os.path.lexists(sidecar) else {}
    if isinstance(meta, str):
        return Rejected(name, None, "bad_sidecar", f"{printable_name(sidecar.name)}: {meta}; fix or remove the sidecar")
    return Capture(name, raw, url=meta.get("url"))


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
