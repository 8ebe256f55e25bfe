"""The console's words, through gettext like the kiosk (kiosk/ui/i18n.py), in a domain of its own.

The console is written in German: its message ids are the German texts, so German needs no
catalog and a missing translation shows German. Another language is a catalog
`kiosk/console/locale/<lang>/LC_MESSAGES/console.mo` made from the ids in the templates
and the Python files of this package.
"""

from __future__ import annotations

import gettext
from pathlib import Path

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


def N_(message: str) -> str:
    """Marks a text for the catalog that is translated later, where it is shown."""
    return message
