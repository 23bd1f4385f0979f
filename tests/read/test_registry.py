"""The reader registry: a file's reader by its suffix, case-insensitively, else by sniffing its first bytes."""

import dataclasses
import gzip
import json

from builder.read import jsonl, locate_inputs, page_files, read_inputs
from builder.read.registry import READERS, Reader, reader_by_suffix, reader_for
from builder.records import Capture


def test_a_suffix_names_its_reader_whatever_its_case_and_the_longest_suffix_wins(tmp_path):
    assert reader_by_suffix("a.txt").format == page_files.FORMAT == reader_by_suffix("A.TXT").format
    assert reader_by_suffix("day.jsonl").format == jsonl.FORMAT == reader_by_suffix("DAY.JSONL.GZ").format
    assert reader_by_suffix("page.HTML.GZ").format == page_files.FORMAT == reader_by_suffix("jina.md").format
    assert reader_by_suffix("notes.rtf") is None and reader_by_suffix("page.json") is None


def test_upper_case_suffixes_are_read_as_their_format(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "PAGE.TXT").write_text("Title\nDate: 13/09/2024 | Source: KCNA.kp (En)\nBody.")
    lines = tmp_path / "DAY.JSONL.GZ"
    with gzip.open(lines, "wt") as handle:
        handle.write(json.dumps({"text": "a capture"}) + "\n")
    read = list(read_inputs([folder, lines]))
    assert [type(item) for item in read] == [Capture, Capture]
    assert [item.input for item in read] == ["raw/PAGE.TXT", "DAY.JSONL.GZ:1"]


def test_a_file_whose_suffix_says_nothing_is_recognised_by_a_readers_sniff(tmp_path):
    sniffing = dataclasses.replace(READERS[1], sniff=lambda head: head.startswith(b'{"text"'))
    readers = (READERS[0], sniffing)
    export = tmp_path / "export.data"
    export.write_text(json.dumps({"text": "a capture"}) + "\n")
    other = tmp_path / "other.data"
    other.write_text("not a capture")
    assert reader_for(export, readers) is sniffing and reader_for(other, readers) is None
    assert reader_for(export) is None  # no registered reader sniffs


def test_every_registered_reader_reads_what_it_locates(tmp_path):
    """A reader is whole: its unit maker locates captures that its own `load` reads."""
    (tmp_path / "page.txt").write_text("Title\nDate: 13/09/2024 | Source: KCNA.kp (En)\nBody.")
    (tmp_path / "day.jsonl").write_text(json.dumps({"text": "a capture"}) + "\n")
    for reader in READERS:
        assert isinstance(reader, Reader)
    located = list(locate_inputs([tmp_path]))  # a folder holds any format read in folders
    assert [item.format for item in located] == [jsonl.FORMAT, page_files.FORMAT]
