"""What readers locate before anything is read: `Pending` captures and the input `Unit`s they belong to, and the
names reports give them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from builder.records import Rejected


@dataclass(frozen=True)
class Pending:
    """A capture located but not yet read, by the reader of its `format` (`registry`): a `.txt` file, one line of a
    `.jsonl` file (where it starts and how long it is), or one line's bytes of a `.jsonl.gz` file, which cannot be
    read from the middle. Loading it is the costly part, which worker processes do, so the process that lists the
    inputs stays light and the captures' bytes do not travel between processes."""

    name: str
    format: str
    path: Path | None = None
    line: bytes | None = None
    offset: int = 0
    length: int | None = None
    member: str | None = None  # the file inside an archive (a WACZ's WARC) the capture is in


@dataclass(frozen=True)
class Skipped:
    """Parts of an input that carry no page and are counted, not listed (a web archive's request records): the
    build report's `skipped` counts them by what they are."""

    name: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Unit:
    """What a build reads as one, and the build memo keeps or reads again as one: a file that is one capture (its
    `item`) with its sidecar, or a file of many captures, which `locate` finds when its `items` are asked for.
    `files` are what its captures come from: none for a folder that could not be listed. A file that is no capture
    at all (`capture` false: a file no reader reads) is a unit too, so that the build report names it."""

    name: str
    files: tuple[Path, ...]
    item: Pending | Rejected | None = None
    locate: Callable[[Path, str], Iterator[Pending | Rejected | Skipped]] | None = None
    capture: bool = True

    def items(self) -> Iterator[Pending | Rejected | Skipped]:
        return iter([self.item]) if self.item is not None else self.locate(self.files[0], self.name)

    @property
    def capture_file(self) -> Path | None:
        """The file that is the unit's one capture, if it is one (its size is bounded like a capture's)."""
        return self.files[0] if isinstance(self.item, Pending) else None


def printable_name(name: str) -> str:
    """A file name as text a report can hold: bytes that are not UTF-8 become `\\xNN` escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def display_root(path: Path) -> str:
    """The name a capture's input starts with: the input's own name, so reports do not depend on the cwd."""
    return printable_name(path.resolve().name or str(path))


def unreadable(name: str, error: OSError) -> Rejected:
    return Rejected(name, None, "unreadable", f"the file cannot be read ({error.strerror}); fix it or remove it")
