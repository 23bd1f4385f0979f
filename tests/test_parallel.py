import os

from builder.parallel import Workers, chunked


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
