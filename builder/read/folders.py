"""Folders as inputs: every file below one whose format a reader reads in folders (`registry`) becomes an input
unit, in path order, so builds do not depend on the file system's listing order."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from builder.read.located import Unit, display_root, printable_name
from builder.records import Rejected


def locate_in_folder(root: Path, reader_of: Callable[[str], Callable[[Path, str], Unit] | None]) -> Iterator[Unit]:
    """The units below `root`: `reader_of(file name)` gives the function that makes a file's unit (None: not read);
    a folder that cannot be listed or a directory link that leads back is a unit of its own, a reject."""
    base = display_root(root)
    for relative, problem in _walk(root, lambda name: reader_of(name) is not None):
        name = f"{base}/{printable_name(relative)}"
        if problem:
            yield Unit(name, (), Rejected(name, None, *problem))
        else:
            yield reader_of(os.path.basename(relative))(root / relative, name)


def _walk(root: Path, wanted: Callable[[str], bool]) -> Iterator[tuple[str, tuple[str, str] | None]]:
    """(relative path, None) for every `wanted` file below `root` in path order, following directory links once;
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
        found.extend((os.path.relpath(os.path.join(folder, name), root), None) for name in files if wanted(name))
    return iter(sorted(found, key=lambda item: Path(item[0]).as_posix()))
