"""What the card and the build report say of the links: how many of each relation, between which origins, and an
example of each."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow


@dataclass
class LinkTally:
    relations: Counter = field(default_factory=Counter)
    articles: Counter = field(default_factory=Counter)  # articles with at least one link of the relation
    between: Counter = field(default_factory=Counter)  # (relation, origin, origin) -> pairs
    examples: dict = field(default_factory=dict)  # relation -> the first link of it, by id

    @classmethod
    def of(cls, rows: list[dict], catalogue: pyarrow.Table) -> LinkTally:
        tally = cls()
        linked = {row["id"] for row in rows} | {row["linked_id"] for row in rows}
        ids = catalogue["id"].to_pylist()
        wanted = [index for index, article in enumerate(ids) if article in linked]
        picked = (
            catalogue.select(["id", "origin", "title", "date"]).take(pyarrow.array(wanted, pyarrow.int64())).to_pylist()
        )
        about = {article["id"]: article for article in picked}
        with_link: dict[str, set] = {}
        for row in rows:
            relation = row["relation"]
            tally.relations[relation] += 1
            with_link.setdefault(relation, set()).update((row["id"], row["linked_id"]))
            origins = sorted((about[row["id"]]["origin"], about[row["linked_id"]]["origin"]))
            tally.between[(relation, *origins)] += 1
            if relation not in tally.examples:
                tally.examples[relation] = {
                    "score": row["score"],
                    "articles": [_described(about[row[key]]) for key in ("id", "linked_id")],
                }
        tally.articles = Counter({relation: len(found) for relation, found in with_link.items()})
        return tally

    def to_json(self) -> dict:
        return {
            "pairs": dict(sorted(self.relations.items())),
            "articles": dict(sorted(self.articles.items())),
            "between_origins": [
                {"relation": relation, "origins": [first, second], "pairs": count}
                for (relation, first, second), count in sorted(self.between.items())
            ],
            "examples": dict(sorted(self.examples.items())),
        }


def _described(article: dict) -> dict:
    return {
        "id": article["id"],
        "origin": article["origin"],
        "date": article["date"].isoformat(),
        "title": article["title"],
    }
