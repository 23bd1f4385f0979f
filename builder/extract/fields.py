"""Research metadata derived from the page alone: document type, issuer, language, word count.

Each value is empty when the page does not support it; the rules here are the ones the card documents
(`DOC_TYPE_RULES` is the card's table).
"""

from __future__ import annotations

import re

from builder.extract.labels import split_label

# (doc_type, title pattern, rule as the card states it) — the first rule whose pattern matches the title wins.
DOC_TYPE_RULES: list[tuple[str, re.Pattern, str]] = [
    (kind, re.compile(pattern), rule)
    for kind, pattern, rule in [
        ("press statement", r"\bPress Statement\b|담화", "title contains `Press Statement` (Korean: `담화`)"),
        ("statement", r"\bStatement\b|성명", "title contains `Statement` (joint statements included; Korean: `성명`)"),
        (
            "answer to a question",
            r"\bAnswers?\b.*\bQuestions?\b|\bAnswer of\b|\bAnswer to\b|대답|문답|기자회견",
            "title names an answer to a question (`… Answers Question …`, `Answer of … to Question …`; Korean: "
            "`대답`, `문답`, `기자회견` a press conference)",
        ),
        ("interview", r"\bInterview\b", "title contains `Interview`"),
        (
            "press review",
            r"^Press Review\b|\bReview of (Rodong Sinmun|Minju Joson|Press)\b",
            "title is `Press Review` or `Review of Rodong Sinmun` (lists of news items)",
        ),
        ("commentary", r"\bCommentary\b|론평", "title contains `Commentary` (Korean: `론평`)"),
        ("editorial", r"\bEditorial\b|사설", "title contains `Editorial` (Korean: `사설`)"),
        ("letter", r"\bLetters?\b|서한|편지", "title contains `Letter` (Korean: `서한`, `편지`)"),
        (
            "message",
            r"\bMessages?\b|\bGreetings\b|\bCongratulat|\bCondolences?\b|\bSympathy\b|축전|조전|위문전문",
            "title contains `Message`, `Greetings`, `Congratulations`, `Condolence(s)` or `Sympathy` (Korean: "
            "`축전`, `조전`, `위문전문`)",
        ),
        (
            "speech",
            r"\bSpeech\b|\bSpeaks?\b|\bAddress(es)? |연설|신년사",
            "title contains `Speech`, `Speaks` or `Address(es)` (Korean: `연설`, `신년사`)",
        ),
        ("report", r"\bReport\b|보도", "title contains `Report` (e.g. `KCNA Report`; Korean: `보도`)"),
        ("article", r"\bArticle\b|론설", "title contains `Article` (e.g. `Rodong Sinmun Article`; Korean: `론설`)"),
    ]
]
DEFAULT_DOC_TYPE = "news"
DOC_TYPES = [kind for kind, _, _ in DOC_TYPE_RULES] + [DEFAULT_DOC_TYPE]
ISSUING_DOC_TYPES = frozenset({"press statement", "statement", "answer to a question", "message", "letter"})

_TITLE_ISSUER = [
    re.compile(p)
    for p in [
        r"^(?:Joint |Press )?Statement (?:by|of|from) (?P<who>.+)$",
        r"^Answer (?:of|by) (?P<who>.+?) to (?:a )?Questions?\b",
        r"^(?:Message|Letter|Greetings)(?: of (?:Greetings|Condolences?|Sympathy|Congratulations?|Thanks))? "
        r"(?:from|by) (?P<who>.+?)(?: to .*)?$",
        r"^(?P<who>.+?) (?:Issues|Releases|Publishes|Makes Public) (?:a )?(?:Press )?Statement\b",
        r"^(?P<who>.+?) Answers? (?:\w+ )?Questions?\b",
        r"^(?P<who>.+?) (?:Sends?|Sent|Addresses) (?:\w+ ){0,3}?(?:Messages?|Letters?|Greetings)\b",
        r"^(?P<who>.+?)['’]s (?:Press )?(?:Statement|Message|Letter)\b",
        # Korean titles name the speaker first: `<who> 담화`, `<who> 성명`, `<question>에 대한 <who> 대답`.
        r"^(?:.*질문에 대한 )?(?P<who>[^,]+?) (?:담화|성명|대답)$",
    ]
]
_SENTENCE_ISSUER = re.compile(
    r"^(?:Pyongyang, [A-Z][a-z]+ \d{1,2} \(KCNA\) *(?:--|—) *)?"
    r"(?P<who>[A-Z][^.!?]{2,200}?) (?:sent|issued|released|gave|published|made public|addressed) "
    r"(?:a |an |the following |the )?(?:\w+ ){0,3}?(?:message|letter|press statement|statement|answer)\b"
)
_HONORIFIC = re.compile(r"^(?:The respected |Respected |Comrade |A |An |The )+", re.IGNORECASE)

_SCRIPT_LANGUAGES = {
    "HANGUL": {"ko"},
    "CYRILLIC": {"ru"},
    "CJK": {"zh", "ja"},
    "KANA": {"ja"},
    "LATIN": {"en", "es", "fr"},
}
# The letters of each script, as ranges of code points: the expressions and the byte check below are made from them.
_SCRIPT_RANGES = {
    "HANGUL": [(0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7A3)],
    "CYRILLIC": [(0x0400, 0x04FF)],
    "CJK": [(0x4E00, 0x9FFF)],
    "KANA": [(0x3040, 0x30FF)],
    "LATIN": [(0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F)],
}
_SCRIPT_LETTERS = {
    script: re.compile("[" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges) + "]")
    for script, ranges in _SCRIPT_RANGES.items()
}
# The first bytes in UTF-8 of the letters of every script but Latin (a code point's first byte grows with it). A text
# whose UTF-8 has none of them holds only Latin letters: encoding and deleting the other bytes is far quicker than a
# regular expression looking for those letters.
_NOT_OTHER_SCRIPTS_FIRST_BYTES = bytes(
    set(range(256))
    - {
        byte
        for script, ranges in _SCRIPT_RANGES.items()
        if script != "LATIN"
        for low, high in ranges
        for byte in range(chr(low).encode()[0], chr(high).encode()[0] + 1)
    }
)
_ENGLISH_WORDS = frozenset("the of and to in a is that for on with by was are".split())
# Words are runs of a-z in the lowered text; a function word is such a run that is one of `_ENGLISH_WORDS`. Counting
# matches with `subn` makes no list of a sample's words, as `findall` and a sum would.
_WORD = re.compile(r"[a-z]+")
_ENGLISH_WORD = re.compile(r"(?<![a-z])(?:" + "|".join(sorted(_ENGLISH_WORDS)) + r")(?![a-z])")


def doc_type(title: str) -> str:
    for kind, pattern, _ in DOC_TYPE_RULES:
        if pattern.search(title):
            return kind
    return DEFAULT_DOC_TYPE


def issuer(kind: str, title: str, body: str) -> str | None:
    """Who speaks in a statement, answer, message or letter, as the title (else the first sentence) says."""
    if kind not in ISSUING_DOC_TYPES:
        return None
    for pattern in _TITLE_ISSUER:
        match = pattern.match(title.rstrip(". "))
        if match:
            return _tidy_issuer(match.group("who"))
    match = _SENTENCE_ISSUER.match(body.split("\n\n", 1)[0])
    return _tidy_issuer(match.group("who")) if match else None


def _tidy_issuer(who: str) -> str | None:
    """The speaker's name or office: honorifics and articles off the front, offices after a comma off the end."""
    who = _HONORIFIC.sub("", who.split(",", 1)[0]).strip()
    return who[:1].upper() + who[1:] if who else None


def dominant_script(text: str) -> str | None:
    """The script most letters of the text's start are written in."""
    sample = text[:5000]
    # Most bodies: English, often with a curly quote or a dash, so not ASCII. Counting their letters of each script
    # with `findall` is slow, when their UTF-8 bytes show that only Latin letters can be there.
    if sample.isascii() or not sample.encode("utf-8", "surrogatepass").translate(None, _NOT_OTHER_SCRIPTS_FIRST_BYTES):
        return "LATIN" if _SCRIPT_LETTERS["LATIN"].search(sample) else None
    counts = {script: len(letters.findall(sample)) for script, letters in _SCRIPT_LETTERS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] else None


def language(source: str, body: str) -> str | None:
    """The language tag of the source label, kept only when the text is written in a script of that language;
    without a tag, Hangul means Korean, Cyrillic Russian, and Latin text full of English function words English."""
    tagged = split_label(source)[1]
    script = dominant_script(body)
    if tagged is not None:
        return tagged if script is None or tagged in _SCRIPT_LANGUAGES[script] else None
    if script == "HANGUL":
        return "ko"
    if script == "CYRILLIC":
        return "ru"
    if script == "LATIN" and english_share(body[:5000]) >= 0.08:
        return "en"
    return None


def english_share(text: str) -> float:
    """The share of the text's words that are English function words (0 without words)."""
    lowered = text.lower()
    words = _WORD.subn("", lowered)[1]
    return _ENGLISH_WORD.subn("", lowered)[1] / words if words else 0.0
