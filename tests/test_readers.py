import gzip
import json

from builder.readers import read_inputs
from builder.records import Capture, Rejected


def test_directory_reads_txt_with_sidecars_in_path_order(tmp_path):
    root = tmp_path / "pages"
    (root / "b").mkdir(parents=True)
    (root / "b" / "2.txt").write_bytes(b"two")
    (root / "1.txt").write_bytes(b"one")
    (root / "1.json").write_text(json.dumps({"url": "https://kcnawatch.org/newstream/1-2/x", "fetched_at": "2025"}))
    (root / "notes.md").write_text("ignored")
    items = list(read_inputs([root]))
    assert [(i.input, i.raw, i.url, i.fetched_at) for i in items] == [
        ("pages/1.txt", b"one", "https://kcnawatch.org/newstream/1-2/x", "2025"),
        ("pages/b/2.txt", b"two", None, None),
    ]


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
