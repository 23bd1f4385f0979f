"""Bodies kept on disk while captures are grouped, so memory holds only small per-capture facts."""

from __future__ import annotations

import tempfile
from pathlib import Path


class BodyStore:
    """An append-only scratch file of UTF-8 texts, addressed by (offset, length)."""

    def __init__(self, folder: Path):
        self._file = tempfile.TemporaryFile(dir=folder)
        self._end = 0

    def put(self, text: str) -> tuple[int, int]:
        data = text.encode("utf-8")
        self._file.seek(self._end)
        self._file.write(data)
        where = (self._end, len(data))
        self._end += len(data)
        return where

    def get(self, where: tuple[int, int]) -> str:
        offset, length = where
        self._file.seek(offset)
        return self._file.read(length).decode("utf-8")

    def close(self) -> None:
        self._file.close()
