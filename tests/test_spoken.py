"""Listening to read-aloud: every spoken string goes through espeak-ng (`-q --ipa`, its phonemes) and
fails where a listener would hear noise instead of words.

What counts as noise, in the phonemes espeak-ng prints (IPA, one token per phoneme, words apart):
- Arabic, a word without its vowels: a word that starts with two consonants (Arabic syllables never
  do) or holds three consonants in a row (at most two meet inside an Arabic word: CVC.CV). Words the
  voice hands to another language ("(en) … (ar)": a card's name, a book title) are not Arabic words.
- an abbreviation spelled out: a word that sounds exactly like its letters said one by one ("Fr",
  "Pzt", "Cmt");
- a digit group read digit by digit: the language's word for the digit 0 ("09:00" → "nine zero zero");
- a slash read aloud: whatever the voice says for "/" between numbers ("12/6" → Arabic "… slash …").

The strings, in each of the five languages: the interface texts read aloud (the message ids of the
Arabic spoken catalog — the UI test checks that these are all read-aloud uses), the spoken days,
times and dates (kiosk.offers.spoken) for every weekday, month and kind of offer, and the offers
of config/offers.toml as their screen reads them (Arabic: their times only; see kiosk.languages).
All strings of a language go through one espeak-ng call per check. Needs espeak-ng (scripts/dev.sh
installs it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk import catalogs
from kiosk.languages import BY_CODE, CODES, reads_free_text
from kiosk.offers import Offer, Slot, describe_when, format_date
from kiosk.offers.catalogue import read_offers_file
from kiosk.offers.spoken import spoken_date, spoken_days, spoken_when
from kiosk.translation import load_catalog, load_voice
from kiosk.ui.speech import for_voice

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng (scripts/dev.sh)")

ROOT = Path(__file__).resolve().parents[1]
BERLIN = ZoneInfo("Europe/Berlin")
WEDNESDAY = datetime(2026, 11, 25, 8, 0, tzinfo=BERLIN)
SENTINEL = "1000"           # said between two strings of one call, to tell their phonemes apart
STRESS = str.maketrans("", "", "ˈˌːˑ‿")
IPA_VOWELS = set("aeiouyæøœɐɑɒɔəɘɛɜɞɤɨɪʉʊʌʏɯɵɶ")
MARKS = "\u064b-\u0652\u0670"     # Arabic vowel marks: part of the word they sit in
SHORT_WORD = re.compile(rf"(?<![\w.{MARKS}])(?:[^\W\d_][{MARKS}]*){{2,5}}(?![\w{MARKS}])")
SAMPLES = {"n": 3, "card": "Lesefuchs 17", "title": "Das Sams", "value": "24 %", "number": 42}


# --- the strings -------------------------------------------------------------------------------------

def offer(id, **kw) -> Offer:
    return Offer(id=id, title={"de": id}, **kw)


def day(d: int, h: int) -> datetime:
    return datetime(2026, 11, 25, tzinfo=BERLIN).replace(hour=h) + timedelta(days=d)


# One of each kind "when" has: weekly once, weekly in groups, two days, one-off dates, today, now, all day.
WHEN = (
    offer("cafe", weekly=(Slot(1, time(9, 30), time(11, 30)),)),
    offer("office", weekly=tuple(Slot(d, time(9), time(17)) for d in range(5)) + (Slot(5, time(10), time(12)),)),
    offer("two", weekly=(Slot(1, time(15), time(17)), Slot(3, time(15), time(17)))),
    offer("weekend", weekly=(Slot(4, time(14), time(18)), Slot(5, time(14), time(18)), Slot(6, time(14), time(18)))),
    offer("fest", dates=((day(3, 14), day(3, 18)),)),
    offer("today", dates=((day(0, 15), day(0, 17)),)),
    offer("now", dates=((day(0, 7), day(0, 12)),)),
    offer("allday", dates=((day(10, 0), day(11, 0)),)),
    offer("always", always_open=True),
)
# A date on every weekday and in every month.
DATES = [datetime(2027, month, 1 + month, 12, tzinfo=BERLIN) for month in range(1, 13)]
DAY_LISTS = [list(range(first, first + 3)) for first in range(5)] + [[0, 2], [1, 3], [4, 6]]


def interface(lang: str, words) -> list[str]:
    """The read-aloud interface texts (the Arabic spoken catalog's ids) as `words` has them, filled in."""
    out = []
    for message in catalogs.read("ar", catalogs.SPOKEN):
        if not message.id:
            continue
        fields = dict(SAMPLES, date=spoken_date(DATES[5], lang))
        if isinstance(message.id, tuple):
            # 0 only where a language words it without the number (Arabic): "0 books" is said as a zero
            forms = [words.ngettext(*message.id, n) for n in (0, 1, 2, 3, 11, 100)]
            out += [form.format(**dict(fields, n=n)) for n, form in zip((0, 1, 2, 3, 11, 100), forms)
                    if n or "{n}" not in form]
        else:
            out.append(words.gettext(message.id).format(**fields))
    return out


def offers_read(lang: str, when) -> list[str]:
    """config/offers.toml's offers as the offer screen reads them (Arabic: only their times)."""
    out = []
    for o in read_offers_file(ROOT / "config" / "offers.toml"):
        if reads_free_text(lang):
            out.append(". ".join(x for x in (o.text("title", lang), when(o, lang, WEDNESDAY), o.place,
                                             o.text("summary", lang)) if x))
        else:
            out.append(when(o, lang, WEDNESDAY))
    return out


def spoken_strings(lang: str) -> list[str]:
    """Everything read-aloud may say in `lang`."""
    return (interface(lang, load_voice(lang)) + [spoken_when(o, lang, WEDNESDAY) for o in WHEN]
            + [spoken_date(d, lang) for d in DATES] + [spoken_days(days, lang) for days in DAY_LISTS]
            + offers_read(lang, spoken_when))


def written_strings(lang: str) -> list[str]:
    """The same, as the screen writes them: what read-aloud said before it had a spoken form."""
    return (interface(lang, load_catalog(lang)) + [describe_when(o, lang, WEDNESDAY) for o in WHEN]
            + [format_date(d, lang) for d in DATES] + offers_read(lang, describe_when))


# --- listening ---------------------------------------------------------------------------------------

def phonemes(texts: list[str], lang: str) -> list[list[str]]:
    """The phoneme words espeak-ng says for each text (one call for all): [["ʃ ˈu k r a n", …], …]."""
    voice = BY_CODE[lang].voice
    said = "".join(f"{for_voice(text).strip()}.\n{SENTINEL}.\n" for text in texts)
    out = subprocess.run(["espeak-ng", "-v", voice, "-q", "--ipa", "--sep= "], input=said, capture_output=True,
                         text=True, check=True, timeout=120).stdout
    sentinel = subprocess.run(["espeak-ng", "-v", voice, "-q", "--ipa", "--sep= "], input=SENTINEL + ".",
                              capture_output=True, text=True, check=True).stdout.strip()
    chunks, current = [], []
    for line in out.splitlines():
        if line.strip() == sentinel:
            chunks.append(current)
            current = []
        elif line.strip():
            current += [w.strip() for w in re.split(r"\s{2,}", line) if w.strip()]
    assert len(chunks) == len(texts), "espeak-ng's output does not split into the strings given"
    return chunks


def flat(word: str) -> str:
    return word.translate(STRESS).replace(" ", "")


class Ear:
    """What one language's voice says for a zero, a slash and each letter: asked once per language."""

    def __init__(self, lang: str):
        self.lang = lang
        zero, with_slash, without = phonemes(["0", "1/2", "1 2"], lang)
        self.zero = {flat(w) for w in zero}
        self.slash = [flat(w) for w in with_slash if flat(w) not in {flat(x) for x in without}]

    def spelled(self, texts: list[str]) -> set[str]:
        """Words of `texts` that the voice says letter by letter: as its letters one by one, and with more
        vowels than it is written with (letter names: "ef", "pe"; a word like "все" sounds as its letters
        because Ukrainian letters are said as their sounds)."""
        # Candidates: short words with at most one vowel letter (a voice spells what it cannot say).
        words = sorted({w for t in texts for w in SHORT_WORD.findall(t) if vowels_written(w) <= 1})
        if not words:
            return set()
        whole = phonemes(words, self.lang)
        letters = phonemes([" ".join(w) for w in words], self.lang)
        return {w for w, a, b in zip(words, whole, letters)
                if "".join(map(flat, a)) == "".join(map(flat, b)) and vowels(a) > vowels_written(w)}

    def problems(self, texts: list[str]) -> list[str]:
        """What a listener would hear wrong, one line per string and kind."""
        found = []
        spelled = self.spelled(texts)
        for text, words in zip(texts, phonemes(texts, self.lang)):
            plain = [flat(w) for w in words]
            if self.lang == "ar":
                bare = [w for w in arabic_words(words) if unvowelled(w)]
                if bare:
                    found.append(f"{text!r}: Arabic without vowels [{' | '.join(bare)}]")
            if self.zero & set(plain):
                found.append(f"{text!r}: a digit group read digit by digit (a zero)")
            if self.slash and any(w in plain for w in self.slash):
                found.append(f"{text!r}: a slash read aloud")
            letters = [w for w in spelled if w in SHORT_WORD.findall(text)]
            if letters:
                found.append(f"{text!r}: spelled letter by letter: {letters}")
        return found


def arabic_words(words: list[str]) -> list[str]:
    """The phoneme words of the Arabic voice itself, not those it hands to another ("(en) … (ar)")."""
    out, foreign = [], False
    for word in words:
        for part in re.split(r"(\(\w+\))", word):
            if re.fullmatch(r"\(\w+\)", part):
                foreign = part != "(ar)"
            elif part.strip() and not foreign:
                out.append(part.strip())
    return out


def unvowelled(word: str) -> bool:
    """Two consonants at the start or three in a row: a word said without its short vowels.
    A doubled consonant (shadda: espeak-ng says "r r" or "t tː") is one long consonant."""
    tokens = [t for t in word.translate(STRESS).split() if t]
    kinds = []
    for i, token in enumerate(tokens):
        if token[0] in IPA_VOWELS:
            kinds.append("v")
        elif not (i and tokens[i - 1][0] == token[0]):
            kinds.append("c")
    run = "".join(kinds)
    return run.startswith("cc") or "ccc" in run


def vowels(words: list[str]) -> int:
    return sum(token[0] in IPA_VOWELS for w in words for token in w.translate(STRESS).split())


def vowels_written(word: str) -> int:
    return sum(ch in "aeiouyäöüıаеєиіїоуюяыэё" for ch in word.lower())


# --- the tests ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ears():
    return {lang: Ear(lang) for lang in CODES}


@pytest.mark.parametrize("lang", CODES)
def test_everything_read_aloud_comes_out_as_words(ears, lang):
    strings = spoken_strings(lang)
    assert len(strings) > 100
    problems = ears[lang].problems(strings)
    assert problems == [], f"{lang}: {len(problems)} of {len(strings)} spoken strings sound wrong:\n" + \
        "\n".join(problems[:20])


@pytest.mark.parametrize("lang", CODES)
def test_the_written_forms_fail_the_listening(ears, lang):
    """The written forms are what read-aloud said before: the test must hear what was wrong with them."""
    problems = ears[lang].problems(written_strings(lang))
    assert problems, f"{lang}: the written forms pass; the listening test hears nothing"


@pytest.mark.parametrize("lang, bad, kind", [
    ("ar", "شكراً! وصلت فكرتك.", "Arabic without vowels"),
    ("ar", "السبت 12/6", "a slash read aloud"),
    ("de", "Mo–Fr 09:00–17:00 Uhr", "digit by digit"),
    ("de", "Mo–Fr 09:00–17:00 Uhr", "spelled letter by letter"),
    ("tr", "Pzt–Cum 09:00–17:00; Cmt 10:00–12:00", "spelled letter by letter"),
    ("en", "Mon–Fri 09:00–17:00", "digit by digit"),
    ("uk", "Пн–Пт 09:00–17:00", "spelled letter by letter"),
])
def test_each_kind_of_noise_is_heard(ears, lang, bad, kind):
    assert any(kind in problem for problem in ears[lang].problems([bad])), ears[lang].problems([bad])


def test_vowelled_arabic_passes_where_the_bare_text_fails(ears):
    assert ears["ar"].problems(["شُكْرًا! وَصَلَتْ فِكْرَتُك."]) == []


def test_the_spoken_forms_say_days_and_hours_in_full():
    office = WHEN[1]
    assert spoken_when(office, "de", WEDNESDAY) == \
        "Montag bis Freitag, von 9 Uhr bis 17 Uhr. Samstag, von 10 Uhr bis 12 Uhr"
    assert spoken_when(office, "en", WEDNESDAY) == \
        "Monday to Friday, from 9 a.m. to 5 p.m. Saturday, from 10 a.m. to 12 p.m."
    assert spoken_when(office, "tr", WEDNESDAY).startswith("Pazartesiden cumaya kadar, saat 9 ile 17 arası")
    assert spoken_when(office, "uk", WEDNESDAY).startswith("з понеділка до п'ятниці, з 9 до 17")
    assert spoken_date(DATES[5], "de") == "Montag, 7. Juni"
    assert "/" not in spoken_date(DATES[5], "ar")
