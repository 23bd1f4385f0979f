import os
import subprocess
import sys
import time

from builder.run.parallel import Workers, chunked


def square_all(chunk):
    return [(value * value, os.getpid()) for value in chunk]


def test_results_keep_input_order_across_workers():
    with Workers(2) as pool:
        results = list(pool.map_chunks(square_all, chunked(range(1000), 7)))
    assert [value for value, _ in results] == [n * n for n in range(1000)]
    assert os.getpid() not in {pid for _, pid in results}
    assert pool.busy_seconds > 0


def test_one_worker_runs_in_process():
    with Workers(1) as pool:
        results = list(pool.map_chunks(square_all, chunked(range(10), 3)))
    assert {pid for _, pid in results} == {os.getpid()}


def test_input_is_consumed_lazily():
    consumed = []

    def numbers():
        for n in range(10_000):
            consumed.append(n)
            yield n

    with Workers(2) as pool:
        results = pool.map_chunks(square_all, chunked(numbers(), 10))
        next(results)
        assert len(consumed) < 100  # at most 2 x workers chunks ahead, not the whole stream


def test_workers_die_with_a_parent_killed_outright(tmp_path):
    """SIGKILL gives the parent no chance to stop its pool: the workers must not live on (and print tracebacks
    for the pipe nobody reads)."""
    script = (
        "import os, sys, time\n"
        "from builder.run.parallel import Workers, chunked\n"
        "def slow(chunk):\n"
        "    time.sleep(0.05)\n"
        "    return [os.getpid() for _ in chunk]\n"
        "with Workers(2) as pool:\n"
        "    pids = set()\n"
        "    for pid in pool.map_chunks(slow, chunked(range(100_000), 1)):\n"
        "        if pid not in pids:\n"
        "            pids.add(pid)\n"
        "            print(pid, flush=True)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers = {int(parent.stdout.readline()), int(parent.stdout.readline())}
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)
    assert "Traceback" not in parent.stderr.read()


def _alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_stopping_signal_that_reaches_a_worker_before_it_ignores_it_is_ignored():
    """Ctrl-C or SIGTERM to the process group can reach a worker between its fork and `_worker_start`, which ignores
    them: with the parent's handler (the CLI's raises KeyboardInterrupt) the worker failed mid-start and the pool
    waited for ever. Here each worker is signalled at the very start of `_worker_start`."""
    script = (
        "import os, signal\n"
        "from builder.run import parallel\n"
        "def interrupt(signum, frame):\n"
        "    raise KeyboardInterrupt\n"
        "signal.signal(signal.SIGTERM, interrupt)\n"
        "parallel._die_with_parent = lambda: os.kill(os.getpid(), signal.SIGTERM)\n"
        "def double(chunk):\n"
        "    return [2 * value for value in chunk]\n"
        "with parallel.Workers(2) as pool:\n"
        "    print(sum(pool.map_chunks(double, parallel.chunked(range(100), 10))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=20)
    assert done.stdout.strip() == str(2 * sum(range(100)))
    assert "Traceback" not in done.stderr and done.returncode == 0
