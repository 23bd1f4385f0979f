"""A synthetic corpus of KCNA Watch captures in every shape of ../shared/docs/raw-pages.md, from a fixed seed.

Shares as in the document: A 70%, B 6%, C 4%, D (headless) 18%; some articles arrive as several captures (a
headless or cut copy beside a headed one); about 1% of captures are broken (empty, binary, impossible date).
Body lengths: most 1-6 KB, a tail to 100 KB. As on KCNA Watch, a page's "More From" block shows its source's 20
newest articles on the day it was captured, so a teaser is seen on the pages of about a week. Captures are written
as JSON lines, and a slice of them as `.txt` files with `.json` sidecars, so both readers are exercised.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from benchmarks.render import render_page
from builder.extract.parse import Teaser
from builder.extract.parse.repairs import LEADER_NAMES

SOURCES = [
    ("KCNA.kp (En)", 40),
    ("Voice of Korea (EN)", 15),
    ("KCNA.co.jp (En)", 12),
    ("Naenara (En)", 8),
    ("Ministry of Foreign Affairs (EN)", 6),
    ("Pyongyang Times", 6),
    ("Chongnyon Chonwi (EN)", 4),
    ("Minju Choson (EN)", 4),
    ("DPRK Today (English)", 3),
    ("Sports DPRK English", 2),
]
WORDS = (
    "the people of country army party said on day great new and was with its to for work peace plan year "
    "Pyongyang Korea DPRK U.S. reunification socialist construction leader respected comrade meeting factory "
    "farm production congress delegation friendship anniversary victory national defence science technology "
    "education culture youth workers revolution enemy imperialists aggression sanctions nuclear deterrent"
).split()
SHAPES = [("A", 70), ("B", 6), ("C", 4), ("D", 18)]
GENERATOR_VERSION = 4  # bumped whenever the same seed makes a different corpus, so old corpora are remade
TEASERS_PER_DAY = 3  # per source: a page's 20 teasers reach back about a week


@dataclass
class Corpus:
    captures: int
    bytes: int


def _paragraph(rng: random.Random) -> str:
    """Sentences of `WORDS`, some with the curly quotes, apostrophes and dashes of real pages (raw-pages.md §5: about
    half the seed's paragraphs hold one), and leaders' names, which most articles hold (the seed's page ten times):
    both cost the parser more (ASCII text is quicker to split, search and encode; a name is looked at by repairs)."""
    sentences = []
    for _ in range(rng.randint(1, 4)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 30))]
        if rng.random() < 0.12:
            at = rng.randrange(1, len(words) - 3)
            words[at], words[at + 3] = f"“{words[at]}", f"{words[at + 3]}”"
        if rng.random() < 0.08:
            words[rng.randrange(len(words))] += "’s"
        if rng.random() < 0.03:
            words.insert(rng.randrange(1, len(words)), "—")
        if rng.random() < 0.08:
            words.insert(rng.randrange(1, len(words)), rng.choice(LEADER_NAMES))
        sentence = " ".join(words)
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
    return " ".join(sentences)


def _body_length(rng: random.Random) -> int:
    """Most 1-6 KB, a tail to 100 KB."""
    if rng.random() < 0.03:
        return int(rng.uniform(6_000, 100_000))
    return int(rng.uniform(1_000, 6_000))


class Generator:
    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)
        self.paragraphs = [_paragraph(self.rng) for _ in range(4_000)]
        self.titles = [
            " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(3, 10))).title() for _ in range(2_000)
        ]
        self._teasers_of_day: dict[tuple[str, dt.date], list[Teaser]] = {}

    def teasers_of_day(self, source: str, day: dt.date) -> list[Teaser]:
        """The articles a source published on a day, as teasers: fixed by the seed, the source and the day."""
        key = (source, day)
        if key not in self._teasers_of_day:
            rng = random.Random(f"{self.seed}|{source}|{day.isoformat()}")
            self._teasers_of_day[key] = [
                Teaser(source, rng.choice(self.paragraphs)[:128].strip(), day, rng.choice(self.titles))
                for _ in range(TEASERS_PER_DAY)
            ]
        return self._teasers_of_day[key]

    def recent_teasers(self, source: str, captured_on: dt.date) -> list[Teaser]:
        """The "More From" block of a page captured on a day: the source's 20 newest articles then."""
        teasers: list[Teaser] = []
        day = captured_on
        while len(teasers) < 20:
            teasers.extend(self.teasers_of_day(source, day))
            day -= dt.timedelta(days=1)
        return teasers[:20]

    def article(self, number: int) -> dict:
        rng = self.rng
        source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
        date = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randint(0, 7600))
        paragraphs, size = [], _body_length(rng)
        while sum(map(len, paragraphs)) < size:
            paragraphs.append(rng.choice(self.paragraphs))
        if source.startswith("KCNA") and rng.random() < 0.6:
            paragraphs[0] = f"Pyongyang, {date:%B} {date.day} (KCNA) -- {paragraphs[0]}"
        captured_on = date + dt.timedelta(days=rng.randint(0, 30))
        return {
            "key": f"{1_100_000_000 + number * 37}-{number % 997}",
            "title": f"{rng.choice(self.titles)} {number}",
            "date": date,
            "source": source,
            "paragraphs": paragraphs,
            "captured_on": captured_on,
            "teasers": self.recent_teasers(source, captured_on),
        }

    def captures(self, article: dict) -> list[str]:
        rng = self.rng
        shape = rng.choices([s for s, _ in SHAPES], [w for _, w in SHAPES])[0]
        page = dict(article)
        del page["key"]
        first = render_page(shape=shape if shape != "D" else "A", **page)
        texts = [first]
        if shape == "D":  # a headless capture beside the headed one (some articles exist only headless)
            texts.append(render_page(shape="D", **page))
            if rng.random() < 0.3:
                texts = texts[1:]
        elif rng.random() < 0.08:  # a second capture cut short
            texts.append(first[: rng.randint(len(first) // 2, len(first))])
        return texts


BROKEN = [
    b"",
    b"\x00\x01binary\x02" * 40,
    b"Title\nDate: 31/02/2024 | Source: KCNA.kp (En) | Read original version at source\nBody.",
]


def generate(
    folder: Path, count: int, seed: int = 20261127, pages_share: float = 0.05, first_article: int = 0
) -> Corpus:
    """Write `count` captures below `folder`: `captures-NNN.jsonl` files and `pages/` of `.txt` + `.json`. Articles
    are numbered from `first_article` (their URL keys follow from the number): captures added to a corpus of N
    captures, which has fewer than N articles, are of new articles from `first_article=N` on, and of the corpus's
    own articles, with other texts, below it."""
    generator = Generator(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pages = folder / "pages"
    pages.mkdir(exist_ok=True)
    page_quota = int(count * pages_share)
    written = total_bytes = 0
    number = first_article
    jsonl_files: list[Path] = []
    handle = None
    while written < count:
        article = generator.article(number)
        number += 1
        texts = [text.encode("utf-8") for text in generator.captures(article)]
        if generator.rng.random() < 0.01:
            texts.append(generator.rng.choice(BROKEN))
        for raw in texts:
            if written >= count:
                break
            url = f"https://kcnawatch.org/newstream/{article['key']}/synthetic-{number}"
            if written < page_quota:
                (pages / f"{written:07d}.txt").write_bytes(raw)
                (pages / f"{written:07d}.json").write_text(json.dumps({"url": url}))
            else:
                if handle is None or written % 100_000 == 0:
                    if handle:
                        handle.close()
                    jsonl_files.append(folder / f"captures-{len(jsonl_files):03d}.jsonl")
                    handle = open(jsonl_files[-1], "w", encoding="utf-8")
                handle.write(json.dumps({"text": raw.decode("utf-8", "replace"), "url": url}) + "\n")
            written += 1
            total_bytes += len(raw)
    if handle:
        handle.close()
    return Corpus(written, total_bytes)
