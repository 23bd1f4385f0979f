"""Folders as inputs: every file below one is accounted for, in path order (so builds do not depend on the file
system's listing order): a file of a format a reader reads becomes an input unit; a sidecar goes with its capture;
any other file is a unit of its own that says why it was not read (`not_a_capture_format`,
`sidecar_without_capture`), as are folders that cannot be listed and directory links that lead back."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from builder.read.collections import DESCRIPTION, DescriptionError, collection_units, load_collection
from builder.read.located import Unit, display_root, printable_name
from builder.records import Rejected

SIDECAR_SUFFIX = ".json"
COLLECTION = ("collection", "")  # a walked folder that holds a collection description: read as that collection
UnitMaker = Callable[[Path, str], Unit]


def locate_in_folder(
    root: Path, reader_of: Callable[[str], UnitMaker | None], sidecar_of: Callable[[Path], Path | None]
) -> Iterator[Unit]:
    """The units below `root`: `reader_of(file name)` gives the function that makes a file's unit (None: no reader
    reads it), `sidecar_of(capture path)` the path of the sidecar that file may have."""
    base = display_root(root)
    found = list(_walk(root))
    sidecars = {
        sidecar_of(root / relative)
        for relative, problem in found
        if not problem and reader_of(os.path.basename(relative))
    }
    for relative, problem in found:
        name = f"{base}/{printable_name(relative)}"
        path = root / relative
        make = None if problem else reader_of(os.path.basename(relative))
        if make is not None:
            yield make(path, name)
        elif problem is COLLECTION:
            yield from _collection_units(path, name)
        elif problem:
            yield Unit(name, (), Rejected(name, None, *problem))
        elif path not in sidecars:
            yield Unit(name, (), _not_read(name, relative), capture=False)


def _collection_units(folder: Path, name: str) -> Iterator[Unit]:
    """A folder below an input that holds a collection description is read as that collection."""
    try:
        yield from collection_units(load_collection(folder / DESCRIPTION, folder), name)
    except DescriptionError as error:
        yield Unit(name, (), Rejected(name, None, "bad_collection", f"{error}; fix the description"), capture=False)


def _not_read(name: str, relative: str) -> Rejected:
    if relative.lower().endswith(SIDECAR_SUFFIX):
        detail = "a sidecar whose capture (a file of the same name with a capture's suffix) is not beside it"
        return Rejected(name, None, "sidecar_without_capture", f"{detail}; add the capture or remove the sidecar")
    return Rejected(
        name,
        None,
        "not_a_capture_format",
        "no reader reads files of this name (see the README for the formats read); convert it or move it out of "
        "the input folder",
    )


def _walk(root: Path) -> Iterator[tuple[str, tuple[str, str] | None]]:
    """(relative path, None) for every file below `root` in path order, following directory links once;
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
            if os.path.isfile(os.path.join(real, DESCRIPTION)):
                found.append((os.path.relpath(os.path.join(folder, name), root), COLLECTION))
            elif real in seen:
                relative = os.path.relpath(os.path.join(folder, name), root)
                detail = f"the directory link leads back to {printable_name(real)}, a folder already read; remove it"
                found.append((relative, ("symlink_loop", detail)))
            else:
                seen.add(real)
                keep.append(name)
        dirs[:] = keep
        found.extend((os.path.relpath(os.path.join(folder, name), root), None) for name in files)
    return iter(sorted(found, key=lambda item: Path(item[0]).as_posix()))
