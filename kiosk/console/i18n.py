"""The console's words, through gettext like the kiosk (kiosk/ui/i18n.py), in a domain of its own.

The console is written in German: its message ids are the German texts, and a missing
translation shows German. Its catalogs are `kiosk/console/locale/<lang>/LC_MESSAGES/console.po`
with the compiled `console.mo` shipped next to each; the German one is written from the ids
in the templates and the Python files of this package by `python -m kiosk.catalogs`
(kiosk/catalogs.py), which also compiles them. Another language is a hand-kept `.po` beside it.

What a domain words for every face (a staff command's outcome) has English ids in the
kiosk's catalogs; `domain_text` shows it in the console's language.
"""

from __future__ import annotations

import gettext
from pathlib import Path

from kiosk.staff_requests import Outcome
from kiosk.translation import load_catalog

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "console"
LANGUAGE = "de"


def translations(lang: str = LANGUAGE) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


_current = translations()


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def domain_text(outcome: Outcome) -> str:
    """What a domain words for every face (English ids in the kiosk's catalogs, kiosk/translation.py), in the
    console's language: the Kivy staff screen shows the same words."""
    return outcome.text(load_catalog(LANGUAGE).gettext)


def N_(message: str) -> str:
    """Marks a text for the catalog that is translated later, where it is shown."""
    return message
