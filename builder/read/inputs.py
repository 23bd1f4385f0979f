"""A build's inputs -> input units -> located captures -> `Capture`s, or `Rejected`s for what cannot be read.

An input is a folder (every file below it is a unit: a capture file with its sidecar, a JSON-lines file, or a file
no reader reads, which the build report names) or a file named as an input (a JSON-lines file or a web archive).
Inputs are read in a fixed order, so builds do not depend on the file system's listing order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from builder.read.collections import DESCRIPTION, Collection, DescriptionError, collection_units, load_collection
from builder.read.folders import locate_in_folder
from builder.read.located import Pending, Unit, display_root
from builder.read.registry import READERS, close_readers, reader_by_suffix, reader_for, reader_named
from builder.records import Capture, Rejected

_FOLDER_READERS = tuple(reader for reader in READERS if reader.in_folders)
_INPUT_READERS = tuple(reader for reader in READERS if reader.as_input)


class InputError(Exception):
    """An input argument that is not something the builder reads: stops the build before any work."""


def check_inputs(inputs: list[Path], collections: list[tuple[Path, Path]] = ()) -> list[Collection]:
    """Every input is one the builder reads, and every collection description holds for its folder; the
    collections, checked."""
    checked = []
    try:
        for description, folder in collections:
            if not folder.is_dir():
                raise InputError(f"the collection folder {str(folder)!r} is not a folder")
            checked.append(load_collection(description, folder))
        checked += [load_collection(path / DESCRIPTION, path) for path in inputs if (path / DESCRIPTION).is_file()]
    except DescriptionError as error:
        raise InputError(str(error)) from None
    for path in inputs:
        if path.is_dir() or (path.is_file() and reader_for(path, _INPUT_READERS) is not None):
            continue
        named = " or ".join(suffix for reader in _INPUT_READERS for suffix in reader.suffixes)
        what = "does not exist" if not path.exists() else f"is neither a directory nor a {named} file"
        raise InputError(f"input {str(path)!r} {what}")
    return checked


def locate_units(inputs: list[Path], collections: list[tuple[Path, Path]] = ()) -> Iterator[Unit]:
    """The units of the collections, then of the inputs; a folder that holds a `collection.toml` is read as that
    collection."""
    for description, folder in collections:
        yield from collection_units(load_collection(description, folder), display_root(folder))
    for path in inputs:
        if (path / DESCRIPTION).is_file():
            yield from collection_units(load_collection(path / DESCRIPTION, path), display_root(path))
        elif path.is_dir():
            yield from locate_in_folder(path, _folder_unit_maker, _sidecar_of)
        else:
            yield reader_for(path, _INPUT_READERS).unit_of(path, display_root(path))


def _folder_unit_maker(name: str):
    """What makes the unit of a file found in a folder, by its suffix (a folder's other files are not opened)."""
    reader = reader_by_suffix(name, _FOLDER_READERS)
    return reader.unit_of if reader else None


def _sidecar_of(path: Path) -> Path | None:
    reader = reader_by_suffix(path.name, _FOLDER_READERS)
    return reader.sidecar_of(path) if reader and reader.sidecar_of else None


def locate_inputs(inputs: list[Path]) -> Iterator[Pending | Rejected]:
    for unit in locate_units(inputs):
        yield from unit.items()


def load(item: Pending) -> Capture | Rejected:
    """Read a located capture (in a worker): the bytes of its page and what came beside them."""
    return reader_named(item.format).load(item)


def read_inputs(inputs: list[Path]) -> Iterator[Capture | Rejected]:
    """Every capture of the inputs, read, in a fixed order."""
    try:
        for item in locate_inputs(inputs):
            yield load(item) if isinstance(item, Pending) else item
    finally:
        close_readers()
