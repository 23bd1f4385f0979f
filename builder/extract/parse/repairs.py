"""Repairs of rendering artefacts of the page, each applied only where it is unambiguous and counted by kind.

The text is otherwise never rewritten. Every kind is listed in `REPAIR_KINDS` (the card's table comes from it).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import partial

from builder.extract.words import may_hold_ordinal

LEADER_NAMES = ("Kim Il Sung", "Kim Jong Il", "Kim Jong Un", "Kim Jong Suk")
_NAMES = "|".join(LEADER_NAMES)

REPAIR_KINDS = {
    "split_name": "A leader's name that bold markup put on a line of its own is joined back into its sentence "
    "(`The respected` / `Kim Jong Un` / `sent a message` becomes one paragraph).",
    "space_before_punctuation": "The space the page renders between a leader's name and the punctuation after it "
    "is removed (`Kim Jong Un ,` becomes `Kim Jong Un,`).",
    "ordinal_suffix": "A flattened superscript ordinal is closed up when the suffix fits the number "
    "(`80 th` becomes `80th`, `51 st` becomes `51st`).",
    "repeated_title": "A Voice of Korea body that opens by repeating a longer form of the title followed by "
    "three spaces loses that repetition.",
    "mojibake": "Text that was decoded with the wrong codec once before it was saved (`â€™` for `’`) is decoded "
    "back with ftfy, only where that is lossless and leaves no mojibake behind (otherwise the capture is rejected).",
}

_NAME_PARAGRAPH = re.compile(rf"^(?:Comrade |Respected Comrade )?(?:{_NAMES})$")
_SPACE_BEFORE_PUNCTUATION = re.compile(rf"\b({_NAMES}) +([,.;:!?])")
# The same without the `\b`, which makes `re` try the expression at every position of a body that names a leader,
# and with the names' common `Kim ` first, which `re` looks for as text, much faster. Each place it finds is then
# matched with the expression above, so what is repaired is what that expression says.
_NAME_BEFORE_PUNCTUATION = re.compile(
    rf"Kim (?:{'|'.join(name.removeprefix('Kim ') for name in LEADER_NAMES)}) +[,.;:!?]"
)
_ORDINAL = re.compile(r"\b(\d+) (st|nd|rd|th)\b")
# In every `_ORDINAL` match: a digit class is searched faster than a word boundary.
_ORDINAL_HINT = re.compile(r"[0-9] (?:st|nd|rd|th)\b")
_SENTENCE_END = tuple('.!?:;"”’)')
_TITLE_REPEAT = re.compile(r"^(?P<repeat>\S.*?) {3,}(?P<rest>\S.*)$")


def repair_paragraphs(paragraphs: list[str], counts: Counter) -> list[str]:
    """The title-independent repairs, in the order the artefacts arise on the page. The inline repairs run
    over the whole body at once (their patterns never span a paragraph break), which is much faster."""
    paragraphs = _join_split_names(paragraphs, counts)
    if not paragraphs:
        return []
    body = "\n\n".join(paragraphs)
    repaired = _inline_repairs(body, counts)
    # Most bodies need no inline repair: the text is then the paragraphs joined, which hold no newline, and splitting
    # it again would only give them back.
    return paragraphs if repaired == body else repaired.split("\n\n")


def _join_split_names(paragraphs: list[str], counts: Counter) -> list[str]:
    out: list[str] = []
    index = 0
    if not any(_NAME_PARAGRAPH.match(paragraph) for paragraph in paragraphs):
        return paragraphs
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        if _NAME_PARAGRAPH.match(paragraph) and following[:1] and (following[0].islower() or following[0] in ",.;:)"):
            if out and not out[-1].endswith(_SENTENCE_END):
                paragraph = f"{out.pop()} {paragraph}"
            glue = "" if following[0] in ",.;:)" else " "
            out.append(f"{paragraph}{glue}{following}")
            counts["split_name"] += 1
            index += 2
            continue
        out.append(paragraph)
        index += 1
    return out


def _ordinal_fits(number: str, suffix: str) -> bool:
    if number[-2:] in ("11", "12", "13"):
        return suffix == "th"
    return suffix == {"1": "st", "2": "nd", "3": "rd"}.get(number[-1], "th")


def _close_up_punctuation(text: str, counts: Counter, found: re.Match) -> str:
    exact = _SPACE_BEFORE_PUNCTUATION.match(text, found.start())  # `\b` looks at the character before, in `text`
    if not exact:
        return found.group(0)
    counts["space_before_punctuation"] += 1
    return exact.expand(r"\1\2")


def _inline_repairs(paragraph: str, counts: Counter) -> str:
    if "Kim " in paragraph:
        paragraph = _NAME_BEFORE_PUNCTUATION.sub(partial(_close_up_punctuation, paragraph, counts), paragraph)

    # `may_hold_ordinal` (in C) finds every text the hint finds, and more, in a tenth of its time.
    if not may_hold_ordinal(paragraph) or not _ORDINAL_HINT.search(paragraph):
        return paragraph

    def close_up(match: re.Match) -> str:
        if not _ordinal_fits(match.group(1), match.group(2)):
            return match.group(0)
        counts["ordinal_suffix"] += 1
        return match.group(1) + match.group(2)

    return _ORDINAL.sub(close_up, paragraph)


def _comparable(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".…").strip().casefold()


def remove_repeated_title(paragraphs: list[str], title: str, source: str, counts: Counter) -> list[str]:
    """Voice of Korea: drop `<longer form of the title>   ` from the start of the body."""
    if not paragraphs or not source.startswith("Voice of Korea"):
        return paragraphs
    match = _TITLE_REPEAT.match(paragraphs[0])
    wanted = _comparable(title)
    if not match or not wanted or not _comparable(match.group("repeat")).startswith(wanted):
        return paragraphs
    counts["repeated_title"] += 1
    return [match.group("rest"), *paragraphs[1:]]
