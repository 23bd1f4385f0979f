import gzip
import json
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.extract.urls import is_http_url
from builder.read import Pending, jsonl, load, locate_inputs, read_inputs
from builder.read.jsonl import MAX_JSONL_LINE_BYTES
from builder.records import Capture, Rejected


def test_directory_reads_txt_with_sidecars_in_path_order(tmp_path):
    root = tmp_path / "pages"
    (root / "b").mkdir(parents=True)
    (root / "b" / "2.txt").write_bytes(b"two")
    (root / "1.txt").write_bytes(b"one")
    (root / "1.json").write_text(json.dumps({"url": "https://kcnawatch.org/newstream/1-2/x", "fetched_at": "2025"}))
    (root / "notes.md").write_text("not a capture")
    items = list(read_inputs([root]))
    assert [(i.input, i.raw, i.url) for i in items if isinstance(i, Capture)] == [
        ("pages/1.txt", b"one", "https://kcnawatch.org/newstream/1-2/x"),
        ("pages/b/2.txt", b"two", None),
    ]
    [notes] = [item for item in items if isinstance(item, Rejected)]  # accounted for, not read as a capture
    assert (notes.input, notes.reason) == ("pages/notes.md", "not_a_capture_format")


def test_fetched_at_that_is_not_a_string_is_rejected(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.json").write_text(json.dumps({"fetched_at": 20250101}))
    [item] = read_inputs([tmp_path])
    assert item.reason == "bad_sidecar" and "'fetched_at' is not a string" in item.detail


def test_bad_sidecars_are_rejected(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.json").write_text("{not json")
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "b.json").write_text(json.dumps({"url": "ftp://example.org/x"}))
    items = list(read_inputs([tmp_path]))
    assert all(isinstance(i, Rejected) and i.reason == "bad_sidecar" for i in items)
    assert "a.json" in items[0].detail and "not an http(s) URL" in items[1].detail


def test_jsonl_and_gzip_lines_with_their_problems(tmp_path):
    lines = [
        json.dumps({"text": "page one", "url": "https://kcnawatch.org/newstream/1-2/x"}),
        "{broken",
        json.dumps({"url": "https://kcnawatch.org/newstream/1-3/x"}),
        json.dumps({"text": 5}),
        "",
        json.dumps({"text": "page two"}),
    ]
    plain = tmp_path / "c.jsonl"
    plain.write_text("\n".join(lines) + "\n")
    packed = tmp_path / "c.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    for path in (plain, packed):
        items = list(read_inputs([path]))
        assert [(i.input, type(i).__name__) for i in items] == [
            (f"{path.name}:1", "Capture"),
            (f"{path.name}:2", "Rejected"),
            (f"{path.name}:3", "Rejected"),
            (f"{path.name}:4", "Rejected"),
            (f"{path.name}:6", "Capture"),
        ]
        assert items[0].raw == b"page one" and isinstance(items[0], Capture)
        assert "has no 'text'" in items[2].detail and "not a string" in items[3].detail
        assert items[2].url == "https://kcnawatch.org/newstream/1-3/x"


def test_odd_file_names_are_read_and_named_printably(tmp_path):
    root = tmp_path / "pages"
    root.mkdir()
    (root / "with space.txt").write_bytes(b"a")
    (root / "new\nline.txt").write_bytes(b"b")
    (root / os.fsdecode(b"latin\xe9.txt")).write_bytes(b"c")
    names = [item.input for item in read_inputs([root])]
    assert sorted(names) == sorted(["pages/with space.txt", "pages/new\nline.txt", "pages/latin\\xe9.txt"])
    json.dumps(names, ensure_ascii=False).encode("utf-8")  # a report can hold them


def test_broken_symlink_and_symlink_loops_are_reported(tmp_path):
    root = tmp_path / "pages"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_bytes(b"a")
    (root / "broken.txt").symlink_to(tmp_path / "missing.txt")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "self.txt").symlink_to(root / "self.txt")
    items = {item.input: item for item in read_inputs([root])}
    assert isinstance(items["pages/sub/a.txt"], Capture)
    assert items["pages/broken.txt"].reason == "unreadable" and "No such file" in items["pages/broken.txt"].detail
    assert items["pages/self.txt"].reason == "unreadable"
    assert items["pages/sub/loop"].reason == "symlink_loop"


def test_linked_folder_is_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.txt").write_bytes(b"x")
    root = tmp_path / "pages"
    root.mkdir()
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    assert [(i.input, i.raw) for i in read_inputs([root])] == [("pages/linked/x.txt", b"x")]


def test_unreadable_file_is_reported(tmp_path, monkeypatch):
    (tmp_path / "locked.txt").write_bytes(b"x")
    real_read = Path.read_bytes

    def read_bytes(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    [item] = read_inputs([tmp_path])
    assert item.reason == "unreadable" and "Permission denied" in item.detail


def test_large_file_rejected_without_reading_it(tmp_path):
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB that take no disk
    [item] = read_inputs([tmp_path])
    assert item.reason == "too_large" and "52.4 MB" in item.detail


def test_long_jsonl_line_rejected_and_the_next_lines_still_count(tmp_path):
    path = tmp_path / "c.jsonl"
    with open(path, "w") as handle:
        handle.write(json.dumps({"text": "x" * (MAX_JSONL_LINE_BYTES + 10)}) + "\n")
        handle.write(json.dumps({"text": "after"}) + "\n")
        handle.write('{"text": "\\ud800 lone surrogate"}\n')
    items = list(read_inputs([path]))
    assert [(i.input, type(i).__name__) for i in items] == [
        ("c.jsonl:1", "Rejected"),
        ("c.jsonl:2", "Capture"),
        ("c.jsonl:3", "Rejected"),
    ]
    assert items[0].reason == "too_large" and items[1].raw == b"after"
    assert "surrogate" in items[2].detail


def test_truncated_gzip_is_reported_after_the_lines_it_had(tmp_path):
    whole = gzip.compress(b"".join(json.dumps({"text": f"page {n}"}).encode() + b"\n" for n in range(200)))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    items = list(read_inputs([path]))
    assert isinstance(items[-1], Rejected) and items[-1].reason == "unreadable" and items[-1].input == "cut.jsonl.gz"


def test_corrupt_gzip_is_reported_after_the_lines_it_had(tmp_path):
    """Damaged deflate data raises zlib.error, which is not an OSError: it stopped the build with a traceback."""
    whole = bytearray(gzip.compress(b"".join(json.dumps({"text": f"page {n}"}).encode() + b"\n" for n in range(2000))))
    for at in range(len(whole) // 2, len(whole) // 2 + 200):
        whole[at] ^= 0x5A
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(bytes(whole))
    items = list(read_inputs([path]))
    assert isinstance(items[-1], Rejected) and items[-1].reason == "unreadable" and items[-1].input == "bad.jsonl.gz"
    assert all(isinstance(item, Capture) for item in items[:-1])


def test_jsonl_lines_are_located_by_offset_and_loaded_in_another_process(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"capture {n} é"}) for n in range(3)) + "\n\n")
    located = list(locate_inputs([path]))
    assert all(item.line is None and item.length for item in located)  # no bytes travel to the workers
    assert [load(item).raw.decode() for item in located] == ["capture 0 é", "capture 1 é", "capture 2 é"]
    path.write_text("")  # the file shrank between locating and loading
    assert load(located[2]).reason == "unreadable"


def test_line_spans_across_scan_blocks_and_without_a_final_newline(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "SCAN_BLOCK_BYTES", 7)  # lines and blank runs straddle block boundaries
    path = tmp_path / "c.jsonl"
    texts = ["a", "a much longer capture text", "é"]
    path.write_bytes(
        (
            "\n".join(json.dumps({"text": t}) for t in texts[:2]) + "\n  \t \n\n" + json.dumps({"text": texts[2]})
        ).encode()
    )
    located = list(locate_inputs([path]))
    assert [item.name for item in located] == ["c.jsonl:1", "c.jsonl:2", "c.jsonl:5"]
    assert [load(item).raw.decode() for item in located] == texts


def test_a_jsonl_file_replaced_between_reads_is_read_anew(tmp_path):
    """The file `load` keeps open is closed when a stream of captures ends, so a rewritten file is read as it is."""
    path = tmp_path / "captures.jsonl"
    path.write_text(json.dumps({"text": "first"}) + "\n", encoding="utf-8")
    assert [capture.raw for capture in read_inputs([path])] == [b"first"]
    replacement = tmp_path / "new.jsonl"
    replacement.write_text(json.dumps({"text": "other"}) + "\n", encoding="utf-8")
    replacement.replace(path)  # a new file (inode) under the old name
    assert [capture.raw for capture in read_inputs([path])] == [b"other"]


def test_json_nested_too_deeply_is_rejected_and_the_next_lines_still_count(tmp_path):
    """Valid JSON, but nested past the decoder's recursion limit: a RecursionError, not a ValueError, which stopped
    the whole build with a traceback."""
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "c.jsonl").write_text(f'{{"text": "x", "extra": {deep}}}\n' + json.dumps({"text": "page"}) + "\n")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text("x")
    (tmp_path / "pages" / "a.json").write_text("[" * 10_000 + "]" * 10_000)  # a sidecar is at most 64 KiB
    lines = list(read_inputs([tmp_path / "c.jsonl"]))
    assert [type(item).__name__ for item in lines] == ["Rejected", "Capture"]
    assert lines[0].reason == "bad_json" and "nested deeper than a capture record can be" in lines[0].detail
    [page] = read_inputs([tmp_path / "pages"])
    assert page.reason == "bad_sidecar" and "a.json" in page.detail and "nested deeper" in page.detail


def test_urls_and_dates_that_no_file_can_hold_are_rejected_not_a_crash(tmp_path):
    """A URL with an unclosed IPv6 bracket made `urlsplit` raise, and a lone surrogate escape in a URL failed when
    the row was written: both stopped the build with a traceback."""
    page = json.dumps({"text": "page"})[:-1]
    (tmp_path / "c.jsonl").write_text(
        f'{page}, "url": "http://[invalid/x"}}\n'
        f'{page}, "url": "https://kcnawatch.org/newstream/1-2/\\udcff"}}\n'
        f'{page}, "fetched_at": "2025-01-01\\ud800"}}\n'
    )
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text("x")
    (tmp_path / "pages" / "a.json").write_text('{"url": "http://\\udcff.org/x"}')
    lines = list(read_inputs([tmp_path / "c.jsonl"]))
    assert [(item.reason, item.detail.split(";")[0]) for item in lines] == [
        ("bad_json", "url 'http://[invalid/x' is not an http(s) URL"),
        ("bad_json", "'url' holds unpaired surrogate escapes"),
        ("bad_json", "'fetched_at' holds unpaired surrogate escapes"),
    ]
    [sidecar] = read_inputs([tmp_path / "pages"])
    assert sidecar.reason == "bad_sidecar" and "'url' holds unpaired surrogate escapes" in sidecar.detail


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()))  # lone surrogates too, as JSON escapes give
_URLISH = st.builds(
    lambda scheme, rest: scheme + rest,
    st.sampled_from(["http://", "https://", "ftp://", ""]),
    st.text(alphabet="[]:/.%@?#ak19-\udcff", max_size=20),
)
_FIELDS = st.fixed_dictionaries(
    {}, optional={"text": _JSON | _ANY_TEXT, "url": _JSON | _URLISH | _ANY_TEXT, "fetched_at": _JSON | _ANY_TEXT}
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_FIELDS, _JSON))
def test_any_json_line_gives_a_capture_or_a_reason(record):
    line = json.dumps(record).encode("utf-8", "surrogatepass")
    item = jsonl.capture_from_line(line, "c.jsonl:1")
    if isinstance(item, Capture):
        assert item.raw == record["text"].encode("utf-8") and item.text == record["text"]
        if item.url is not None:
            item.url.encode("utf-8")  # a Parquet file can hold it
            assert is_http_url(item.url)
    else:
        assert isinstance(item, Rejected) and item.reason == "bad_json" and item.detail


def test_a_pipe_or_device_as_capture_or_sidecar_is_reported_not_read_for_ever(tmp_path):
    """Located as rejects, so that neither the reader nor the build memo's hashing opens them."""
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "page.txt").write_text("x")
    (tmp_path / "piped.txt").write_text("x")
    os.mkfifo(tmp_path / "piped.json")
    items = list(locate_inputs([tmp_path]))
    names = [item.name if isinstance(item, Pending) else item.input for item in items]
    assert [(name.split("/")[-1], type(item).__name__) for name, item in zip(names, items)] == [
        ("page.txt", "Pending"),
        ("pipe.txt", "Rejected"),
        ("piped.txt", "Rejected"),
        ("zero.txt", "Rejected"),
    ]
    assert [(item.reason, "not a regular file" in item.detail) for item in items[1:]] == [
        ("unreadable", True),
        ("bad_sidecar", True),
        ("unreadable", True),
    ]
