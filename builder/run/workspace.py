"""The one owner of a build's scratch space. A build writes its release into a hidden folder of the releases folder
(`release`), renamed into place when it is whole; the stages' scratch folders are inside it, handed out here, so
that one removal takes everything a failed build left and nothing of it can be published by mistake."""

from __future__ import annotations

import shutil
from pathlib import Path

PARTIAL = ".build.partial"
KNOWN_ROWS_FOLDER = ".known-rows"  # the rows a build sets aside for its diff (`publish.versioning.KnownRows`)


class Workspace:
    def __init__(self, releases: Path):
        self.releases = releases
        self.release = releases / PARTIAL

    def create(self) -> None:
        """A fresh, empty half-built release (what an earlier killed build left is removed first)."""
        shutil.rmtree(self.release, ignore_errors=True)
        self.release.mkdir()

    @property
    def merge_scratch(self) -> Path:
        """The merge's scratch tables, plan store and DuckDB's spill files (`Merger.close` removes them)."""
        return self.release / ".merge"

    @property
    def link_scratch(self) -> Path:
        """The link stage's DuckDB spill files."""
        return self.release / ".links"

    @property
    def bodies(self) -> Path:
        """Where bodies wait between the stages when no build memo keeps them (`NoMemo.close_store` removes them)."""
        return self.release

    @property
    def known_rows(self) -> Path:
        """The rows set aside for the diff against the previous release (`drop_scratch` removes them)."""
        return self.release / KNOWN_ROWS_FOLDER

    def drop_scratch(self) -> None:
        """Remove what the stages left that is not part of the release, once the diff no longer needs it."""
        shutil.rmtree(self.known_rows, ignore_errors=True)
        shutil.rmtree(self.link_scratch, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.release, ignore_errors=True)
