"""The labelled evaluation of the links (`tests/link/labelled_pairs.tsv`): the corpus it is measured on, how its
records are named, and precision and recall per relation.

The corpus is one build over the seed (`raw/`), the real collections of ../shared/realdata and KCNA Watch-shaped
captures rendered from stiles' kcna.kp stories (a whole page in shape A, and a capture cut short after a third of
its paragraphs in shape C), so that pairs of KCNA Watch form are among the labelled ones.

A record is named by fields that pick exactly one article: `origin`, `url` (its `capture_url`), `date`,
`title_sha` and `body_sha` (the first 12 hex digits of SHA-256 of its title, of its body) and, for a rendered
capture, `render=full|cut` with the `url` of the stiles story it was rendered from. The labelled file holds names
and labels only, no text of the collections. Labels: `same_text`, `variant`, `translation`, `part` (one is a verbatim
part of the other published as an item of its own: a flash, a serial part, an excerpt; no relation links it) and
`unrelated`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from benchmarks.render import render_page
from builder.write.shards import config_files

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "link" / "labelled_pairs.tsv"
STILES = "stiles_north-korea-news"
RELATIONS = ("same_text", "variant", "translation")
GOALS = {"same_text": (0.98, 0.95), "variant": (0.9, None), "translation": (0.9, None)}  # (precision, recall)


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    label: str  # same_text, variant, translation or unrelated
    note: str


def read_labelled(path: Path = LABELLED) -> list[Pair]:
    with path.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if not row["a"].startswith("#")]
    return [Pair(row["a"], row["b"], row["label"], row["note"]) for row in rows]


def fields_of(name: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in name.split(";"))


def rendered_urls(pairs: list[Pair]) -> list[str]:
    """The stiles stories the labelled pairs want rendered as KCNA Watch captures."""
    names = [name for pair in pairs for name in (pair.a, pair.b) if "render=" in name]
    return sorted({fields_of(name)["url"] for name in names})


def render_kcna_watch(realdata: Path, urls: list[str], target: Path) -> None:
    """A text capture and its sidecar for each wanted stiles story, whole and cut short."""
    stories = {}
    for path in sorted((realdata / STILES / "data" / "archive").glob("headlines_*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            if record.get("link") in urls and record.get("story_text"):
                stories.setdefault(record["link"], record)
    target.mkdir(parents=True, exist_ok=True)
    for url in urls:
        story = stories[url]
        date = dt.date.fromisoformat(story["date_str"][:10])
        paragraphs = [line.strip() for line in story["story_text"].split("\n") if line.strip()]
        for form, shape, kept, end in (
            ("full", "A", paragraphs, "more_articles"),
            ("cut", "C", paragraphs[: max(1, len(paragraphs) // 3)], "cut"),
        ):
            key = rendered_key(url, form)
            page = render_page(
                shape=shape, title=story["headline"].strip(), date=date, source="KCNA.kp (En)", paragraphs=kept, end=end
            )
            stem = target / f"{key}"
            stem.with_suffix(".txt").write_text(page, encoding="utf-8")
            stem.with_suffix(".json").write_text(json.dumps({"url": f"https://kcnawatch.org/newstream/{key}/story"}))


def rendered_key(url: str, form: str) -> str:
    digest = hashlib.sha256(f"{form} {url}".encode()).hexdigest()
    return f"{1700000000 + int(digest[:6], 16)}-{int(digest[6:14], 16)}"


def catalogue(release: Path) -> list[dict]:
    columns = ["id", "origin", "capture_url", "date", "title", "newstream_id", "body"]
    files = config_files(release, "articles")
    return [row for path in files for row in pq.read_table(path, columns=columns).to_pylist()]


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def matches(article: dict, fields: dict[str, str]) -> bool:
    if "render" in fields:
        return article["newstream_id"] == rendered_key(fields["url"], fields["render"])
    values = {
        "origin": article["origin"],
        "url": article["capture_url"],
        "date": article["date"].isoformat(),
        "title_sha": text_sha(article["title"]),
        "body_sha": text_sha(article["body"]),
    }
    return all(values[name] == value for name, value in fields.items())


def resolver(articles: list[dict]):
    """A function from a record's name to its article id; a name that picks none or several is an error."""
    by_url: dict[str | None, list[dict]] = {}
    for article in articles:
        by_url.setdefault(article["capture_url"], []).append(article)
    rendered = {article["newstream_id"]: article["id"] for article in articles if article["newstream_id"]}

    def resolve(name: str) -> str:
        fields = fields_of(name)
        if "render" in fields:
            return rendered[rendered_key(fields["url"], fields["render"])]
        pool = by_url.get(fields["url"], []) if "url" in fields else articles
        found = [article["id"] for article in pool if matches(article, fields)]
        if len(found) != 1:
            raise ValueError(f"{name} names {len(found)} articles, not one")
        return found[0]

    return resolve


def links_of(release: Path) -> dict[tuple[str, str], str]:
    files = config_files(release, "links")
    rows = [row for path in files for row in pq.read_table(path).to_pylist()]
    return {(row["id"], row["linked_id"]): row["relation"] for row in rows}


def evaluate(release: Path, pairs: list[Pair]) -> dict:
    """Precision (of the links found among the labelled pairs) and recall (of the labelled pairs of a relation)."""
    resolve = resolver(catalogue(release))
    found = links_of(release)
    labelled = {tuple(sorted((resolve(pair.a), resolve(pair.b)))): pair.label for pair in pairs}
    figures = {}
    for relation in RELATIONS:
        predicted = [key for key, value in found.items() if value == relation and key in labelled]
        correct = sum(labelled[key] == relation for key in predicted)
        wanted = [key for key, label in labelled.items() if label == relation]
        recalled = sum(found.get(key) == relation for key in wanted)
        figures[relation] = {
            "links found among labelled pairs": len(predicted),
            "of them right": correct,
            "precision": round(correct / len(predicted), 3) if predicted else None,
            "labelled pairs": len(wanted),
            "found": recalled,
            "recall": round(recalled / len(wanted), 3) if wanted else None,
            "links found, not labelled": sum(
                1 for key, value in found.items() if value == relation and key not in labelled
            ),
        }
    figures["labels"] = dict(sorted(Counter(labelled.values()).items()))
    return figures


def build_corpus(realdata: Path, scratch: Path, workers: int = 2) -> Path:
    """The release the labelled pairs are measured on, built in `scratch` (never in the repository: it holds the
    collections' texts)."""
    from builder.publish.release import build_release
    from builder.publish.request import BuildRequest
    from builder.read.collections import SHIPPED

    rendered = scratch / "kcna-watch-rendered"
    render_kcna_watch(realdata, rendered_urls(read_labelled()), rendered)
    releases = scratch / "releases"
    releases.mkdir()
    collections = [
        (SHIPPED / f"{folder.name}.toml", folder)
        for folder in sorted(realdata.iterdir())
        if (SHIPPED / f"{folder.name}.toml").is_file()
    ]
    raw = Path(__file__).resolve().parents[1] / "raw"
    request = BuildRequest([raw, rendered], releases, version="1.0.0", workers=workers, collections=collections)
    return build_release(request).path
