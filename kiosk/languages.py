"""The station's languages: the one list that station.toml, the offers, the screens and read-aloud share.

In the order the kiosk offers them. German is the office's language: the default, and
the fallback for any text missing in another. Adding a language here is not enough:
it needs a catalog (kiosk/ui/locale), offer texts and a keyboard layout too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One language: its code (ISO 639-1, also its catalog's folder) and what the station needs of it."""

    code: str
    name: str       # in the language itself, as a passer-by looks for it
    rtl: bool       # written right to left
    voice: str      # the espeak-ng voice that reads it aloud
    # Whether that voice can read any text in the language. espeak-ng's Arabic cannot add the short
    # vowels written Arabic leaves out: it reads only the vowelled interface texts (spoken.po), not
    # offers' descriptions or ideas; docs/ui.md "Read aloud" says why no diacritiser fills the gap.
    reads_free_text: bool = True


LANGUAGES: tuple[Language, ...] = (
    Language("de", "Deutsch", rtl=False, voice="de"),
    Language("en", "English", rtl=False, voice="en-gb"),
    Language("tr", "Türkçe", rtl=False, voice="tr"),
    Language("ar", "العربية", rtl=True, voice="ar", reads_free_text=False),
    Language("uk", "Українська", rtl=False, voice="uk"),
)
BY_CODE = {language.code: language for language in LANGUAGES}
CODES = tuple(BY_CODE)
NAMES = {language.code: language.name for language in LANGUAGES}
DEFAULT = "de"


def reads_free_text(code: str) -> bool:
    """Whether read-aloud can speak free text (offers, ideas) in `code`, not only the interface's own."""
    language = BY_CODE.get(code)
    return language is None or language.reads_free_text


def is_rtl(code: str) -> bool:
    """Whether `code` is written right to left (False for a code the station does not know)."""
    language = BY_CODE.get(code)
    return language is not None and language.rtl
