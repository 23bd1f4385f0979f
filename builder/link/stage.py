"""The link stage: article shards -> the `links` config.

1. the catalogue of the articles (no bodies) and the sketches the store lacks (new or changed articles), made by the
   workers from the bodies a row group at a time;
2. candidate pairs from the store's band keys (MinHash/LSH, blocked by date); those not measured before are measured
   exactly, from the shingle sets of their articles (the workers read those articles' bodies again, a row group at a
   time: a few in a hundred articles are in a candidate pair), and each measure is stored;
3. the rules (`measures.relation_of`) make measured pairs `same_text` or `variant` links, the translation pairer
   adds `translation` links between Korean and English articles;
4. the links, one row a pair (the smaller id first), sorted, schema-checked and written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy
import pyarrow

from builder.link import translations
from builder.link.catalogue import (
    RowGroup,
    groups_holding,
    read_catalogue,
    read_rows,
    row_groups,
    rows_of,
    title_words,
)
from builder.link.measures import MEASURES_SCHEMA, Side, measured, relation_of
from builder.link.shingles import shingled
from builder.link.sketches import shingle_sets, sketched
from builder.link.store import LinkStore
from builder.link.tally import LinkTally
from builder.run.parallel import Workers
from builder.run.timings import Timings
from builder.schema.columns import LINKS
from builder.write.shards import BATCH_ROWS, WrittenConfig, checked_batch, file_batch, write_config

METHOD_SHINGLES = "minhash-lsh+containment"
METHOD_TRANSLATION = "ko-en-features"
SKETCH_SCHEMA = pyarrow.schema(
    [("id", pyarrow.string()), ("raw_sha256", pyarrow.string()), ("shingle_count", pyarrow.int32())]
)


@dataclass
class LinkResult:
    written: WrittenConfig
    tally: LinkTally
    sketched: int  # articles whose sketches this build made (the others' came from the store)
    measured: int  # candidate pairs this build measured


def write_links(
    release: Path, article_files: list[str], store: LinkStore, pool: Workers, timings: Timings
) -> LinkResult:
    groups = row_groups([release / name for name in article_files])
    catalogue = read_catalogue([release / name for name in article_files])
    with timings.measured("link_sketch"):
        made = _add_missing_sketches(catalogue, groups, store, pool)
    with timings.measured("link_candidates"):
        newly_measured = _measure_candidates(store, groups, pool)
        links = _shingle_links(catalogue, groups, store.measured_candidates())
    with timings.measured("link_translations"):
        links += _translation_links(catalogue, groups)
    ids = catalogue["id"].to_numpy(zero_copy_only=False)
    rows = sorted((_link_row(ids, link) for link in links), key=lambda row: (row["id"], row["linked_id"]))
    chunks = [rows[at : at + BATCH_ROWS] for at in range(0, len(rows), BATCH_ROWS)]
    written = write_config(release, LINKS, (_checked(chunk) for chunk in chunks))
    store.keep_only_current()
    linked = numpy.unique(numpy.array([row for link in links for row in link[:2]], dtype=numpy.int64))
    about = rows_of(groups, linked, ["id", "origin", "title", "date"]).to_pylist()
    return LinkResult(written, LinkTally.of(rows, {article["id"]: article for article in about}), made, newly_measured)


def _checked(chunk: list[dict]) -> pyarrow.RecordBatch:
    return checked_batch(LINKS, file_batch(LINKS, chunk), lambda i: f"link {chunk[i]['id']} - {chunk[i]['linked_id']}")


def _add_missing_sketches(catalogue: pyarrow.Table, groups: list[RowGroup], store: LinkStore, pool: Workers) -> int:
    store.use_articles(catalogue.select(["row", "id", "raw_sha256", "day"]))
    missing = store.rows_without_sketch()
    for sketches, band_keys in pool.map_chunks(sketch_chunk, _tasks(groups, missing)):
        store.add_sketches(sketches, band_keys)
    store.refresh_sketch_numbers()
    return len(missing)


def _tasks(groups: list[RowGroup], rows: numpy.ndarray):
    """One task a row group that holds any of the (sorted) rows."""
    return ([held] for held in groups_holding(groups, rows))


def sketch_chunk(tasks: list[tuple[RowGroup, numpy.ndarray]]) -> list[tuple[pyarrow.Table, numpy.ndarray]]:
    """The sketches of the chosen rows of a row group (run by workers)."""
    results = []
    for group, local in tasks:
        table = read_rows(group, local, ["id", "raw_sha256", "body"])
        sketches = sketched(shingled(table["body"].combine_chunks()))
        columns = [table["id"], table["raw_sha256"], sketches.shingle_counts]
        results.append((pyarrow.table(columns, schema=SKETCH_SCHEMA), sketches.band_keys))
    return results


def sets_chunk(tasks: list[tuple[RowGroup, numpy.ndarray]]) -> list[tuple[int, bytes, bytes]]:
    """(row, distinct shingles, first shingles) of the chosen rows of a row group (run by workers)."""
    results = []
    for group, local in tasks:
        sets = shingle_sets(shingled(read_rows(group, local, ["body"])["body"].combine_chunks()))
        results += zip((local + group.first).tolist(), sets.shingles, sets.heads)
    return results


def _measure_candidates(store: LinkStore, groups: list[RowGroup], pool: Workers) -> int:
    if not store.find_candidates():
        return 0
    pairs = store.unmeasured()
    rows = numpy.unique(numpy.concatenate([pairs["row_a"].to_numpy(), pairs["row_b"].to_numpy()]))
    sets = {row: (shingles, head) for row, shingles, head in pool.map_chunks(sets_chunk, _tasks(groups, rows))}
    found = [
        measured(*sets[row_a], *sets[row_b])
        for row_a, row_b in zip(pairs["row_a"].to_pylist(), pairs["row_b"].to_pylist())
    ]
    columns = [pairs["sketch_a"], pairs["sketch_b"]] + [
        [getattr(measure, name) for measure in found] for name in MEASURES_SCHEMA.names[2:]
    ]
    store.add_measures(pyarrow.table(columns, schema=MEASURES_SCHEMA))
    return len(found)


def _shingle_links(
    catalogue: pyarrow.Table, groups: list[RowGroup], measured: pyarrow.Table
) -> list[tuple[int, int, str, float, str]]:
    if not measured.num_rows:
        return []
    involved = numpy.unique(numpy.concatenate([measured["row_a"].to_numpy(), measured["row_b"].to_numpy()]))
    picked = catalogue.take(involved)
    sides = {}
    may_be_cut = [
        not complete and form != "collection"
        for complete, form in zip(picked["complete"].to_pylist(), picked["input_form"].to_pylist())
    ]
    titles = title_words(rows_of(groups, involved, ["title"])["title"])
    columns = (picked["day"].to_pylist(), picked["language"].to_pylist(), may_be_cut, titles)
    for row, *side in zip(involved.tolist(), *columns):
        sides[row] = side
    links = []
    for row_a, row_b, shared, head_shared, count_a, count_b in zip(
        *(measured[c].to_pylist() for c in measured.column_names)
    ):
        a, b = Side(*sides[row_a], count_a), Side(*sides[row_b], count_b)
        found = relation_of(a, b, shared, head_shared)
        if found:
            links.append((row_a, row_b, found[0], round(found[1], 4), METHOD_SHINGLES))
    return links


def _translation_links(catalogue: pyarrow.Table, groups: list[RowGroup]) -> list[tuple[int, int, str, float, str]]:
    languages = catalogue["language"].to_numpy(zero_copy_only=False)
    days = catalogue["day"].to_numpy()
    korean_rows = numpy.flatnonzero(languages == "ko")
    if not len(korean_rows):
        return []
    near = numpy.unique(numpy.concatenate([days[korean_rows] + shift for shift in range(-1, 2)]))
    english_rows = numpy.flatnonzero((languages == "en") & numpy.isin(days, near))
    words = catalogue["word_count"].to_numpy()
    texts = {"ko": [], "en": []}
    wanted = rows_of(groups, numpy.sort(numpy.concatenate([korean_rows, english_rows])), ["title", "body"])
    for row, title, body in zip(wanted["row"].to_pylist(), wanted["title"].to_pylist(), wanted["body"].to_pylist()):
        make = translations.korean_text if languages[row] == "ko" else translations.english_text
        texts[languages[row]].append(make(row, int(days[row]), int(words[row]), title, body))
    return [
        (k, e, "translation", value, METHOD_TRANSLATION)
        for k, e, value in translations.paired(texts["ko"], texts["en"])
    ]


def _link_row(ids: numpy.ndarray, link: tuple[int, int, str, float, str]) -> dict:
    row_a, row_b, relation, score, method = link
    first, second = sorted((ids[row_a], ids[row_b]))
    return {"id": first, "linked_id": second, "relation": relation, "score": score, "method": method}
