"""Time and memory of the link stage at corpus scale, on synthetic article shards (`--articles`, e.g. 100000 and
1000000): one pass from nothing, then a pass over the same articles plus 1% more with the store the first kept (what
a build with the memo does), and the links each found.

The articles: bodies of 150-900 words drawn from a Zipf vocabulary of 30,000 words (so that unrelated texts share
the odd phrase, as KCNA's do), dates over ten years; 1% are republications (the same body a few days later, another
origin), 0.5% captures cut short (the first third, `complete` false), 0.5% variants (a tenth of the words replaced,
same day and title). Prints figures.

    .venv/bin/python -m benchmarks.bench_links --articles 100000 --workers 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy
import pyarrow
import pyarrow.compute as pc
import pyarrow.parquet as pq

from builder.link.stage import write_links
from builder.link.store import LinkStore
from builder.run.parallel import Workers
from builder.run.timings import Timings

VOCABULARY = 30_000
ROW_GROUP = 5_000
FIRST_DAY = dt.date(2014, 1, 1)


def _bodies(rng: numpy.random.Generator, count: int) -> tuple[pyarrow.Array, numpy.ndarray]:
    words = pyarrow.array([f"w{index}" for index in range(VOCABULARY)])
    lengths = rng.integers(150, 900, size=count)
    drawn = numpy.minimum(rng.zipf(1.3, size=int(lengths.sum())) - 1, VOCABULARY - 1)
    offsets = numpy.concatenate([[0], numpy.cumsum(lengths)]).astype(numpy.int64)
    lists = pyarrow.ListArray.from_arrays(pyarrow.array(offsets), words.take(pyarrow.array(drawn)))
    return pc.binary_join(lists, " "), lengths


def synthetic_articles(count: int, seed: int = 7) -> pyarrow.Table:
    """`count` articles with the columns the link stage reads, sorted by date and id as a release's are."""
    rng = numpy.random.default_rng(seed)
    base = int(count * 0.98)
    bodies, lengths = _bodies(rng, base)
    days = rng.integers(0, 3650, size=base)
    source_rows = rng.choice(base, size=count - base, replace=False)
    kinds = numpy.array(["republished"] * ((count - base) // 2) + ["cut"] * ((count - base) // 4))
    kinds = numpy.concatenate([kinds, numpy.full(count - base - len(kinds), "variant")])
    extra_bodies, extra_days, extra_complete = [], [], []
    body_list = bodies.to_pylist()
    for row, kind in zip(source_rows.tolist(), kinds.tolist()):
        words = body_list[row].split(" ")
        if kind == "cut":
            words = words[: len(words) // 3]
        elif kind == "variant":
            for at in rng.choice(len(words), size=len(words) // 10, replace=False).tolist():
                words[at] = f"v{at}"
        extra_bodies.append(" ".join(words))
        extra_days.append(int(days[row]) + (int(rng.integers(1, 10)) if kind == "republished" else 0))
        extra_complete.append(kind != "cut")
    all_days = numpy.concatenate([days, extra_days])
    all_bodies = pyarrow.concat_arrays([bodies.cast(pyarrow.string()), pyarrow.array(extra_bodies, pyarrow.string())])
    titles = [f"title {row}" for row in range(base)] + [f"title {row}" for row in source_rows.tolist()]
    table = pyarrow.table(
        {
            "id": [f"c{index:016x}" for index in range(count)],
            "raw_sha256": [f"{index:064x}" for index in range(count)],
            "date": pyarrow.array([FIRST_DAY + dt.timedelta(days=int(day)) for day in all_days], pyarrow.date32()),
            "language": pyarrow.array(["en"] * count),
            "complete": pyarrow.array([True] * base + extra_complete),
            "input_form": pyarrow.array(["text"] * count),
            "title": titles,
            "origin": pyarrow.array(["KCNA Watch"] * base + ["kcna.kp"] * (count - base)),
            "word_count": pyarrow.array(
                numpy.concatenate([lengths, [len(body.split()) for body in extra_bodies]]), pyarrow.int32()
            ),
            "body": all_bodies,
        }
    )
    return table.sort_by([("date", "ascending"), ("id", "ascending")])


def _write(table: pyarrow.Table, release: Path) -> None:
    (release / "data").mkdir(parents=True)
    path = release / "data" / "articles-00000-of-00001.parquet"
    pq.write_table(table, path, row_group_size=ROW_GROUP, compression="zstd")


def _pass(release: Path, files: list[str], store_path: Path | None, scratch: Path, workers: int) -> dict:
    timings = Timings()
    started = time.perf_counter()
    with Workers(workers) as pool:
        store = LinkStore(store_path, scratch, threads=workers)
        try:
            result = write_links(release, files, store, pool, timings)
        finally:
            store.close()
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "steps": {name: round(seconds, 1) for name, seconds in timings.seconds.items()},
        "sketched": result.sketched,
        "measured": result.measured,
        "links": result.tally.to_json()["pairs"],
    }


def make_corpus(articles: int, folder: Path) -> None:
    """Two releases' article shards in `folder`: `grown` (`articles` + 1%) and `first`, without a random 1% of them."""
    grown = synthetic_articles(int(articles * 1.01))
    dropped = numpy.random.default_rng(11).choice(grown.num_rows, size=grown.num_rows - articles, replace=False)
    keep = numpy.ones(grown.num_rows, dtype=bool)
    keep[dropped] = False
    _write(grown.filter(pyarrow.array(keep)), folder / "first")
    _write(grown, folder / "grown")


def measure(folder: Path, workers: int) -> None:
    """The two passes, in a process of their own, so that its peak memory is the stage's."""
    store = folder / "links.duckdb"
    for label, name in (("from nothing", "first"), ("+1% with the store", "grown")):
        figures = _pass(
            folder / name, ["data/articles-00000-of-00001.parquet"], store, folder / f"spill-{name}", workers
        )
        print(f"{label}: {json.dumps(figures)}", flush=True)
    peak_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: main process {_high_water_mark():.0f} MiB, largest worker {peak_worker:.0f} MiB")


def _high_water_mark() -> float:
    """This process's peak resident memory in MiB (`VmHWM`: unlike `ru_maxrss`, not carried over from the process
    that started it, which made the corpus)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process's own option
    options = parser.parse_args()
    if options.measure:
        measure(options.measure, options.workers)
        return
    with tempfile.TemporaryDirectory(prefix="dprk-corpus-bench-links-") as scratch:
        started = time.perf_counter()
        make_corpus(options.articles, Path(scratch))
        print(f"{options.articles} articles (+1%) made in {time.perf_counter() - started:.0f} s", flush=True)
        command = [
            sys.executable,
            "-m",
            "benchmarks.bench_links",
            "--measure",
            scratch,
            "--workers",
            str(options.workers),
        ]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
