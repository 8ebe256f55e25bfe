"""Key layouts of the on-screen keyboard, one per kiosk language, as plain data.

Letters only on the three letter rows; digits and punctuation on a second page
(`SYMBOLS`). The rows follow the physical layouts people know:

- de: German QWERTZ with ü, ö, ä next to the letters and ß (Kivy's bundled de.json
  puts a wrong key there; this one is written out by hand),
- en: QWERTY,
- tr: Turkish Q with ı ğ ü ş i ö ç (and İ as the capital of i),
- uk: Ukrainian ЙЦУКЕН with ї є і ґ,
- ar: the standard Arabic (101) layout, lam-alef as one key.
"""

from __future__ import annotations

LAYOUTS: dict[str, list[list[str]]] = {
    "de": [list("qwertzuiopü"), list("asdfghjklöä"), list("yxcvbnmß")],
    "en": [list("qwertyuiop"), list("asdfghjkl"), list("zxcvbnm")],
    "tr": [list("qwertyuıopğü"), list("asdfghjklşi"), list("zxcvbnmöç")],
    "uk": [list("йцукенгшщзхї"), list("фівапролджє"), list("ячсмитьбюґ")],
    "ar": [list("ضصثقفغعهخحجد"), list("شسيبلاتنمكط"), ["ئ", "ء", "ؤ", "ر", "لا", "ى", "ة", "و", "ز", "ظ", "ذ"]],
}
SYMBOLS: dict[str, list[list[str]]] = {
    "default": [list("1234567890"), list("@.-_/:;()!?"), list(",'\"+&%#€")],
    "ar": [list("1234567890"), list("@.-_/:()!؟?"), ["،", "؛", "'", '"', "+", "&", "%", "#"]],
}
HAS_CASE = {"de": True, "en": True, "tr": True, "uk": True, "ar": False}
# Shown on the key that switches to this layout.
SHORT_NAMES = {"de": "DE", "en": "EN", "tr": "TR", "uk": "УКР", "ar": "ع"}


def upper(char: str, lang: str) -> str:
    """The capital of a key in its language (Turkish i → İ, ı → I; ß stays ß)."""
    if lang == "tr":
        if char == "i":
            return "İ"
        if char == "ı":
            return "I"
    if char == "ß":
        return "ß"
    return char.upper()


def rows(lang: str, symbols: bool = False, shift: bool = False) -> list[list[str]]:
    """The three rows of keys to show."""
    if symbols:
        return [list(r) for r in SYMBOLS.get(lang, SYMBOLS["default"])]
    base = LAYOUTS.get(lang, LAYOUTS["en"])
    if shift and HAS_CASE.get(lang, False):
        return [[upper(c, lang) for c in row] for row in base]
    return [list(r) for r in base]
