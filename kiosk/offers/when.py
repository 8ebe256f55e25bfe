""""When is it?" in plain words, in the kiosk's five languages.

Times are 24-hour "09:30" in every language (as on any notice in Germany);
weekday names are written out per language. Each phrase was checked by
translating it back:

  de "Jeden Dienstag, 09:30–11:30 Uhr"   en "Every Tuesday, 09:30–11:30"
  tr "Her salı, 09:30–11:30"             (every Tuesday)
  ar "كل يوم ثلاثاء، 09:30–11:30"         (every Tuesday-day)
  uk "Щовівторка, 09:30–11:30"           (every Tuesday)
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from kiosk.languages import CODES as LANGS
from kiosk.offers.model import Offer

# Full weekday names, Monday first, as they stand alone ("Dienstag").
WEEKDAYS = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "tr": ("Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"),
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "uk": ("понеділок", "вівторок", "середа", "четвер", "п'ятниця", "субота", "неділя"),
}

# Short forms for lists and dates ("Di 09:30"). Arabic has no customary
# abbreviations, so it keeps the full names.
WEEKDAYS_SHORT = {
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "tr": ("Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz"),
    "ar": WEEKDAYS["ar"],
    "uk": ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Нд"),
}

# "Every <weekday>" as one phrase: the grammar differs per language
# (Turkish lower-case day names inside a phrase, Arabic "every day of …"
# without the article, Ukrainian's single-word "що-" forms in the genitive).
EVERY = {
    "de": ("Jeden Montag", "Jeden Dienstag", "Jeden Mittwoch", "Jeden Donnerstag",
           "Jeden Freitag", "Jeden Samstag", "Jeden Sonntag"),
    "en": ("Every Monday", "Every Tuesday", "Every Wednesday", "Every Thursday",
           "Every Friday", "Every Saturday", "Every Sunday"),
    "tr": ("Her pazartesi", "Her salı", "Her çarşamba", "Her perşembe",
           "Her cuma", "Her cumartesi", "Her pazar"),
    "ar": ("كل يوم اثنين", "كل يوم ثلاثاء", "كل يوم أربعاء", "كل يوم خميس",
           "كل يوم جمعة", "كل يوم سبت", "كل يوم أحد"),
    "uk": ("Щопонеділка", "Щовівторка", "Щосереди", "Щочетверга",
           "Щоп'ятниці", "Щосуботи", "Щонеділі"),
}

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Phrase templates: {days} {times} {date} {until} are filled in.
PHRASES = {
    "de": {
        "always": "Immer offen",
        "every": "{every}, {times} Uhr",
        "group": "{days} {times} Uhr",
        "range": "{a}–{b}",
        "next": "Nächster Termin: {date}",
        "today": "Heute, {times} Uhr",
        "now": "Jetzt, bis {until}",
        "today_all_day": "Heute",
        "none": "Zurzeit keine Termine",
        "at": "{date}, {times} Uhr",
    },
    "en": {
        "always": "Always open",
        "every": "{every}, {times}",
        "group": "{days} {times}",
        "range": "{a}–{b}",
        "next": "Next date: {date}",
        "today": "Today, {times}",
        "now": "Now, until {until}",
        "today_all_day": "Today",
        "none": "No dates at the moment",
        "at": "{date}, {times}",
    },
    "tr": {
        "always": "Her zaman açık",
        "every": "{every}, {times}",
        "group": "{days} {times}",
        "range": "{a}–{b}",
        "next": "Sonraki tarih: {date}",
        "today": "Bugün, {times}",
        "now": "Şu anda devam ediyor, bitiş: {until}",
        "today_all_day": "Bugün",
        "none": "Şu anda planlanmış tarih yok",
        "at": "{date}, {times}",
    },
    "ar": {
        "always": "مفتوح دائمًا",
        "every": "{every}، {times}",
        "group": "{days} {times}",
        "range": "من {a} إلى {b}",
        "next": "الموعد القادم: {date}",
        "today": "اليوم، {times}",
        "now": "الآن، حتى {until}",
        "today_all_day": "اليوم",
        "none": "لا توجد مواعيد حاليًا",
        "at": "{date}، {times}",
    },
    "uk": {
        "always": "Завжди відкрито",
        "every": "{every}, {times}",
        "group": "{days} {times}",
        "range": "{a}–{b}",
        "next": "Наступна дата: {date}",
        "today": "Сьогодні, {times}",
        "now": "Зараз, до {until}",
        "today_all_day": "Сьогодні",
        "none": "Наразі немає дат",
        "at": "{date}, {times}",
    },
}

# German says "14:00 Uhr"; the others write the bare time.
UHR = {"de": " Uhr", "en": "", "tr": "", "ar": "", "uk": ""}

# Joins between groups of days ("Mo–Fr 09:00–17:00 Uhr; Sa 10:00–12:00 Uhr").
LIST_SEPARATOR = {"de": "; ", "en": "; ", "tr": "; ", "ar": "؛ ", "uk": "; "}
DAY_SEPARATOR = {"de": ", ", "en": ", ", "tr": ", ", "ar": "، ", "uk": ", "}


def describe_when(offer: Offer, lang: str, now: datetime) -> str:
    """When the offer takes place, in `lang` (unknown languages fall back to German).

    Always open → "Immer offen"; weekly → "Jeden Dienstag, 09:30–11:30 Uhr" (or a
    list of day groups); dates → "Heute, …", "Jetzt, bis …" or
    "Nächster Termin: Sa 30.11., 14:00–18:00 Uhr"; none left → "Zurzeit keine Termine".
    """
    if lang not in LANGS:
        lang = "de"
    words = PHRASES[lang]
    if offer.always_open:
        return words["always"]
    if offer.weekly:
        return _weekly(offer, lang)
    upcoming = offer.next_date(now)
    if upcoming is None:
        return words["none"]
    start, end = upcoming
    local_now = offer.local(now)
    if start <= local_now:
        return words["now"].format(until=_end_text(start, end, lang))
    if start.date() == local_now.date():
        if _is_all_day(start, end):
            return words["today_all_day"]
        return words["today"].format(times=_times(start, end))
    return words["next"].format(date=_date_and_times(start, end, lang))


def format_date(moment: datetime, lang: str) -> str:
    """Short weekday and day.month: "Sa 30.11." / "Sat 30 Nov" / "السبت 30/11"."""
    day = WEEKDAYS_SHORT[lang][moment.weekday()]
    if lang == "en":
        return f"{day} {moment.day} {MONTHS_EN[moment.month - 1]}"
    if lang == "ar":
        return f"{day} {moment.day}/{moment.month}"
    return f"{day} {moment.day:02d}.{moment.month:02d}."


def _weekly(offer: Offer, lang: str) -> str:
    words = PHRASES[lang]
    groups: dict[tuple[time, time], list[int]] = {}
    for slot in sorted(offer.weekly, key=lambda s: (s.weekday, s.start)):
        groups.setdefault((slot.start, slot.end), []).append(slot.weekday)
    if len(offer.weekly) == 1:
        slot = offer.weekly[0]
        return words["every"].format(every=EVERY[lang][slot.weekday], times=_clock_range(slot.start, slot.end))
    parts = []
    for (start, end), days in sorted(groups.items(), key=lambda item: (item[1][0], item[0])):
        parts.append(words["group"].format(days=_days(days, lang), times=_clock_range(start, end)))
    return LIST_SEPARATOR[lang].join(parts)


def _days(days: list[int], lang: str) -> str:
    """[0,1,2,3,4] → "Mo–Fr"; [1,3] → "Di, Do"; runs of three or more become ranges."""
    names = WEEKDAYS_SHORT[lang]
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    out = []
    for run in runs:
        if len(run) >= 3:
            out.append(PHRASES[lang]["range"].format(a=names[run[0]], b=names[run[-1]]))
        else:
            out.extend(names[d] for d in run)
    return DAY_SEPARATOR[lang].join(out)


def _clock(moment: time | datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _clock_range(start: time, end: time) -> str:
    return f"{_clock(start)}–{_clock(end)}"


def _is_all_day(start: datetime, end: datetime) -> bool:
    return start.time() == time(0) and end.time() == time(0) and end > start


def _times(start: datetime, end: datetime) -> str:
    if end.date() == start.date() and end > start:
        return _clock_range(start.time(), end.time())
    return _clock(start)            # a moment (no end given) or past midnight: the start says it


def _end_text(start: datetime, end: datetime, lang: str) -> str:
    if not _is_all_day(start, end) and end - start < timedelta(hours=24):
        return _clock(end) + UHR[lang]
    last = end - timedelta(seconds=1) if end.time() == time(0) else end
    return format_date(last, lang)


def _date_and_times(start: datetime, end: datetime, lang: str) -> str:
    if _is_all_day(start, end):
        # An all-day date (from a calendar): no clock time, its hours are not known.
        return format_date(start, lang)
    return PHRASES[lang]["at"].format(date=format_date(start, lang), times=_times(start, end))
