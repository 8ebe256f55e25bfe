"""Keeping the translation catalogs current, with Babel (build and test time only).

The station has two gettext domains, each with its own catalogs:

- `kiosk` (`kiosk/ui/locale/<lang>/LC_MESSAGES/kiosk.po`, see `kiosk.translation`): message
  ids in English, for the screens and for every domain that words things for people
  (offers' "when", staff commands' outcomes). It is marked in all of `kiosk/` but the console.
- `console` (`kiosk/console/locale/<lang>/LC_MESSAGES/console.po`, see `kiosk.console.i18n`):
  the staff console is written in German, so its message ids are German. Its German
  catalog is written from the code; other languages can follow as hand-kept catalogs.

- `spoken` (`kiosk/ui/locale/<lang>/LC_MESSAGES/spoken.po`, see `kiosk.translation.load_spoken`):
  read-aloud's own versions of kiosk texts, only for a language whose voice needs them — Arabic,
  with its short vowels. Same message ids as `kiosk`; each version, without its vowel marks, must
  be the written text of the kiosk catalog (`spoken_mismatches`), so the two cannot drift apart.

`python -m kiosk.catalogs` writes the German console catalog, compiles every `.po` into the
`.mo` that is read at run time, and lists what the code asks for that a catalog lacks.
Run it after editing a `.po` or a console text and commit the files. Babel is in the
`test` extra, not installed on the Pi; nothing at run time imports this.

Adding a kiosk string: mark it in the code (`_("…")`, `ngettext(…)`, `N_("…")`, or with
a context `pgettext(ctx, "…")` / `NP_(ctx, "…")`), add a `msgid`/`msgstr` pair to each
of the five `kiosk.po` files, run `python -m kiosk.catalogs`. Adding a console string:
mark it (`_("…")` in Python or a template), run `python -m kiosk.catalogs`.
"""

from __future__ import annotations

import gettext
import io
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from kiosk import translation
from kiosk.console import i18n as console_i18n

PACKAGE = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NP_": ((1, "c"), 2)}

UNDATED = datetime(2000, 1, 1, tzinfo=timezone.utc)
Key = tuple[str | None, str]          # (context, msgid)


@dataclass(frozen=True)
class Domain:
    """One gettext domain: where its catalogs are, and which code (and templates) mark its messages.

    `skip` are folders under `sources` that belong to another domain. `source_language` is
    the language the message ids are written in, if not English: its catalog is written
    from the code (each text its own translation), not kept by hand.
    """

    name: str
    locale_dir: Path
    sources: tuple[Path, ...]
    skip: tuple[Path, ...] = ()
    methods: tuple[tuple[str, str], ...] = (("**.py", "python"),)
    source_language: str | None = None

    def po_path(self, lang: str) -> Path:
        return self.locale_dir / lang / "LC_MESSAGES" / f"{self.name}.po"

    def mo_path(self, lang: str) -> Path:
        return self.po_path(lang).with_suffix(".mo")

    def languages(self) -> list[str]:
        """The languages that have a catalog."""
        if not self.locale_dir.is_dir():
            return []
        return sorted(path.name for path in self.locale_dir.iterdir() if self.po_path(path.name).exists())

    def wants(self, directory: str) -> bool:
        """Whether extraction goes into `directory` (not hidden, not a cache, not another domain's)."""
        name = os.path.basename(directory)
        return not name.startswith((".", "_")) and Path(directory).resolve() not in {path.resolve() for path in self.skip}


CONSOLE = Domain(console_i18n.DOMAIN, console_i18n.LOCALE_DIR, sources=(PACKAGE / "console",),
                 methods=(("**.py", "python"), ("templates/**.html", "jinja2")),
                 source_language=console_i18n.LANGUAGE)
# The whole package but the console: the screens, the offers' "when", and any domain that words things for people.
KIOSK = Domain(translation.DOMAIN, translation.LOCALE_DIR, sources=(PACKAGE,), skip=CONSOLE.sources)
DOMAINS = (KIOSK, CONSOLE)
# Not extracted from the code: its messages are the kiosk's (see the module doc).
SPOKEN = Domain(translation.SPOKEN_DOMAIN, translation.LOCALE_DIR, sources=())

# Arabic short vowels, tanween, shadda, sukun, superscript alef, and the tatweel that stretches a word.
VOWEL_MARKS = dict.fromkeys(map(ord, "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"))


def extract(domain: Domain = KIOSK) -> dict[Key, str | None]:
    """Every message of `domain` marked in the code: (context, msgid) -> its plural msgid, or None."""
    found: dict[Key, str | None] = {}
    for root in domain.sources:
        for _file, _line, message, _comments, context in extract_from_dir(
                root, method_map=list(domain.methods), keywords=KEYWORDS, directory_filter=domain.wants):
            if isinstance(message, tuple):
                found[(context, message[0])] = message[1]
            else:
                found.setdefault((context, message), None)
    return found


def read(lang: str, domain: Domain = KIOSK) -> Catalog:
    """The `.po` catalog of `lang`, as Babel reads it."""
    with open(domain.po_path(lang), "rb") as handle:
        return read_po(handle, locale=lang)


def compiled(lang: str, domain: Domain = KIOSK) -> bytes:
    """The `.mo` file the `.po` of `lang` compiles to (fuzzy entries left out, as msgfmt does)."""
    catalog = read(lang, domain)
    catalog.creation_date = UNDATED     # else Babel writes today's date, and each run changes the file
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def differences(lang: str, domain: Domain = KIOSK) -> list[str]:
    """How the shipped `.mo` of `lang` differs from what its `.po` compiles to (empty: it is current)."""
    mo = domain.mo_path(lang)
    try:
        with open(mo, "rb") as handle:
            shipped = gettext.GNUTranslations(handle)
    except (OSError, ValueError) as exc:
        return [f"no usable {mo.name}: {exc}"]
    fresh = gettext.GNUTranslations(io.BytesIO(compiled(lang, domain)))
    # The header's other lines (Babel's version, dates) don't change what a reader sees.
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


def untranslated(lang: str, wanted: dict[Key, str | None], domain: Domain = KIOSK) -> list[Key]:
    """Messages of `wanted` that the `.po` of `lang` lacks, leaves (partly) empty or marks fuzzy."""
    catalog = read(lang, domain)
    missing = []
    for (context, msgid), plural in wanted.items():
        entry = catalog.get(msgid, context=context)
        needed = 1 if plural is None else catalog.num_plurals
        if entry is None or entry.fuzzy or len(forms(entry)) < needed or not all(forms(entry)):
            missing.append((context, msgid))
    return missing


def unused(lang: str, wanted: dict[Key, str | None], domain: Domain = KIOSK) -> list[Key]:
    """Entries of the `.po` of `lang` that no code asks for any more."""
    return [key(message) for message in read(lang, domain) if message.id and key(message) not in wanted]


def source_catalog(domain: Domain, wanted: dict[Key, str | None]) -> bytes:
    """The `.po` of the language `domain`'s message ids are written in: each text is its own translation."""
    lang = domain.source_language
    catalog = Catalog(locale=lang, domain=domain.name, project=f"batenbrock-kiosk {domain.name}", version="",
                      creation_date=UNDATED, revision_date=UNDATED, fuzzy=False, last_translator="",
                      language_team="", msgid_bugs_address="",
                      header_comment=f"# The {domain.name}'s texts, written by `python -m kiosk.catalogs` from the code, "
                                     f"whose texts are in this\n# language ({lang}). Do not edit: change the text in "
                                     "the code and run it again.")
    for (context, msgid), plural in wanted.items():
        if plural is None:
            catalog.add(msgid, msgid, context=context)
        else:
            catalog.add((msgid, plural), (msgid, plural), context=context)
    out = io.BytesIO()
    write_po(out, catalog, width=0, no_location=True, sort_output=True)
    return out.getvalue()


def without_vowel_marks(text: str) -> str:
    return text.translate(VOWEL_MARKS)


def spoken_mismatches(lang: str) -> list[str]:
    """Entries of `lang`'s `spoken.po` that are not its kiosk catalog's written text with vowels added."""
    written = read(lang)
    problems = []
    for message in read(lang, SPOKEN):
        if not message.id:
            continue
        context, msgid = key(message)
        entry = written.get(msgid, context=context)
        if entry is None:
            problems.append(f"{msgid!r}: not a kiosk text (any more)")
        elif [without_vowel_marks(f) for f in forms(message)] != [without_vowel_marks(f) for f in forms(entry)]:
            problems.append(f"{msgid!r}: spoken {forms(message)} is not the written {forms(entry)} with vowels")
    return problems


def main() -> int:
    status = 0
    for lang in SPOKEN.languages():
        SPOKEN.mo_path(lang).write_bytes(compiled(lang, SPOKEN))
        print(f"spoken/{lang}: compiled {SPOKEN.mo_path(lang).relative_to(PACKAGE.parent)}")
        for problem in spoken_mismatches(lang):
            print(f"    {problem}")
            status = 1
    for domain in DOMAINS:
        wanted = extract(domain)
        if domain.source_language:
            po = domain.po_path(domain.source_language)
            po.parent.mkdir(parents=True, exist_ok=True)
            po.write_bytes(source_catalog(domain, wanted))
            print(f"{domain.name}/{domain.source_language}: wrote {po.relative_to(PACKAGE.parent)} from the code")
        for lang in domain.languages():
            domain.mo_path(lang).write_bytes(compiled(lang, domain))
            print(f"{domain.name}/{lang}: compiled {domain.mo_path(lang).relative_to(PACKAGE.parent)}")
            for context, msgid in untranslated(lang, wanted, domain):
                print(f"    no translation: {msgid!r}" + (f" (context {context!r})" if context else ""))
                status = 1
            for context, msgid in unused(lang, wanted, domain):
                print(f"    not used by the code: {msgid!r}" + (f" (context {context!r})" if context else ""))
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
