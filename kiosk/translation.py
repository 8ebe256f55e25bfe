"""The station's translations: one compiled gettext catalog per language.

The catalogs are `kiosk/ui/locale/<lang>/LC_MESSAGES/kiosk.po` (message ids
are English), with the compiled `kiosk.mo` next to each, kept in the
repository and installed with the package. At run time only the standard
library's gettext reads the `.mo` files: Babel, which compiles them
(`python -m kiosk.catalogs`), would cost the kiosk about 12 MB of memory
for its locale data. A test fails when a `.mo` differs from its `.po`.

Both faces (the Kivy screens through `kiosk.ui.i18n`) and domain code that
words things for people (`kiosk.offers.when`) read the same catalogs.
"""

from __future__ import annotations

import functools
import gettext
import logging
from pathlib import Path

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent / "ui" / "locale"
DOMAIN = "kiosk"
# Read-aloud's own versions of the kiosk's texts, where a language needs them: Arabic with its short
# vowels (espeak-ng cannot add them). Same message ids as DOMAIN; only some languages have one.
SPOKEN_DOMAIN = "spoken"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def spoken_po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{SPOKEN_DOMAIN}.po"


@functools.cache
def load_catalog(lang: str) -> gettext.GNUTranslations | gettext.NullTranslations:
    """The compiled catalog for `lang`; without one (or a broken one), the English message ids."""
    try:
        with open(mo_path(lang), "rb") as handle:
            return gettext.GNUTranslations(handle)
    except (OSError, ValueError) as exc:
        log.warning("no usable catalog for %s (%s); showing the English texts", lang, exc)
        return _English()


@functools.cache
def load_spoken(lang: str) -> gettext.GNUTranslations | gettext.NullTranslations:
    """Only the spoken versions `lang` keeps (`spoken.po`); empty for a language that needs none."""
    try:
        with open(spoken_po_path(lang).with_suffix(".mo"), "rb") as handle:
            return gettext.GNUTranslations(handle)
    except FileNotFoundError:
        return _English()
    except (OSError, ValueError) as exc:
        log.warning("no usable spoken catalog for %s (%s); reading the written texts", lang, exc)
        return _English()


@functools.cache
def load_voice(lang: str) -> gettext.GNUTranslations | gettext.NullTranslations:
    """The catalog read-aloud words things with: `lang`'s spoken versions, else its written texts."""
    spoken = load_spoken(lang)
    if not spoken._catalog:  # noqa: SLF001
        return load_catalog(lang)
    voice = gettext.GNUTranslations()
    voice._catalog = spoken._catalog  # noqa: SLF001 — shares the compiled messages, copies nothing
    voice.plural, voice._info, voice._charset = spoken.plural, spoken._info, spoken._charset  # noqa: SLF001
    voice.add_fallback(load_catalog(lang))
    return voice


class _English(gettext.NullTranslations):
    """No catalog: every message is its English id, and every lookup counts as missing."""
    _catalog: dict = {}


def N_(message: str) -> str:
    """Mark for translation without translating (translate the value later)."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a message with its context for translation; translate later with `pgettext(*marked)`."""
    return context, message
