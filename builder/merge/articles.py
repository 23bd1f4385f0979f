"""Choosing each group's article: of a group's captures, the title, date and source come from the best headed
capture and the body from the best capture of all (a whole body first, then one that reached the end of the page,
then a headed one, then the longest; ties broken by the capture's hash so the choice is stable). Captures that
disagree with the choice are reported. A pure function of the index rows and the bodies they point to, so workers
run it on chunks of whole groups in parallel."""

from __future__ import annotations

import hashlib
import json
import pickle
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

import pyarrow

from builder.bodystore import BodyRef, BodyStore
from builder.extract.capture import ParsedCapture
from builder.extract.parse.repairs import remove_repeated_title
from builder.merge.capture_index import BY_RECORD, KEYED, joined_fields
from builder.merge.index_rows import parsed_from_row
from builder.records import Rejected

PICKLE = pickle.HIGHEST_PROTOCOL
_SHAPE_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}


def body_rank(capture: ParsedCapture) -> tuple:
    """Smaller is better: the capture whose body is kept."""
    page = capture.page
    return (
        not page.body_whole,
        not page.complete,
        not page.headed,
        -capture.body_at[2],
        capture.raw_sha256,
        capture.input,
    )


def header_rank(capture: ParsedCapture) -> tuple:
    """Smaller is better: the headed capture whose title, date and source are kept."""
    return (_SHAPE_ORDER[capture.page.shape], not capture.page.complete, capture.raw_sha256, capture.input)


@dataclass
class Article:
    """One output row before it is turned into Arrow: the chosen captures, read back from the merge's index (their
    pages without paragraphs), and the chosen body when the merge had to read it (`body`; else None, and the row
    maker reads it): each body is read from the body store once at most."""

    id: str
    header: ParsedCapture
    body_from: ParsedCapture
    captures: list[ParsedCapture]
    body: str | None

    @property
    def newstream_id(self) -> str | None:
        return self.id if any(seen.key for seen in self.captures) else None

    @property
    def url(self) -> str | None:
        urls = sorted({seen.url for seen in self.captures if seen.key}, key=lambda url: (-len(url), url))
        return urls[0] if urls else None


@dataclass
class MergedGroups:
    """What `merge_groups` makes of a chunk of groups: one row of the groups table for each, and one plan (where
    the pickled `Article` lies in the plan store) for each that became an article."""

    groups: pyarrow.RecordBatch
    plans: pyarrow.RecordBatch


def merge_groups(store: BodyStore, plan_store: BodyStore, batch: pyarrow.RecordBatch) -> MergedGroups:
    """Each whole group of captures in `batch` (rows ordered by `article_group`, with its `signature`) -> its
    article, or rejects. A pure function of the rows and the bodies they point to, so workers run it on chunks in
    parallel, and the next build can reuse its outcome for a group whose captures did not change."""
    signatures = dict(zip(batch.column("article_group").to_pylist(), batch.column("signature").to_pylist()))
    groups, plans = [], []
    for group, captures in _consecutive_groups([batch]):
        rejected, conflicts, repairs = [], [], Counter()
        article = _article(store, group, captures, rejected, conflicts, repairs)
        groups.append(
            {
                "article_group": group,
                "signature": signatures[group],
                "id": article.id if article else None,
                "date": article.header.page.date if article else None,
                "merged": len(article.captures) - 1 if article else 0,
                "repairs": json.dumps(dict(sorted(repairs.items()))) if repairs else None,
                "conflict": json.dumps(conflicts[0], ensure_ascii=False) if conflicts else None,
                "rejected": json.dumps([reject.to_json() for reject in rejected], ensure_ascii=False)
                if rejected
                else None,
            }
        )
        if article is not None:
            plan_file, plan_offset, plan_length = plan_store.put(pickle.dumps(article, PICKLE))
            plans.append(
                {
                    "date": article.header.page.date,
                    "id": article.id,
                    "plan_file": plan_file,
                    "plan_offset": plan_offset,
                    "plan_length": plan_length,
                }
            )
    return MergedGroups(
        pyarrow.RecordBatch.from_pylist(groups, schema=GROUPS_SCHEMA),
        pyarrow.RecordBatch.from_pylist(plans, schema=PLANS_SCHEMA),
    )


def _article(
    store: BodyStore, group: str, captures: list[ParsedCapture], rejected: list, conflicts: list, repairs: Counter
) -> Article | None:
    headed = [seen for seen in captures if seen.page.headed]
    if not headed:
        for seen in captures:
            rejected.append(
                Rejected(
                    seen.input,
                    seen.url,
                    "headless",
                    f"the capture has no title or Date line, and no other capture of article {seen.key} has "
                    "one; add a complete capture of that URL",
                )
            )
        return None
    header = min(headed, key=header_rank)
    body_from = min(captures, key=body_rank)
    repairs.update(body_from.page.repairs)
    keyed = group.startswith(KEYED)
    # The body is read here only when choosing needs it: an id made from the content, a title repetition to take out
    # of a headless capture's body, captures whose bodies differ. Most groups need none of it.
    needs_body = (
        not keyed or not body_from.page.headed or any(seen.body_digest != body_from.body_digest for seen in captures)
    )
    body = article_body(store, body_from, header, repairs) if needs_body else None
    article_id = group[len(KEYED) :] if keyed else _record_id(group) if group.startswith(BY_RECORD) else None
    article_id = article_id or "c" + _content_hash(header, body)
    _check_agreement(store, article_id, header, body_from, body, captures, conflicts)
    return Article(article_id, header, body_from, sorted(captures, key=lambda seen: seen.raw_sha256), body)


def _check_agreement(store, article_id, header, body_from, body, captures, conflicts) -> None:
    """Captures of one article should agree; each one that does not is reported, with the choice made."""
    disagreeing = []
    for seen in captures:
        if seen is body_from:
            continue
        why = None
        page, chosen = seen.page, header.page
        if page.headed and (page.title, page.date, page.source) != (chosen.title, chosen.date, chosen.source):
            why = "its title, date or source differ from the chosen header's"
        elif seen.body_digest != body_from.body_digest:
            other = article_body(store, seen, header, Counter())
            if page.body_whole and other != body:
                why = "its whole body differs from the chosen body"
            elif not page.body_whole and not _is_cut_prefix(other, body):
                why = "its cut-short body is not the start of the chosen body"
        if why:
            disagreeing.append({"input": seen.input, "raw_sha256": seen.raw_sha256, "why": why})
    if disagreeing:
        conflicts.append(
            {
                "id": article_id,
                "chosen": {"input": body_from.input, "raw_sha256": body_from.raw_sha256},
                "header_from": {"input": header.input, "raw_sha256": header.raw_sha256},
                "disagreeing": sorted(disagreeing, key=lambda item: item["input"]),
                "detail": "kept the body of the capture that is whole and reached furthest on the page "
                "(then the longest), and the title, date and source of the best headed capture",
            }
        )


def _consecutive_groups(batches: Iterable[pyarrow.RecordBatch]) -> Iterator[tuple[str, list[ParsedCapture]]]:
    """(group, its captures) from rows ordered by `article_group`."""
    rows = (row for batch in batches for row in batch.to_pylist())
    for group, members in groupby(rows, key=lambda row: row["article_group"]):
        yield group, [parsed_from_row(row) for row in members]


_STRING, _DATE = pyarrow.string(), pyarrow.date32()
GROUPS_SCHEMA = pyarrow.schema(
    [
        ("article_group", _STRING),
        ("signature", _STRING),
        ("id", _STRING),
        ("date", _DATE),
        ("merged", pyarrow.int64()),
        ("repairs", _STRING),
        ("conflict", _STRING),
        ("rejected", _STRING),
    ]
)
EARLIER_GROUPS_SCHEMA = GROUPS_SCHEMA.append(pyarrow.field("position", pyarrow.int64()))  # `MergeResult.write_groups`
PLANS_SCHEMA = pyarrow.schema(
    [
        ("date", _DATE),
        ("id", _STRING),
        ("plan_file", _STRING),
        ("plan_offset", pyarrow.int64()),
        ("plan_length", pyarrow.int64()),
    ]
)


def read_article(plan_store: BodyStore, where: BodyRef) -> Article:
    """An article `merge_groups` wrote to the plan store."""
    return pickle.loads(plan_store.get_bytes(where))


def article_body(store: BodyStore, seen: ParsedCapture, header: ParsedCapture, repairs: Counter) -> str:
    """A capture's body read back from the store. A headless capture's body still carries the Voice of Korea
    title repetition, which needs the title of its article's header to be removed."""
    body = store.get(seen.body_at)
    if seen.page.headed:
        return body
    paragraphs = remove_repeated_title(body.split("\n\n"), header.page.title, header.page.source, repairs)
    return "\n\n".join(paragraphs)


def _record_id(group: str) -> str:
    """`r` + 16 hex digits of SHA-256 over the collection's name and the record's key (the group's key names both)."""
    return "r" + hashlib.sha256(group.encode("utf-8")).hexdigest()[:16]


def _content_hash(header: ParsedCapture, body: str) -> str:
    page = header.page
    text = joined_fields([page.source, page.date.isoformat(), page.title, body])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _is_cut_prefix(cut: str, whole: str) -> bool:
    """A body cut short, maybe mid-word, agrees with a whole one when it is its start."""
    return whole.startswith(cut) or whole.startswith(cut.rsplit(None, 1)[0] if cut.split() else "")
