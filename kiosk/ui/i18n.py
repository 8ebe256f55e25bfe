"""The kiosk's five languages, with gettext.

Catalogs live in `kiosk/ui/locale/<lang>/LC_MESSAGES/kiosk.po` (message ids are
English). A compiled `kiosk.mo` next to it is used when it is newer than the
`.po`; otherwise the `.po` is compiled in memory at start-up with the same logic
as CPython's `Tools/i18n/msgfmt.py`, so a fresh clone needs no build step.

`_()` translates into the language the kiosk shows right now; `N_()` only marks a
string for extraction (translated later, e.g. in a table of categories). A lookup
that finds no translation is recorded in `I18n.missing`, which the tests check
after visiting every screen in every language.
"""

from __future__ import annotations

import ast
import gettext
import io
import logging
import struct
from pathlib import Path
from typing import Callable

from kiosk.languages import CODES, DEFAULT, NAMES

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "kiosk"
LANGUAGE_NAMES = NAMES      # kiosk/languages.py holds them; kiosk/ui/app.py still reads them here


class I18n:
    """Which language is shown, and the catalogs for all of them."""

    def __init__(self, languages: tuple[str, ...] = CODES, default: str | None = None):
        self.languages = tuple(languages)
        self.default = default or (self.languages[0] if self.languages else DEFAULT)
        self.lang = self.default
        self._catalogs: dict[str, gettext.GNUTranslations] = {}
        self._listeners: list[Callable[[str], None]] = []
        self.missing: set[tuple[str, str]] = set()

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
    def catalog(self, lang: str) -> gettext.GNUTranslations:
        catalog = self._catalogs.get(lang)
        if catalog is None:
            catalog = self._catalogs[lang] = load_catalog(lang)
        return catalog

    def gettext(self, message: str, lang: str | None = None) -> str:
        lang = lang or self.lang
        catalog = self.catalog(lang)
        found = catalog._catalog.get(message)  # noqa: SLF001 — the only way to tell "missing" from "same"
        if not found:
            self.missing.add((lang, message))
            return message
        return found

    def ngettext(self, singular: str, plural: str, n: int, lang: str | None = None) -> str:
        lang = lang or self.lang
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


def N_(message: str) -> str:
    """Mark for translation without translating (translate the value later with `_()`)."""
    return message


# --- catalogs -------------------------------------------------------------------------------

def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_catalog(lang: str) -> gettext.GNUTranslations:
    """The catalog for `lang`: the .mo when it is current, else the .po compiled in memory."""
    po = po_path(lang)
    mo = po.with_suffix(".mo")
    try:
        if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
            with open(mo, "rb") as handle:
                return gettext.GNUTranslations(handle)
        return gettext.GNUTranslations(io.BytesIO(compile_po(po.read_text(encoding="utf-8"))))
    except (OSError, ValueError) as exc:
        log.warning("no usable catalog for %s (%s); showing the English texts", lang, exc)
        empty = gettext.GNUTranslations(io.BytesIO(compile_po('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')))
        return empty


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file: {"msgid", "msgid_plural"?, "msgstr" | "msgstr[n]", "fuzzy"}."""
    entries: list[dict] = []
    entry: dict = {}
    key = None
    fuzzy = False

    def finish() -> None:
        nonlocal entry, fuzzy
        if "msgid" in entry:
            entry["fuzzy"] = fuzzy
            entries.append(entry)
        entry, fuzzy = {}, False

    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.startswith("#,") and "fuzzy" in line:
            if "msgstr" in "".join(entry):
                finish()
            fuzzy = True
            continue
        if not line or line.startswith("#"):
            if not line and entry:
                finish()
            continue
        if line.startswith("msgid ") and any(k.startswith("msgstr") for k in entry):
            finish()
        if line.startswith('"'):
            if key is None:
                raise ValueError(f"line {number}: text outside an entry")
            entry[key] += ast.literal_eval(line)
            continue
        word, _, rest = line.partition(" ")
        if word not in ("msgid", "msgid_plural", "msgstr", "msgctxt") and not word.startswith("msgstr["):
            raise ValueError(f"line {number}: unknown keyword {word!r}")
        key = word
        entry[key] = ast.literal_eval(rest.strip())
    finish()
    return entries


def compile_po(text: str) -> bytes:
    """A .mo file (GNU gettext binary format) from .po text; fuzzy entries are left out."""
    messages: dict[str, str] = {}
    for entry in parse_po(text):
        if entry.get("fuzzy") and entry["msgid"]:
            continue
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = entry["msgctxt"] + "\x04" + msgid
        if "msgid_plural" in entry:
            forms = [entry[k] for k in sorted((k for k in entry if k.startswith("msgstr[")),
                                              key=lambda k: int(k[7:-1]))]
            if not all(forms):
                continue
            messages[msgid + "\0" + entry["msgid_plural"]] = "\0".join(forms)
        elif entry.get("msgstr"):
            messages[msgid] = entry["msgstr"]
        elif msgid == "":
            messages[""] = entry.get("msgstr", "")
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for k in keys:
        kb, vb = k.encode("utf-8"), messages[k].encode("utf-8")
        offsets.append((len(ids), len(kb), len(strs), len(vb)))
        ids += kb + b"\0"
        strs += vb + b"\0"
    start = 7 * 4 + 16 * len(keys)
    koffsets, voffsets = [], []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + start]
        voffsets += [l2, o2 + start + len(ids)]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return header + struct.pack(f"{len(koffsets)}i", *koffsets) + struct.pack(f"{len(voffsets)}i", *voffsets) + ids + strs


# --- extraction (for tests and for updating catalogs) ---------------------------------------

def extract(root: Path = Path(__file__).resolve().parent) -> dict[str, str | None]:
    """Every string marked with _(), N_() or ngettext() under `root`: msgid -> plural or None."""
    found: dict[str, str | None] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else None
            args = node.args
            if name in ("_", "N_") and args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                found.setdefault(args[0].value, None)
            elif name == "ngettext" and len(args) >= 2 and all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args[:2]):
                found[args[0].value] = args[1].value
    return found
