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


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


@functools.cache
def load_catalog(lang: str) -> gettext.GNUTranslations | gettext.NullTranslations:
    """The compiled catalog for `lang`; without one (or a broken one), the English message ids."""
    try:
        with open(mo_path(lang), "rb") as handle:
            return gettext.GNUTranslations(handle)
    except (OSError, ValueError) as exc:
        log.warning("no usable catalog for %s (%s); showing the English texts", lang, exc)
        return _English()


class _English(gettext.NullTranslations):
    """No catalog: every message is its English id, and every lookup counts as missing."""
    _catalog: dict = {}


def N_(message: str) -> str:
    """Mark for translation without translating (translate the value later)."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a message with its context for translation; translate later with `pgettext(*marked)`."""
    return context, message
