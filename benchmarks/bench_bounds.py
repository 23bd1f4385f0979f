"""How far the issue's two ratio targets (build/floor <= 2, peer/build >= 3) can be reached at all. Prints figures.

    .venv/bin/python -m benchmarks.bench_bounds --workdir /tmp/dprk-bench

Both ratios compare the build with references that leave out work every release needs. Whatever the parser, a
build must, for every capture, decode its JSON line, hash its bytes (`raw_sha256`, `capture_sha256s`) and check
its rows against the pandera schema (the project's rule: every row is checked). This script measures those costs,
and the references, on the first captures of the benchmark corpus's JSON-lines file, in one process, and prints the
best ratio a build doing nothing else could reach on two cores:

- peer/build: the peer takes P + D a capture on one core (P the parse function as the peer calls it: reading, JSON
  and the page; D what `datasets` adds); a build on two cores at least (P + V + H) / 2, with V the checks of the
  capture's share of rows and H one SHA-256 of its bytes. So peer/build <= 2 (P + D) / (P + V + H), which reaches
  3 only while P <= 2 D - 3 (V + H): the largest parse cost for which the target can be met.
- build/floor: the floor reads the input and writes the finished tables (F a capture); a build does that too, plus
  J (JSON), V and H, on two cores. When the input is in the page cache, F is all CPU, and build/floor >= (F + J +
  V + H) / (2 F), <= 2 only while J + V + H <= 3 F. When the floor waits for the disk, a build could read while it
  computes: build/floor >= (J + V + H) / (2 F), the weaker bound, is printed too.

Each figure is the least of a few runs; the build of the sample (for its rows) is the real `build_release`.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import deque
from pathlib import Path

import pyarrow.parquet as pq

from benchmarks.bench_build import corpus, floor, peer, peer_rows
from benchmarks.bench_steps import least_seconds, sample_arguments
from builder.publish.release import build_release
from builder.publish.releases import list_releases
from builder.publish.request import BuildRequest
from builder.read import load, locate_inputs
from builder.records import Capture
from builder.schema.columns import ARTICLES, TEASERS
from builder.schema.validate import validate_batch
from builder.write.shards import BATCH_ROWS, config_files

SMALL_SAMPLE = 1_000


def _sample(jsonl: Path, captures: int, target: Path) -> Path:
    """The first `captures` lines of a corpus's JSON-lines file, as a file of their own."""
    with jsonl.open("rb") as source, target.open("wb") as sample:
        for _, line in zip(range(captures), source):
            sample.write(line)
    return target


def _shards(release: Path, config: str) -> list[Path]:
    return config_files(release, config)


def _check_seconds_a_row(release: Path, config: str, schema, repeats: int) -> float:
    """Least seconds a row to check the config's rows against the schema, in batches of a build's size."""
    table = pq.ParquetDataset(_shards(release, config)).read()
    batches = table.combine_chunks().to_batches(max_chunksize=BATCH_ROWS)
    seconds = least_seconds(lambda: [validate_batch(schema, batch, str) for batch in batches], repeats)
    return seconds / max(1, table.num_rows)


def _latest_release(releases: Path) -> Path:
    found = list_releases(releases) if releases.is_dir() else []
    if not found:
        raise SystemExit(f"no release in {releases}: run `python -m benchmarks.bench_build` at this size first")
    return found[-1]


def _rows_a_capture(release: Path, config: str, captures: int) -> float:
    return sum(pq.ParquetFile(shard).metadata.num_rows for shard in _shards(release, config)) / captures


def bound_figures(
    corpus_folder: Path, captures: int, full_release: Path, samples: tuple[int, int], repeats: int, scratch: Path
) -> dict[str, float]:
    """Microseconds a capture of each part, the rows a capture gives, and the bounds they set.

    The peer has a fixed cost (starting `datasets`, writing its files), so its cost a capture is a slope: between
    the corpus's first `samples[0]` lines and its first `samples[1]`; the other costs are measured on the lines in
    between. The floor and the rows a capture gives are the whole corpus's, with the release `bench_build`
    made of it."""
    jsonl = corpus_folder / "captures-000.jsonl"
    files = [_sample(jsonl, size, scratch / f"sample-{size}.jsonl") for size in samples]
    located = [list(locate_inputs([sample])) for sample in files]
    added = len(located[1]) - len(located[0])
    second_half = located[1][len(located[0]) :]
    loaded = [capture for capture in map(load, second_half) if isinstance(capture, Capture)]
    lines = files[1].read_bytes().splitlines()[len(located[0]) :]
    releases = scratch / "releases"
    releases.mkdir()
    sample_release = build_release(BuildRequest([files[1]], releases, version="1.0.0", released="2026-01-01")).path
    micro = 1e6 / added

    def peer_seconds(sample: Path) -> float:
        return peer([sample], Path(tempfile.mkdtemp(dir=scratch)))

    def rows_seconds(sample: Path) -> float:  # the peer's own generator of rows, without `datasets`
        return least_seconds(lambda: deque(peer_rows([str(sample)]), maxlen=0), 1)

    # Alternately, so that a change of the machine's speed during the runs shows in both.
    peer_runs, rows_runs = [[], []], [[], []]
    for _ in range(repeats):
        for index, sample in enumerate(files):
            peer_runs[index].append(peer_seconds(sample))
            rows_runs[index].append(rows_seconds(sample))
    parse = (min(rows_runs[1]) - min(rows_runs[0])) * micro
    peer_slope = (min(peer_runs[1]) - min(peer_runs[0])) * micro
    corpus_inputs = [corpus_folder / "pages", *sorted(corpus_folder.glob("captures-*.jsonl"))]
    floor_seconds = min(floor(corpus_inputs, full_release, Path(tempfile.mkdtemp(dir=scratch))) for _ in range(repeats))
    articles = _rows_a_capture(full_release, "articles", captures)
    teasers = _rows_a_capture(full_release, "teasers", captures)
    article_check = _check_seconds_a_row(sample_release, "articles", ARTICLES, repeats)
    teaser_check = _check_seconds_a_row(sample_release, "teasers", TEASERS, repeats)
    figures = {
        "P the peer's rows alone (read, JSON, parse)": parse,
        "D datasets' share of the peer": peer_slope - parse,
        "J JSON decoding (json.loads)": least_seconds(lambda: [json.loads(line) for line in lines], repeats) * micro,
        "H SHA-256 of the capture's bytes": least_seconds(
            lambda: [hashlib.sha256(capture.raw).digest() for capture in loaded], repeats
        )
        * micro,
        "V checks of the capture's rows (pandera)": (article_check * articles + teaser_check * teasers) * 1e6,
        "F floor (read the input, write the tables)": floor_seconds / captures * 1e6,
        "articles a capture": articles,
        "teasers a capture": teasers,
        "checks a row: article (us)": article_check * 1e6,
        "checks a row: teaser (us)": teaser_check * 1e6,
    }
    return _with_bounds(figures)


def _with_bounds(figures: dict[str, float]) -> dict[str, float]:
    """The figures with the bounds that the first six set (P, D, J, H, V, F, in that order)."""
    p, d, j, h, v, f = (figures[key] for key in list(figures)[:6])
    figures["best peer/build with this parser"] = 2 * (p + d) / (p + v + h)
    figures["largest P for peer/build >= 3 (us)"] = 2 * d - 3 * (v + h)
    figures["best build/floor, parser free, floor all CPU"] = (f + j + v + h) / (2 * f)
    figures["best build/floor, parser free, floor all disk"] = (j + v + h) / (2 * f)
    return figures


def main() -> None:
    parser = sample_arguments(__doc__)
    parser.add_argument("--sample", type=int, default=20_000, help="Captures of the sample.")
    options = parser.parse_args()
    folder = options.workdir / f"corpus-{options.corpus_captures}"
    corpus(folder, options.corpus_captures)
    release = _latest_release(options.workdir / f"runs-{options.corpus_captures}" / "full")
    with tempfile.TemporaryDirectory() as scratch:
        figures = bound_figures(
            folder, options.corpus_captures, release, (SMALL_SAMPLE, options.sample), options.repeats, Path(scratch)
        )
    print(
        f"{folder} and its build {release}; samples of its first {SMALL_SAMPLE} and {options.sample} lines; "
        f"least of {options.repeats} runs:"
    )
    for name, value in figures.items():
        unit = "us a capture" if name[1:2] == " " else ""
        print(f"  {name:46s} {value:8.2f} {unit}")


if __name__ == "__main__":
    main()
