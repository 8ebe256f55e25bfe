"""Keeping the translation catalogs current, with Babel (build and test time only).

`python -m kiosk.catalogs` compiles every `kiosk.po` into the `kiosk.mo` the
kiosk reads (see `kiosk.translation`) and lists what the code asks for that a
catalog lacks. Run it after editing a `.po` and commit both files. Babel is in
the `test` extra, not installed on the Pi; nothing at run time imports this.

Adding a string: mark it in the code (`_("…")`, `ngettext(…)`, `N_("…")`, or
with a context `pgettext(ctx, "…")` / `NP_(ctx, "…")`), add a `msgid`/`msgstr`
pair to each of the five `.po` files, run `python -m kiosk.catalogs`.
"""

from __future__ import annotations

import gettext
import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.translation import LOCALE_DIR, mo_path, po_path

PACKAGE = Path(__file__).resolve().parent
# The whole package: the screens today, the offers' "when", and any domain that words things for people.
SOURCES = (PACKAGE,)
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2)}

UNDATED = datetime(2000, 1, 1, tzinfo=timezone.utc)
Key = tuple[str | None, str]          # (context, msgid)


def languages() -> list[str]:
    """The languages that have a catalog."""
    return sorted(path.name for path in LOCALE_DIR.iterdir() if po_path(path.name).exists())


def extract(sources: tuple[Path, ...] = SOURCES) -> dict[Key, str | None]:
    """Every message marked in the code: (context, msgid) -> its plural msgid, or None."""
    found: dict[Key, str | None] = {}
    for root in sources:
        for _file, _line, message, _comments, context in extract_from_dir(root, keywords=KEYWORDS):
            if isinstance(message, tuple):
                found[(context, message[0])] = message[1]
            else:
                found.setdefault((context, message), None)
    return found


def read(lang: str) -> Catalog:
    """The `.po` catalog of `lang`, as Babel reads it."""
    with open(po_path(lang), "rb") as handle:
        return read_po(handle, locale=lang)


def compiled(lang: str) -> bytes:
    """The `.mo` file the `.po` of `lang` compiles to (fuzzy entries left out, as msgfmt does)."""
    catalog = read(lang)
    catalog.creation_date = UNDATED     # else Babel writes today's date, and each run changes the file
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def differences(lang: str) -> list[str]:
    """How the shipped `.mo` of `lang` differs from what its `.po` compiles to (empty: it is current)."""
    try:
        with open(mo_path(lang), "rb") as handle:
            shipped = gettext.GNUTranslations(handle)
    except (OSError, ValueError) as exc:
        return [f"no usable {mo_path(lang).name}: {exc}"]
    fresh = gettext.GNUTranslations(io.BytesIO(compiled(lang)))
    # The header's other lines (Babel's version, dates) don't change what the kiosk shows.
    old = dict(shipped._catalog, **{"": shipped.info().get("plural-forms")})  # noqa: SLF001
    new = dict(fresh._catalog, **{"": fresh.info().get("plural-forms")})  # noqa: SLF001
    return [f"{key or 'Plural-Forms'!r}: {old.get(key)!r} in the .mo, {new.get(key)!r} in the .po"
            for key in sorted(old.keys() | new.keys(), key=str) if old.get(key) != new.get(key)]


def key(message: Message) -> Key:
    """(context, msgid) of a `.po` entry; a plural entry by its singular."""
    return message.context, message.id if isinstance(message.id, str) else message.id[0]


def forms(message: Message) -> tuple[str, ...]:
    """The translation of a `.po` entry: one form, or one per plural form."""
    return message.string if isinstance(message.string, tuple) else (message.string,)


def untranslated(lang: str, wanted: dict[Key, str | None]) -> list[Key]:
    """Messages of `wanted` that the `.po` of `lang` lacks, leaves (partly) empty or marks fuzzy."""
    catalog = read(lang)
    missing = []
    for (context, msgid), plural in wanted.items():
        entry = catalog.get(msgid, context=context)
        needed = 1 if plural is None else catalog.num_plurals
        if entry is None or entry.fuzzy or len(forms(entry)) < needed or not all(forms(entry)):
            missing.append((context, msgid))
    return missing


def unused(lang: str, wanted: dict[Key, str | None]) -> list[Key]:
    """Entries of the `.po` of `lang` that no code asks for any more."""
    return [key(message) for message in read(lang) if message.id and key(message) not in wanted]


def main() -> int:
    wanted = extract()
    status = 0
    for lang in languages():
        mo_path(lang).write_bytes(compiled(lang))
        print(f"{lang}: compiled {mo_path(lang).relative_to(PACKAGE.parent)}")
        for context, msgid in untranslated(lang, wanted):
            print(f"    no translation: {msgid!r}" + (f" (context {context!r})" if context else ""))
            status = 1
        for context, msgid in unused(lang, wanted):
            print(f"    not used by the code: {msgid!r}" + (f" (context {context!r})" if context else ""))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
