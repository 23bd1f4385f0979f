"""Builds of each real collection of ../shared/realdata by its shipped description (collections/): articles,
captures not used by reason, captures merged, articles whose captures disagree, and the build's seconds. Prints
figures; a collection whose folder is absent is skipped.

    .venv/bin/python -m benchmarks.bench_collections --realdata ../shared/realdata --workers 2
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from builder.publish.release import build_release
from builder.publish.request import BuildRequest
from builder.read.collections import SHIPPED


def collection_figures(name: str, folder: Path, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as releases:
        request = BuildRequest(
            [], Path(releases), version="1.0.0", workers=workers, collections=[(SHIPPED / f"{name}.toml", folder)]
        )
        started = time.perf_counter()
        report = build_release(request).report
        seconds = time.perf_counter() - started
    counts = report["counts"]
    return {
        "captures read": counts["captures_read"],
        "articles": counts["articles"],
        "captures merged": counts["captures_merged"],
        "articles whose captures disagree": counts["conflicts"],
        "not used": report["rejected_by_reason"],
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--realdata", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "realdata")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    for description in sorted(SHIPPED.glob("*.toml")):
        folder = options.realdata / description.stem
        if not folder.is_dir():
            print(f"{description.stem}: skipped, {folder} is not here")
            continue
        figures = collection_figures(description.stem, folder, options.workers)
        print(f"{description.stem}: " + ", ".join(f"{name} {value}" for name, value in figures.items()), flush=True)


if __name__ == "__main__":
    main()
