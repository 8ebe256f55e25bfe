"""A book's facts as the desk offers them to staff, and the rules that make a catalogue's
record fit the booth: names turned round, titles cleaned and cut, a year, an age group.

Catalogues write for librarians: "Maar, Paul", "Das Sams :", "[2018]", "Kinderbuch ab 8 J.".
Staff see "Paul Maar", "Das Sams", "2018" and the suggestion "7-9", and confirm or correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from kiosk.booth.rules import AGE_GROUPS
from kiosk.booth.details import MAX_FIELD, MAX_TITLE
from kiosk.text import clean_line

MAX_AUTHORS = 3                # "A, B, C"; more are cut (the title page has them)
SOURCES = ("dnb", "openlibrary")


@dataclass(frozen=True)
class BookFacts:
    """What the desk found about one ISBN, cleaned and cut to the booth's limits."""

    isbn: str            # ISBN-13
    title: str
    author: str = ""
    publisher: str = ""
    year: str = ""       # "2019" or ""
    age_group: str = ""  # one of kiosk.booth.rules.AGE_GROUPS or "": only a suggestion
    source: str = ""     # "dnb" or "openlibrary"
    cover: str = ""      # file name in data_dir/covers (kiosk.desk.covers), "" if none


# ISBD punctuation a catalogue leaves at the end of a field: "Das Sams :", "Hamburg ;", "Carlsen,".
_TRAILING = re.compile(r"[\s:;/=,.]+$")
_NAME_TRAILING = re.compile(r"[\s:;/=,]+$")     # "J. K." keeps its full stop
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
# Life dates or roles some sources glue to a name: "Maar, Paul, 1937-", "Funke, Cornelia [Verfasser]".
_NAME_TAIL = re.compile(r"(?:,?\s*\d{3,4}\s*-\s*(?:\d{3,4})?|\s*\[[^\]]*\]|\s*\([^)]*\))+\s*$")


def title_text(*parts: str) -> str:
    """A title from its parts (main title, part name): cleaned, ISBD marks gone, cut to MAX_TITLE."""
    kept = [_TRAILING.sub("", clean_line(p)) for p in parts if p]
    return _cut(" – ".join(p for p in kept if p), MAX_TITLE)


def field_text(text: str) -> str:
    """A publisher or similar: cleaned, ISBD marks gone, cut to MAX_FIELD."""
    return _cut(_TRAILING.sub("", clean_line(text)), MAX_FIELD)


def person(name: str) -> str:
    """'Maar, Paul' -> 'Paul Maar'; a name already in reading order stays as it is."""
    name = _NAME_TAIL.sub("", _NAME_TRAILING.sub("", clean_line(name)))
    family, comma, given = name.partition(",")
    if comma and given.strip() and "," not in given:
        name = f"{given.strip()} {family.strip()}"
    return name.strip()


def authors(names: Iterable[str]) -> str:
    """Up to MAX_AUTHORS names in reading order, each once, joined by ', ' and cut to MAX_FIELD."""
    seen: list[str] = []
    for name in names:
        name = person(name)
        if name and name not in seen:
            seen.append(name)
    return _cut(", ".join(seen[:MAX_AUTHORS]), MAX_FIELD)


def year(*texts: str) -> str:
    """The first plausible year (1500-2099) in the texts: '[2018]', 'März 2003', '©1998' -> the year."""
    for text in texts:
        found = _YEAR.search(text or "")
        if found:
            return found.group(1)
    return ""


# --- the age group: a suggestion, "" when the record does not say ----------------------------

# "ab 8 Jahren", "ab 8 J.", "8-10 Jahre", "Ages 4-8", "age 6"
_AGE_FROM = re.compile(r"\bab\s+(\d{1,2})\s*(?:j\b|j\.|jahr)", re.IGNORECASE)
_AGE_RANGE = re.compile(r"\b(\d{1,2})\s*(?:-|–|bis)\s*\d{1,2}\s*(?:j\b|j\.|jahr)", re.IGNORECASE)
_AGES_EN = re.compile(r"\bages?\s+(\d{1,2})\b", re.IGNORECASE)
# Words of the record's subjects, most telling first. A child's picture book and a teenager's
# novel are told apart; "Kinderbuch" alone says school age, the booth's middle group.
_WORDS = (
    (("pappbilderbuch", "board book"), 0),
    (("bilderbuch", "picture book", "picture books"), 4),
    (("erstlese", "erstleser", "leseanfänger", "beginning reader", "readers (primary)", "easy reader"), 7),
    (("jugendbuch", "jugendroman", "young adult"), 13),     # not "jugendliteratur": "Kinder- und Jugend…"
    (("kinderbuch", "kinderliteratur", "kinderroman", "juvenile fiction", "juvenile literature",
      "children's fiction", "children's stories", "children's literature", "kinder- und jugendliteratur"), 7),
)


def age_group(texts: Iterable[str]) -> str:
    """The booth's age group the record's words point to, or "" when unsure.

    An age written out ("ab 8 Jahren", "Ages 4-8") wins; else the first telling word of
    _WORDS ("Bilderbuch" -> 4-6, "Jugendbuch" -> 13+, "Kinderbuch"/"Juvenile fiction" -> 7-9).
    """
    texts = [clean_line(t).lower() for t in texts if t]
    for text in texts:
        for pattern in (_AGE_FROM, _AGE_RANGE, _AGES_EN):
            found = pattern.search(text)
            if found and int(found.group(1)) <= 18:
                return group_for_age(int(found.group(1)))
    for words, age in _WORDS:
        if any(word in text for text in texts for word in words):
            return group_for_age(age)
    return ""


def group_for_age(age: int) -> str:
    """The group of AGE_GROUPS an `age` in years falls into."""
    for group in AGE_GROUPS:
        low, _, high = group.replace("+", "-").partition("-")
        if int(low) <= age and (not high or age <= int(high)):
            return group
    return AGE_GROUPS[0] if age < 0 else AGE_GROUPS[-1]


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"
