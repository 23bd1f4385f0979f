"""Precision and recall of the links on the labelled pairs (tests/link/labelled_pairs.tsv), per relation, on one
build over the seed, the real collections of ../shared/realdata and KCNA Watch captures rendered from stiles' stories
(`link_eval`). Prints figures; needs ../shared/realdata.

    .venv/bin/python -m benchmarks.bench_link_quality --realdata ../shared/realdata
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from benchmarks.link_eval import build_corpus, evaluate, read_labelled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--realdata", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "realdata")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dprk-corpus-links-") as scratch:
        started = time.perf_counter()
        release = build_corpus(options.realdata, Path(scratch), options.workers)
        print(f"corpus built in {time.perf_counter() - started:.1f} s")
        report = json.loads((release / "build_report.json").read_text(encoding="utf-8"))
        print("links in the corpus:", json.dumps(report["links"]["pairs"]))
        for relation, figures in evaluate(release, read_labelled()).items():
            print(f"{relation}: {json.dumps(figures)}")


if __name__ == "__main__":
    main()
