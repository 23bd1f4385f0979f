"""Browsing an exported release in Datasette (`dprk-corpus serve`): read-only, on this machine only by default,
with full-text search over title and body and facets by source, year and document type.

Datasette is an optional extra (`pip install '.[browse]'`); it runs as its own process, so the builder does not
import it.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

FACETS = ["source", "year", "doc_type"]


class BrowseError(Exception):
    """Datasette is not installed, or the database is not an export."""


def metadata(database: Path) -> dict:
    """Datasette's metadata for an export: the title, the facets and the full-text index of `articles`."""
    return {
        "title": "DPRK State Media Corpus",
        "description": "DPRK state propaganda: a primary source, not a record of facts.",
        "databases": {
            database.stem: {
                "tables": {
                    "articles": {
                        "facets": FACETS,
                        "fts_table": "articles_fts",
                        "fts_pk": "rowid",
                        "sort_desc": "date",
                        "label_column": "title",
                    },
                    "articles_fts": {"hidden": True},
                }
            }
        },
    }


def serve_command(database: Path, metadata_file: Path, host: str, port: int) -> list[str]:
    """The Datasette command line: the database opened immutable (read-only), metadata written by `metadata`."""
    if importlib.util.find_spec("datasette") is None:
        raise BrowseError("Datasette is not installed: pip install -c constraints.txt -e '.[browse]'")
    if not database.is_file():
        raise BrowseError(f"{database} is not a file: make one with dprk-corpus export VERSION --output {database}")
    metadata_file.write_text(json.dumps(metadata(database), indent=2), encoding="utf-8")
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "--immutable",
        str(database),
        "--host",
        host,
        "--port",
        str(port),
        "--metadata",
        str(metadata_file),
        "--setting",
        "default_page_size",
        "50",
    ]
