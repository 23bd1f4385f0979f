"""De-duplicate step: captures of one article become one article row; teasers are merged across pages.

Captures belong to one article when they share the KCNA Watch key of their URL, or, without URLs, when their
source, date, title and body agree. Of an article's captures, the title, date and source come from the best
headed capture and the body from the best capture of all (a whole body first, then one that reached the end of
the page, then a headed one, then the longest; ties broken by the capture's hash so the choice is stable).
Bodies only ever live in the `BodyStore`; memory holds a few facts per capture.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from .bodystore import BodyRef, BodyStore
from .extract import ParsedCapture
from .parse.repairs import remove_repeated_title
from .records import Rejected

_SHAPE_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}


class Facts(NamedTuple):
    """The page's remaining per-capture fields, kept for the capture whose body is chosen."""

    dateline: str | None
    end_marker: str | None
    kcna_trailer: str | None
    credit: str | None
    captured_on: dt.date | None


@dataclass(slots=True)
class Seen:
    """The small facts of one parsed capture that grouping and choosing need (slots: a million of them)."""

    input: str
    raw_sha256: str
    url: str | None
    key: str | None
    shape: str
    title: str | None
    date: dt.date | None
    source: str | None
    body_at: BodyRef
    body_digest: bytes  # SHA-256 of the body, only compared
    body_whole: bool
    complete: bool
    facts: Facts
    repairs: dict | None  # artefact repairs made in this capture's body, None when there were none

    @property
    def headed(self) -> bool:
        return self.title is not None

    def rank(self) -> tuple:
        """Smaller is better: the capture whose body is kept."""
        return (not self.body_whole, not self.complete, not self.headed, -self.body_at[2], self.raw_sha256, self.input)

    def header_rank(self) -> tuple:
        return (_SHAPE_ORDER[self.shape], not self.complete, self.raw_sha256, self.input)


@dataclass
class Article:
    """One output row before it is turned into Arrow: the chosen captures and the merged facts."""

    id: str
    header: Seen
    body_from: Seen
    captures: list[Seen]

    @property
    def newstream_id(self) -> str | None:
        return self.id if any(seen.key for seen in self.captures) else None

    @property
    def url(self) -> str | None:
        urls = sorted({seen.url for seen in self.captures if seen.url}, key=lambda url: (-len(url), url))
        return urls[0] if urls else None


@dataclass
class MergeResult:
    """`repairs` counts the artefact repairs in the bodies that were kept, by kind."""

    articles: list[Article]
    rejected: list[Rejected]
    conflicts: list[dict]
    teasers: list[dict]
    teasers_without_article: int
    repairs: Counter = field(default_factory=Counter)


class Merger:
    def __init__(self, store: BodyStore):
        self._store = store
        self._groups: dict[tuple, list[Seen]] = defaultdict(list)
        self._teasers: dict[tuple, dict] = {}
        self._rejected: list[Rejected] = []
        self._redirect: dict[tuple, tuple] = {}
        self.repairs: Counter = Counter()

    def add(self, parsed: ParsedCapture) -> None:
        """Index a capture whose body was stashed (`extract.stash_body`)."""
        page = parsed.page
        seen = Seen(
            input=parsed.input,
            raw_sha256=parsed.raw_sha256,
            url=parsed.url,
            key=parsed.key,
            shape=page.shape,
            title=page.title,
            date=page.date,
            source=sys.intern(page.source) if page.source else None,
            body_at=parsed.body_at,
            body_digest=parsed.body_digest,
            body_whole=page.body_whole,
            complete=page.complete,
            facts=Facts(page.dateline, page.end_marker, page.kcna_trailer, page.credit, page.captured_on),
            repairs=dict(page.repairs) or None,
        )
        group = group_of(parsed)
        if group is None:
            self._rejected.append(
                Rejected(
                    seen.input,
                    seen.url,
                    "headless_no_url",
                    "the capture has no title or Date line and no KCNA Watch URL to match it with another capture "
                    "of its article; give it a sidecar URL or re-capture the page with its header",
                )
            )
            return
        self._groups[group].append(seen)

    def add_teasers(self, sightings: dict) -> None:
        """Record teasers seen on pages (`collect_teasers`), so each keeps the pages it was seen on."""
        for teaser_key, (title, groups) in sightings.items():
            entry = self._teasers.setdefault(teaser_key, {"title": title, "groups": set()})
            entry["title"] = _first_title(entry["title"], title)
            entry["groups"].update(groups)

    def finish(self) -> MergeResult:
        groups = self._fold_unkeyed_into_keyed()
        articles, conflicts, group_ids = [], [], {}
        for group, captures in groups.items():
            article = self._article(group, captures, conflicts)
            if article is not None:
                articles.append(article)
                group_ids[group] = article.id
        teasers, orphaned = self._teaser_rows(group_ids, groups)
        articles.sort(key=lambda article: (article.header.date, article.id))
        conflicts.sort(key=lambda conflict: conflict["id"])
        rejected = sorted(self._rejected, key=lambda reject: reject.input)
        return MergeResult(articles, rejected, conflicts, teasers, orphaned, self.repairs)

    def _fold_unkeyed_into_keyed(self) -> dict[tuple, list[Seen]]:
        """A capture without URL that matches a keyed capture's source, date, title and body joins its group."""
        keyed_by_content = {}
        for group, captures in sorted(self._groups.items(), key=lambda item: repr(item[0])):
            if group[0] == "key":
                for seen in captures:
                    if seen.headed:
                        keyed_by_content.setdefault(
                            _content_group(seen.source, seen.date, seen.title, seen.body_digest), group
                        )
        groups: dict[tuple, list[Seen]] = {}
        for group in sorted(self._groups, key=repr):
            target = keyed_by_content.get(group) if group[0] == "content" else None
            if target is not None:
                self._redirect[group] = target
            groups.setdefault(target or group, []).extend(self._groups[group])
        return groups

    def _article(self, group: tuple, captures: list[Seen], conflicts: list[dict]) -> Article | None:
        headed = [seen for seen in captures if seen.headed]
        if not headed:
            for seen in captures:
                self._rejected.append(
                    Rejected(
                        seen.input,
                        seen.url,
                        "headless",
                        f"the capture has no title or Date line, and no other capture of article {group[1]} has "
                        "one; add a complete capture of that URL",
                    )
                )
            return None
        header = min(headed, key=Seen.header_rank)
        body_from = min(captures, key=Seen.rank)
        self.repairs.update(body_from.repairs or {})
        body = article_body(self._store, body_from, header, self.repairs)
        article_id = group[1] if group[0] == "key" else "c" + _content_hash(header, body)
        self._check_agreement(article_id, header, body_from, body, captures, conflicts)
        return Article(article_id, header, body_from, sorted(captures, key=lambda seen: seen.raw_sha256))

    def _check_agreement(self, article_id, header, body_from, body, captures, conflicts) -> None:
        """Captures of one article should agree; each one that does not is reported, with the choice made."""
        disagreeing = []
        for seen in captures:
            if seen is body_from:
                continue
            why = None
            if seen.headed and (seen.title, seen.date, seen.source) != (header.title, header.date, header.source):
                why = "its title, date or source differ from the chosen header's"
            elif seen.body_digest != body_from.body_digest:
                other = article_body(self._store, seen, header, Counter())
                if seen.body_whole and other != body:
                    why = "its whole body differs from the chosen body"
                elif not seen.body_whole and not _is_cut_prefix(other, body):
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

    def _teaser_rows(self, group_ids: dict[tuple, str], groups) -> tuple[list[dict], int]:
        rows, orphaned = [], 0
        for (source, snippet, date), entry in self._teasers.items():
            ids = sorted(
                {group_ids[g] for g in (self._redirect.get(g, g) for g in entry["groups"]) if g in group_ids}
            )
            if not ids:
                orphaned += 1
                continue
            digest = hashlib.sha256(f"{source}\x1f{date.isoformat()}\x1f{snippet}".encode()).hexdigest()
            rows.append(
                {
                    "id": "t" + digest[:16],
                    "source": source,
                    "date": date,
                    "title": entry["title"],
                    "snippet": snippet,
                    "seen_on": ids,
                }
            )
        rows.sort(key=lambda row: (row["date"], row["id"]))
        return rows, orphaned


def group_of(parsed: ParsedCapture) -> tuple | None:
    """The group a capture belongs to: its URL key, else its source, date, title and body; None for a headless
    capture without URL, which belongs to no group (it is rejected)."""
    if parsed.key:
        return ("key", parsed.key)
    page = parsed.page
    if page.title is None:
        return None
    return _content_group(page.source, page.date, page.title, parsed.body_digest)


def _content_group(source: str, date: dt.date, title: str, body_digest: bytes) -> tuple:
    """The group of captures without URL: one article is one source, date, title and body."""
    return ("content", source, date, title, body_digest)


def collect_teasers(parsed_captures: list[ParsedCapture]) -> dict:
    """{(source, snippet, date): (title, {groups of the pages that showed it})} for some pages: workers collect a
    chunk's teasers so that each distinct teaser crosses to the parent once per chunk, not once per page."""
    sightings: dict = {}
    for parsed in parsed_captures:
        group = group_of(parsed)
        if group is None:
            continue
        for teaser in parsed.page.teasers:
            title, groups = sightings.get((teaser.source, teaser.snippet, teaser.date), (None, set()))
            groups.add(group)
            sightings[(teaser.source, teaser.snippet, teaser.date)] = (_first_title(title, teaser.title), groups)
    return sightings


def _first_title(current: str | None, other: str | None) -> str | None:
    """The least of the titles seen, so a teaser gets the same title whatever order its pages come in."""
    return min(title for title in (current, other) if title) if (current or other) else None


def article_body(store: BodyStore, seen: Seen, header: Seen, repairs: Counter) -> str:
    """A capture's body read back from the store. A headless capture's body still carries the Voice of Korea
    title repetition, which needs the title of its article's header to be removed."""
    body = store.get(seen.body_at)
    if seen.headed:
        return body
    paragraphs = remove_repeated_title(body.split("\n\n"), header.title, header.source, repairs)
    return "\n\n".join(paragraphs)


def _content_hash(header: Seen, body: str) -> str:
    text = "\x1f".join([header.source, header.date.isoformat(), header.title, body])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _is_cut_prefix(cut: str, whole: str) -> bool:
    """A body cut short, maybe mid-word, agrees with a whole one when it is its start."""
    return whole.startswith(cut) or whole.startswith(cut.rsplit(None, 1)[0] if cut.split() else "")
