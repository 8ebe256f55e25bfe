"""The glossary (docs/glossary.md) holds: no catalog translation and no offer text uses a word it rules out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk import catalogs
from kiosk.offers.catalogue import read_offers_file
from kiosk.offers.model import TEXT_FIELDS

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.md"
OFFERS = ROOT / "config" / "offers.toml"
LANGS = ("de", "en", "tr", "ar", "uk")
RULE = re.compile(r"^- (\w\w): `(.+)`$")


def section(title: str) -> str:
    text = GLOSSARY.read_text(encoding="utf-8")
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def ruled_out() -> dict[str, list[re.Pattern]]:
    """Language -> the variants of "Not these", as patterns."""
    rules: dict[str, list[re.Pattern]] = {}
    for line in section("Not these").splitlines():
        found = RULE.match(line)
        if found:
            rules.setdefault(found.group(1), []).append(re.compile(found.group(2), re.IGNORECASE))
    return rules


def texts(lang: str) -> list[tuple[str, str]]:
    """(where, text) for every translation in the kiosk catalog of `lang` and every offer text in it."""
    found = [(f"kiosk.po {message.id!r}", form) for message in catalogs.read(lang) if message.id
             for form in catalogs.forms(message)]
    for offer in read_offers_file(OFFERS):
        found += [(f"offers.toml {offer.id}.{name}", getattr(offer, name)[lang])
                  for name in TEXT_FIELDS if lang in getattr(offer, name)]
    return found


def offending(rules: dict[str, list[re.Pattern]], lang: str, where_and_text: list[tuple[str, str]]) -> list[str]:
    return [f"{where}: {rule.pattern!r} in {text!r}"
            for where, text in where_and_text for rule in rules.get(lang, []) if rule.search(text)]


def test_the_glossary_rules_out_the_words_that_misled():
    rules = ruled_out()
    assert set(rules) <= set(LANGS)
    # The examples are among them, and the check catches each in a text.
    for lang, old in [("tr", "Etkinlikler"), ("tr", "Ot bahçesi"), ("tr", "Mercanköşk"), ("tr", "Kartını okuyucuya tut."),
                      ("ar", "الوالدون الوحيدون"), ("ar", "إغلاق الكشك"), ("ar", "ضع بطاقتك أمام القارئ"),
                      ("uk", "Прочитати"), ("uk", "Бюро району")]:
        assert offending(rules, lang, [("example", old)]), f"{lang}: {old!r} is not ruled out"
    assert not offending(rules, "tr", [("example", "Kartını kart okuyucuya tut."), ("example", "Bu ay okuyucu"),
                                       ("example", "{date} tarihine kadar")])


@pytest.mark.parametrize("lang", LANGS)
def test_no_translation_and_no_offer_uses_a_ruled_out_word(lang):
    assert offending(ruled_out(), lang, texts(lang)) == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_that_needs_a_native_speaker_is_listed_in_the_glossary(lang):
    listed = section("Needs a native speaker")
    marked = [message.id for message in catalogs.read(lang)
              if message.id and "needs native check" in message.auto_comments]
    msgids = [m if isinstance(m, str) else m[0] for m in marked]
    assert [m for m in msgids if f'"{m}"' not in listed] == []


@pytest.mark.parametrize("lang", ("tr", "ar", "uk"))
def test_an_entry_marked_for_a_native_speaker_says_what_it_means(lang):
    for message in catalogs.read(lang):
        if "needs native check" in message.auto_comments:
            assert any(c.startswith("back: ") for c in message.auto_comments), message.id
