"""Catalogs, text shaping, keyboards, colours and the PIN guard — no window needed (except fonts)."""

from __future__ import annotations

import dataclasses
import re
import string

import pytest

from kiosk import catalogs, translation
from kiosk.errors import ConfigError
from kiosk.ui import i18n, text, theme
from kiosk.ui.keyboard import layouts
from kiosk.ui.staff import MAX_TRIES, PinGuard, hash_pin, verify_pin
from kiosk.ui.store import UiStore
from kiosk.ui.theme import Metrics

from tests.ui.conftest import FakeClock, write_config

LANGS = ("de", "en", "tr", "ar", "uk")
# Every catalog of both gettext domains: the kiosk's in five languages; the console's in German so far.
CATALOGS = [pytest.param(domain, lang, id=f"{domain.name}-{lang}")
            for domain in catalogs.DOMAINS for lang in domain.languages()]


def placeholders(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


# --- catalogs ------------------------------------------------------------------------------------

def test_each_domain_has_its_catalogs():
    assert catalogs.KIOSK.languages() == sorted(LANGS)
    assert "de" in catalogs.CONSOLE.languages()      # German is the console's source; other languages may follow


def test_the_console_s_german_texts_are_its_own_domain_not_the_kiosk_s():
    kiosk, console = catalogs.extract(catalogs.KIOSK), catalogs.extract(catalogs.CONSOLE)
    assert (None, "Bücherzelle") in console and (None, "Bücherzelle") not in kiosk
    assert (None, "Wie geht's der Station?") in console              # from a template
    assert (None, "Book booth") in kiosk and (None, "Book booth") not in console
    assert len(kiosk) > 100 and len(console) > 50


@pytest.mark.parametrize("domain, lang", CATALOGS)
def test_every_string_of_the_code_has_a_translation(domain, lang):
    found = catalogs.extract(domain)
    assert catalogs.untranslated(lang, found, domain) == [], \
        f"{domain.name}/{lang}: untranslated (run python -m kiosk.catalogs)"
    broken = []
    for message in catalogs.read(lang, domain):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        # A context may name more fields a translation can use: "date: {weekday} {day} {dd} …".
        allowed = set().union(*map(placeholders, ids), placeholders(message.context or ""))
        broken += [(message.id, form) for form in catalogs.forms(message) if not placeholders(form) <= allowed]
    assert broken == [], f"{domain.name}/{lang}: placeholders changed in {broken[:3]}"


@pytest.mark.parametrize("domain, lang", CATALOGS)
def test_a_catalog_keeps_only_what_the_code_asks_for(domain, lang):
    assert catalogs.unused(lang, catalogs.extract(domain), domain) == [], \
        f"{domain.name}/{lang}: remove these entries from its {domain.name}.po (run python -m kiosk.catalogs)"


@pytest.mark.parametrize("domain, lang", CATALOGS)
def test_the_shipped_mo_file_is_its_po_file_compiled(domain, lang):
    assert catalogs.differences(lang, domain) == [], \
        f"{domain.name}/{lang}: {domain.name}.mo is stale; run `python -m kiosk.catalogs` and commit the .mo files"


def test_a_stale_mo_file_is_told_apart(tmp_path):
    """Edit a translation in the .po without compiling: the check above must see it."""
    copy = dataclasses.replace(catalogs.KIOSK, locale_dir=tmp_path)
    copy.po_path("de").parent.mkdir(parents=True)
    copy.po_path("de").write_text(translation.po_path("de").read_text(encoding="utf-8")
                                  .replace('msgstr "Umgesetzt!"', 'msgstr "Fertig!"'), encoding="utf-8")
    copy.mo_path("de").write_bytes(translation.mo_path("de").read_bytes())
    assert catalogs.differences("de", copy) == ["'Done!': 'Umgesetzt!' in the .mo, 'Fertig!' in the .po"]


def test_a_string_missing_from_a_catalog_is_found(tmp_path):
    (tmp_path / "screen.py").write_text('from kiosk.ui.i18n import _\nTITLE = _("A string nobody translated")\n')
    (tmp_path / "console").mkdir()
    (tmp_path / "console" / "page.py").write_text('from kiosk.console.i18n import _\nTITLE = _("Eine andere Domäne")\n')
    found = catalogs.extract(dataclasses.replace(catalogs.KIOSK, sources=(tmp_path,), skip=(tmp_path / "console",)))
    assert found == {(None, "A string nobody translated"): None}
    assert catalogs.untranslated("de", found) == [(None, "A string nobody translated")]


def test_a_console_text_not_yet_in_its_german_catalog_is_found(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text('<h1>{{ _("Ein neuer Titel") }}</h1>\n')
    found = catalogs.extract(dataclasses.replace(catalogs.CONSOLE, sources=(tmp_path,)))
    assert found == {(None, "Ein neuer Titel"): None}
    assert catalogs.untranslated("de", found, catalogs.CONSOLE) == [(None, "Ein neuer Titel")]


def test_catalogs_choose_plural_forms():
    uk = translation.load_catalog("uk")
    assert uk.ngettext("{n} idea", "{n} ideas", 1) == "{n} ідея"
    assert uk.ngettext("{n} idea", "{n} ideas", 3) == "{n} ідеї"
    assert uk.ngettext("{n} idea", "{n} ideas", 5) == "{n} ідей"
    ar = translation.load_catalog("ar")
    assert ar.ngettext("{n} idea", "{n} ideas", 2) == "فكرتان"
    de = translation.load_catalog("de")
    assert de.gettext("Done!") == "Umgesetzt!"
    assert de.ngettext("Hello {card} – you now have {n} book.", "Hello {card} – you now have {n} books.", 2) \
        .format(card="Lesefuchs 17", n=2) == "Hallo Lesefuchs 17 – du hast jetzt 2 Bücher."


def test_german_motto_and_language_names_in_themselves():
    assert translation.load_catalog("de").gettext("Batenbrock – your voice counts!") == "Batenbrock – Du bist gefragt!"
    assert i18n.LANGUAGE_NAMES == {"de": "Deutsch", "en": "English", "tr": "Türkçe", "ar": "العربية",
                                   "uk": "Українська"}


def test_a_missing_translation_is_recorded():
    lookup = i18n.I18n(LANGS, "de")
    assert lookup.gettext("Offers") == "Angebote"
    assert lookup.gettext("a string nobody translated") == "a string nobody translated"
    assert ("de", "a string nobody translated") in lookup.missing


# --- right to left ---------------------------------------------------------------------------------

def test_arabic_is_shaped_reordered_and_mirrored():
    shown = text.visual("هاتف (اختياري)", True)
    assert shown.startswith("(") and shown.endswith("ﻫ")      # brackets mirrored, first letter at the right
    assert "ا" not in shown                                    # presentation forms, not the bare letters
    assert text.visual("Hallo (Welt)", False) == "Hallo (Welt)"


def test_wrapped_arabic_keeps_the_reading_order_of_lines():
    from kivy.core.text import LabelBase  # noqa: F401 — fonts are measured with Kivy's renderer
    text.Fonts.find().register()
    words = "واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة عشرة"
    lay = text.layout(words, "ar", 24, 220)
    lines = lay.text.split("\n")
    assert len(lines) > 1
    # Each visual line, read right to left, is the next run of logical words.
    logical = [text.visual(" ".join(w), True) for w in [words.split(" ")]]
    first_line_words = [text.visual(w, True) for w in words.split(" ")[:2]]
    assert lines[0].endswith(first_line_words[0])
    assert first_line_words[1] in lines[0]
    assert logical


def test_mixed_scripts_switch_fonts_with_markup():
    text.Fonts.find().register()
    lay = text.layout("مرحبا Lesefuchs 17", "ar", 24, None)
    assert lay.markup and "[font=KSans]" in lay.text
    lay = text.layout("Hallo Welt", "de", 24, None)
    assert not lay.markup and lay.font == text.LATIN


def test_noto_fonts_are_found():
    fonts = text.Fonts.find()
    assert fonts.missing == [], "install fonts-noto-core"


# --- keyboards -------------------------------------------------------------------------------------

def test_german_keyboard_is_qwertz_with_umlauts_and_sharp_s():
    rows = layouts.rows("de")
    assert rows[0][:6] == list("qwertz") and rows[2][0] == "y"
    flat = "".join("".join(r) for r in rows)
    assert all(c in flat for c in "äöüß")
    assert layouts.rows("de", shift=True)[0][-1] == "Ü"
    assert "ß" in "".join(layouts.rows("de", shift=True)[2])


def test_turkish_ukrainian_arabic_layouts():
    tr = "".join("".join(r) for r in layouts.rows("tr"))
    assert all(c in tr for c in "çğıiöşü")
    assert layouts.upper("i", "tr") == "İ" and layouts.upper("ı", "tr") == "I"
    uk = layouts.rows("uk")
    assert uk[0][:6] == list("йцукен") and all(c in "".join("".join(r) for r in uk) for c in "їєіґ")
    ar = layouts.rows("ar")
    assert ar[0][0] == "ض" and "لا" in ar[2]


# --- colours and sizes --------------------------------------------------------------------------

def test_every_text_colour_pair_has_contrast_of_at_least_4_5():
    low = [(fg, bg, round(theme.contrast(fg, bg), 2)) for fg, bg in theme.TEXT_PAIRS
           if theme.contrast(fg, bg) < 4.5]
    assert low == []


def test_touch_targets_are_at_least_9_mm_on_the_7_inch_display():
    m = Metrics(800, 480)
    assert min(m.touch / px for px in theme.PX_PER_MM) >= theme.TARGET_MM
    assert Metrics(1280, 800).touch > m.touch


# --- staff PIN ---------------------------------------------------------------------------------------

def test_pin_hash_is_salted_and_verifies():
    a, b = hash_pin("2468"), hash_pin("2468")
    assert a != b and a.startswith("scrypt$")
    assert verify_pin("2468", a) and not verify_pin("2469", a)
    with pytest.raises(ConfigError):
        hash_pin("12ab")


def test_pin_lockout_after_five_wrong_tries_survives_a_restart(tmp_path):
    config = write_config(tmp_path)
    clock = FakeClock()
    store = UiStore.open(config)
    guard = PinGuard(store, lockout_s=300, clock=clock)
    guard.set_pin("2468")
    for i in range(MAX_TRIES - 1):
        assert guard.attempt("0000").tries_left == MAX_TRIES - 1 - i
    locked = guard.attempt("0000")
    assert not locked.ok and locked.locked_for_s == 300
    assert not guard.attempt("2468").ok                # even the right PIN is refused while locked
    store.close()

    again = PinGuard(UiStore.open(config), lockout_s=300, clock=clock)   # "restart"
    assert again.locked_for() == 300
    clock.advance(301)
    assert again.attempt("2468").ok
    again.store.close()


def test_admin_pin_command_sets_the_pin(tmp_path, capsys):
    from kiosk import cli
    config = write_config(tmp_path)
    assert cli.main(["--config", config.source, "admin", "pin", "--pin", "1357"]) == 0
    store = UiStore.open(config)
    assert PinGuard(store).attempt("1357").ok
    store.close()
    assert cli.main(["--config", config.source, "admin", "pin", "--pin", "12"]) == 2
    assert "4 to 8 digits" in capsys.readouterr().err


def test_home_wifi_code_matches_the_offers_domain():
    from kiosk.offers import qr_matrix, wifi_qr_text
    from kiosk.offers.qr import QR_BORDER
    from kiosk.ui.screens.home import wifi_matrix

    for ssid in ("Batenbrock-frei", 'a;b,c:"d\\e'):
        inner = [row[QR_BORDER:-QR_BORDER] for row in qr_matrix(wifi_qr_text(ssid))[QR_BORDER:-QR_BORDER]]
        assert wifi_matrix(ssid) == inner


# --- brackets in right-to-left text ----------------------------------------------------------------
# kiosk/ui/text.py mirrors brackets itself from the levels python-bidi 0.6 resolves (its get_display
# does not mirror); these are the cases it exists for.

def on_screen(word: str) -> str:
    """One Arabic word as it appears: shaped, its letters from right to left."""
    import arabic_reshaper
    return arabic_reshaper.reshape(word)[::-1]


@pytest.mark.parametrize("logical, rtl, shown", [
    ("هاتف (اختياري)", True, f"({on_screen('اختياري')}) {on_screen('هاتف')}"),
    ("اتصل بنا (Tel. 123)", True, f"(Tel. 123) {on_screen('بنا')} {on_screen('اتصل')}"),
    ("الكتاب [جديد] «مهم»", True, f"«{on_screen('مهم')}» [{on_screen('جديد')}] {on_screen('الكتاب')}"),
    ("أ (ب [ج] د)", True, f"({on_screen('د')} [{on_screen('ج')}] {on_screen('ب')}) {on_screen('أ')}"),
    ("Termin (مجاني) heute", False, f"Termin ({on_screen('مجاني')}) heute"),
], ids=["parentheses", "latin in parentheses", "square brackets and guillemets", "nested", "in german text"])
def test_brackets_in_arabic_text_face_what_they_enclose(logical, rtl, shown):
    assert text.visual(logical, rtl) == shown


def test_the_label_shows_the_mirrored_brackets_through_its_font_markup():
    text.Fonts.find().register()
    lay = text.layout("الكتاب [جديد] (Tel. 123)", "ar", 24, None)
    assert lay.markup                        # brackets and Latin letters come from the Latin font
    plain = re.sub(r"\[/?font(=\w+)?\]", "", lay.text).replace("&bl;", "[").replace("&br;", "]")
    assert plain == f"(Tel. 123) [{on_screen('جديد')}] {on_screen('الكتاب')}"


# --- numbers in right-to-left text ---------------------------------------------------------------

def test_plus_one_in_arabic_text_keeps_its_sign_in_front():
    text.Fonts.find().register()
    sentence = i18n.I18n(LANGS, "ar").gettext("Ideas from the neighbourhood. Tap +1 if you like one.")
    assert "+1" in sentence
    lay = text.layout(sentence, "ar", 24, None)
    plain = re.sub(r"\[/?font(=\w+)?\]", "", lay.text)
    assert "+1" in plain and "1+" not in plain
    assert not set(plain) & set("\u2066\u2067\u2068\u2069")       # the isolates place it, they are not drawn


def test_a_minus_between_numbers_is_not_taken_for_a_sign():
    assert text.isolate_numbers("12-3 و +5") == "12-3 و \u2066+5\u2069"


def test_an_arabic_date_is_drawn_in_one_font_not_as_a_fraction():
    """Noto Sans Arabic has digits but no "/": "23/12" half in each font looks like a fraction."""
    from datetime import datetime
    from kiosk.offers.when import format_date
    text.Fonts.find().register()
    day = format_date(datetime(2026, 12, 23, 10, 0), "ar")
    assert "23/12" in day
    lay = text.layout(f"أعده حتى {day}.", "ar", 24, None)
    assert "[font=KSans]23/12" in lay.text          # digits and slash from the same font


# --- read-aloud's own versions (spoken.po) ---------------------------------------------------------

def test_arabic_read_aloud_is_the_written_text_with_its_vowels():
    assert catalogs.SPOKEN.languages() == ["ar"]
    assert catalogs.spoken_mismatches("ar") == [], "change spoken.po with kiosk.po (run python -m kiosk.catalogs)"
    assert catalogs.differences("ar", catalogs.SPOKEN) == [], "spoken.mo is stale: run python -m kiosk.catalogs"
    assert translation.load_voice("ar").gettext("Thank you! Your idea has arrived.") == "شُكْرًا! وَصَلَتْ فِكْرَتُك."
    assert translation.load_voice("de") is translation.load_catalog("de")


def test_a_vowelled_text_that_drifted_from_the_written_one_is_found(tmp_path, monkeypatch):
    """The written Arabic changes (here: one word), its vowelled twin does not: the check must say so."""
    copy = dataclasses.replace(catalogs.SPOKEN, locale_dir=tmp_path)
    copy.po_path("ar").parent.mkdir(parents=True)
    copy.po_path("ar").write_text(catalogs.SPOKEN.po_path("ar").read_text(encoding="utf-8")
                                  .replace('msgstr "شُكْرًا! وَصَلَتْ فِكْرَتُك."', 'msgstr "شُكْرًا! وَصَلَ كِتَابُك."'),
                                  encoding="utf-8")
    monkeypatch.setattr(catalogs, "SPOKEN", copy)
    assert [p for p in catalogs.spoken_mismatches("ar") if "Your idea has arrived" in p]
