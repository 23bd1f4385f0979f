"""Source labels as pages show them (`KCNA.kp (En)`, `Sports DPRK English`, `Pyongyang Times`): name and language."""

from __future__ import annotations

import re

_LANGUAGE_TAGS = {
    "en": "en",
    "eng": "en",
    "english": "en",
    "ko": "ko",
    "kor": "ko",
    "korean": "ko",
    "ru": "ru",
    "rus": "ru",
    "russian": "ru",
    "zh": "zh",
    "chn": "zh",
    "chinese": "zh",
    "ja": "ja",
    "jpn": "ja",
    "japanese": "ja",
    "es": "es",
    "spa": "es",
    "spanish": "es",
    "fr": "fr",
    "fre": "fr",
    "french": "fr",
}
_TAG_IN_PARENTHESES = re.compile(r"^(?P<name>.*?)\s*\((?P<tag>[^()]*)\)$")
_TAG_AS_LAST_WORD = re.compile(r"^(?P<name>.+?)\s+(?P<tag>English|Korean|Russian|Chinese|Japanese|Spanish|French)$")


def split_label(label: str) -> tuple[str | None, str | None]:
    """(publisher, ISO 639-1 language) from a label; either is None when the label does not give it."""
    label = label.strip()
    match = _TAG_IN_PARENTHESES.match(label) or _TAG_AS_LAST_WORD.match(label)
    if match and match.group("tag").strip().casefold() in _LANGUAGE_TAGS:
        name = match.group("name").strip()
        return name or None, _LANGUAGE_TAGS[match.group("tag").strip().casefold()]
    return label or None, None
