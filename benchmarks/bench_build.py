"""Benchmark of `dprk-corpus build` on a synthetic corpus, against a floor and a peer. Prints figures.

    .venv/bin/python -m benchmarks.bench_build --captures 10000 --workdir /tmp/dprk-bench

What it runs, all on the same generated corpus (benchmarks/synthetic.py, fixed seed):
- build: the real `dprk-corpus build` (a subprocess, no build memo): wall, captures/s, MB/s, seconds per stage
  (from `--timings`), peak memory of the whole process tree (PSS: shared pages counted once), output size;
- floor: reading every input byte plus writing the finished tables with pyarrow alone (no parsing);
- peer: the project's own parse function fed through `datasets.Dataset.from_generator(...).to_parquet(...)`;
- incremental: a full build that fills a build memo (`--cache`), then a build of the corpus plus 1% new captures
  (a new JSON-lines file of new articles, as a new day would come) that starts from it, against both full builds;
- reading: the share of the articles file a one-month filter must read (row groups whose date statistics
  overlap the month), and a DuckDB query of that month.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq

from benchmarks.synthetic import GENERATOR_VERSION, generate
from builder.extract.capture import parse_bytes
from builder.read import read_inputs
from builder.records import Capture
from builder.schema.columns import CONFIGS
from builder.write.shards import config_files

SCRIPT = Path(sys.executable).parent / "dprk-corpus"


# A sample costs ~20 ms of CPU for a build's three processes (the kernel walks their page tables for `smaps_rollup`):
# every 0.2 s, that was ~9% of a core taken from the build measured; every 0.5 s it is ~4%, and a build's memory
# stays near its peak for seconds.
SAMPLE_SECONDS = 0.5


def _tree_pss_kib(root: int) -> int:
    """Memory of a process and all its descendants, from /proc: the proportional set size, so pages that forked
    workers share with their parent (the imported libraries) are counted once, not once per process."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration):
            continue
    return total


def run_measured(command: list[str]) -> dict:
    """Run a command; its wall time, peak memory of its process tree (sampled every `SAMPLE_SECONDS`), stdout and
    stderr."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss_kib(process.pid))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stdout}\n{stderr}")
    return {"wall": time.perf_counter() - start, "peak_pss_mib": peak / 1024, "stdout": stdout, "stderr": stderr}


def corpus(folder: Path, captures: int, **options) -> dict:
    """Generate the corpus in `folder` unless a complete one of this generator version is there; its figures."""
    done = folder / "DONE"
    wanted = {"captures": captures, "generator": GENERATOR_VERSION, **options}
    if done.is_file():
        recorded = json.loads(done.read_text())
        if {key: value for key, value in recorded.items() if key != "bytes"} == wanted:
            return recorded
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    made = generate(folder, captures, **options)
    figures = {**wanted, "bytes": made.bytes}
    done.write_text(json.dumps(figures))
    print(f"generated {made.captures} captures, {made.bytes / 1e6:.0f} MB in {time.perf_counter() - start:.0f} s")
    return figures


def build(inputs: list[Path], releases: Path, extra: list[str]) -> dict:
    releases.mkdir(parents=True, exist_ok=True)
    result = run_measured(
        [
            str(SCRIPT),
            "build",
            *map(str, inputs),
            "--releases",
            str(releases),
            "--citation",
            str(releases / "CITATION.cff"),
            "--timings",
            *extra,
        ]
    )
    result["stages"] = json.loads(result["stderr"].strip().splitlines()[-1])
    result["release"] = max(releases.glob("v*"))
    return result


def floor(inputs: list[Path], release: Path, scratch: Path) -> float:
    """Read every input byte, then write the finished tables with pyarrow: what no build can beat."""
    tables = {
        f"{config}-{index}.parquet": pq.read_table(path)
        for config in CONFIGS
        for index, path in enumerate(config_files(release, config))
    }
    start = time.perf_counter()
    for path in inputs:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            with open(file, "rb") as handle:
                while handle.read(1 << 22):
                    pass
    for name, table in tables.items():
        pq.write_table(table, scratch / name, compression="zstd", write_statistics=True, write_page_index=True)
    return time.perf_counter() - start


def peer_rows(inputs: list[str]):
    for item in read_inputs([Path(path) for path in inputs]):
        if isinstance(item, Capture):
            parsed = parse_bytes(item.raw, item.text)
            if parsed.page is not None:
                page = parsed.page
                yield {
                    "input": item.input,
                    "title": page.title,
                    "date": page.date,
                    "source": page.source,
                    "body": page.body,
                    "shape": page.shape,
                    "complete": page.complete,
                }


def peer(inputs: list[Path], scratch: Path) -> float:
    """The obvious alternative: the project's parse function through `datasets` (no de-duplication)."""
    import datasets

    datasets.disable_progress_bars()
    start = time.perf_counter()
    dataset = datasets.Dataset.from_generator(
        peer_rows, gen_kwargs={"inputs": [str(path) for path in inputs]}, cache_dir=str(scratch / "hf-cache")
    )
    dataset.to_parquet(str(scratch / "peer.parquet"))
    return time.perf_counter() - start


def month_filter(release: Path) -> dict:
    """Share of the articles shards' bytes in row groups whose date statistics overlap one month."""
    shards = config_files(release, "articles")
    dates = pq.ParquetDataset(shards).read(columns=["date"])["date"]
    month = dates[len(dates) // 2].as_py().replace(day=1)  # rows are sorted by date: a month in the middle
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    read = total = groups = hit = 0
    for shard in shards:
        metadata = pq.ParquetFile(shard).metadata
        column = metadata.schema.to_arrow_schema().get_field_index("date")
        for index in range(metadata.num_row_groups):
            group = metadata.row_group(index)
            size = sum(group.column(c).total_compressed_size for c in range(group.num_columns))
            stats = group.column(column).statistics
            groups += 1
            total += size
            if stats is None or (stats.min < end and stats.max >= month):
                read += size
                hit += 1
    figures = {
        "month": month.isoformat(),
        "row_groups_read": hit,
        "row_groups": groups,
        "share_read": read / total if total else 0.0,
    }
    try:
        import duckdb

        start = time.perf_counter()
        query = (
            f"SELECT count(*) FROM read_parquet({[str(s) for s in shards]}) WHERE date >= '{month}' AND date < '{end}'"
        )
        figures["duckdb_rows"] = duckdb.sql(query).fetchall()[0][0]
        figures["duckdb_seconds"] = time.perf_counter() - start
    except ImportError:
        pass
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--captures", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "dprk-bench")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--skip-peer", action="store_true", help="Skip the datasets peer (slow at 1M).")
    parser.add_argument("--skip-incremental", action="store_true", help="Skip the two incremental builds.")
    args = parser.parse_args()

    corpus_folder = args.workdir / f"corpus-{args.captures}"
    info = corpus(corpus_folder, args.captures)
    inputs = [corpus_folder / "pages", *sorted(corpus_folder.glob("captures-*.jsonl"))]
    runs = args.workdir / f"runs-{args.captures}"
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir(parents=True)
    workers = ["--workers", str(args.workers)]

    mb = info["bytes"] / 1e6
    print(f"corpus: {info['captures']} captures, {mb:.0f} MB; workers: {args.workers}", flush=True)
    full = build(inputs, runs / "full", [*workers, "--no-cache"])
    output_bytes = sum(p.stat().st_size for config in CONFIGS for p in config_files(full["release"], config))
    print(
        f"build (no cache):  {full['wall']:.1f} s wall, {info['captures'] / full['wall']:.0f} captures/s, "
        f"{mb / full['wall']:.1f} MB/s, peak memory (PSS) {full['peak_pss_mib']:.0f} MiB, "
        f"output {output_bytes / 1e6:.0f} MB",
        flush=True,
    )
    print(
        "  stages (s): " + ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in full["stages"].items()), flush=True
    )
    floor_seconds = floor(inputs, full["release"], runs)
    print(f"floor:             {floor_seconds:.1f} s   build/floor = {full['wall'] / floor_seconds:.2f}", flush=True)
    if not args.skip_peer:
        peer_seconds = peer(inputs, runs)
        print(f"peer (datasets):   {peer_seconds:.1f} s   peer/build = {peer_seconds / full['wall']:.2f}", flush=True)
    _print_reading(month_filter(full["release"]))
    if not args.skip_incremental:
        incremental(args, inputs, runs, workers, full)


def _print_reading(reading: dict) -> None:
    print(
        f"one-month filter ({reading['month']}): {reading['row_groups_read']} of {reading['row_groups']} row groups, "
        f"{100 * reading['share_read']:.1f}% of the articles bytes"
        + (
            f"; DuckDB counted {reading['duckdb_rows']} rows in {reading['duckdb_seconds']:.2f} s"
            if "duckdb_rows" in reading
            else ""
        ),
        flush=True,
    )


def incremental(args: argparse.Namespace, inputs: list[Path], runs: Path, workers: list[str], full: dict) -> None:
    """A full build that fills a memo, then the corpus plus 1% new captures from it."""
    extra_folder = args.workdir / f"extra-{args.captures}"
    # New articles, as a new day's captures are: numbered after the corpus's, so that their URL keys are new.
    corpus(extra_folder, max(1, args.captures // 100), seed=7, pages_share=0.0, first_article=args.captures)
    cache = ["--cache", str(runs / "cache")]
    cold = build(inputs, runs / "incremental", [*workers, *cache])
    warm = build([*inputs, *sorted(extra_folder.glob("captures-*.jsonl"))], runs / "incremental", [*workers, *cache])
    print(
        f"full build filling the memo: {cold['wall']:.1f} s; +1% captures from the memo: {warm['wall']:.1f} s "
        f"= {100 * warm['wall'] / cold['wall']:.0f}% of it, {100 * warm['wall'] / full['wall']:.0f}% of the build "
        f"without memo (peak PSS {warm['peak_pss_mib']:.0f} MiB)"
    )
    print(
        "  stages of the +1% build (s): "
        + ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in warm["stages"].items())
    )


if __name__ == "__main__":
    main()
