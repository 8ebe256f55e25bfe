"""The kiosk's five languages, with gettext.

The catalogs and how they are loaded: `kiosk.translation`; how they are kept
current: `kiosk.catalogs`.

`_()` translates into the language the kiosk shows right now; `N_()` only marks a
string for extraction (translated later, e.g. in a table of categories). A lookup
that finds no translation is recorded in `I18n.missing`, which the tests check
after visiting every screen in every language.

Read-aloud words the screen `with current.speaking():` — a language that keeps spoken
versions of its texts (Arabic, vowelled: `spoken.po`) gives those; a text it lacks is
recorded in `I18n.unspoken`.
"""

from __future__ import annotations

import gettext
from contextlib import contextmanager
from typing import Callable, Iterator

from kiosk.languages import CODES, DEFAULT, NAMES
from kiosk.translation import N_, load_catalog, load_spoken

__all__ = ["I18n", "LANGUAGE_NAMES", "N_", "_", "current", "ngettext"]

LANGUAGE_NAMES = NAMES      # kiosk/languages.py holds them; kiosk/ui/app.py still reads them here


class I18n:
    """Which language is shown, and the catalogs for all of them."""

    def __init__(self, languages: tuple[str, ...] = CODES, default: str | None = None):
        self.languages = tuple(languages)
        self.default = default or (self.languages[0] if self.languages else DEFAULT)
        self.lang = self.default
        self._listeners: list[Callable[[str], None]] = []
        self.missing: set[tuple[str, str]] = set()
        self.unspoken: set[tuple[str, str]] = set()
        self._speaking = 0

    # --- choosing -----------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        if lang not in self.languages:
            raise ValueError(f"language {lang!r} is not one of {self.languages}")
        if lang != self.lang:
            self.lang = lang
            for listener in list(self._listeners):
                listener(lang)

    def reset(self) -> None:
        self.set_language(self.default)

    def on_change(self, listener: Callable[[str], None]) -> None:
        self._listeners.append(listener)

    # --- translating --------------------------------------------------------------------
    def catalog(self, lang: str) -> gettext.GNUTranslations | gettext.NullTranslations:
        return load_catalog(lang)

    @contextmanager
    def speaking(self) -> Iterator[None]:
        """Inside, texts come as they are read aloud (see the module doc)."""
        self._speaking += 1
        try:
            yield
        finally:
            self._speaking -= 1

    def _spoken(self, key, lang: str):
        """The spoken catalog of `lang` if it has `key` (None if not speaking, or it has none)."""
        if not self._speaking:
            return None
        spoken = load_spoken(lang)
        if key in spoken._catalog:  # noqa: SLF001
            return spoken
        if spoken._catalog:  # noqa: SLF001 — a language with spoken versions lacks this one
            self.unspoken.add((lang, key[0] if isinstance(key, tuple) else key))
        return None

    def gettext(self, message: str, lang: str | None = None) -> str:
        lang = lang or self.lang
        spoken = self._spoken(message, lang)
        if spoken is not None:
            return spoken._catalog[message]  # noqa: SLF001
        catalog = self.catalog(lang)
        found = catalog._catalog.get(message)  # noqa: SLF001 — the only way to tell "missing" from "same"
        if not found:
            self.missing.add((lang, message))
            return message
        return found

    def ngettext(self, singular: str, plural: str, n: int, lang: str | None = None) -> str:
        lang = lang or self.lang
        spoken = self._spoken((singular, 0), lang)
        if spoken is not None:
            return spoken.ngettext(singular, plural, n)
        catalog = self.catalog(lang)
        if (singular, 0) not in catalog._catalog:  # noqa: SLF001
            self.missing.add((lang, singular))
        return catalog.ngettext(singular, plural, n)


current = I18n()


def _(message: str) -> str:
    """Translate into the language shown right now."""
    return current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return current.ngettext(singular, plural, n)
