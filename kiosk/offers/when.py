""""When is it?" in plain words, in the kiosk's five languages.

Times are 24-hour "09:30" in every language (as on any notice in Germany).
Every word and pattern here is a message of the translation catalogs
(`kiosk/ui/locale`), so translators find them next to the kiosk's other
texts; the short weekday and month names are CLDR's (a test compares them).
Each phrase was checked by translating it back:

  de "Jeden Dienstag, 09:30–11:30 Uhr"   en "Every Tuesday, 09:30–11:30"
  tr "Her salı, 09:30–11:30"             (every Tuesday)
  ar "كل يوم ثلاثاء، 09:30–11:30"         (every Tuesday-day)
  uk "Щовівторка, 09:30–11:30"           (every Tuesday)
"""

from __future__ import annotations

import gettext
from datetime import datetime, time, timedelta

from kiosk.languages import CODES as LANGS
from kiosk.offers.model import Offer
from kiosk.translation import N_, NP_, load_catalog

Words = gettext.GNUTranslations | gettext.NullTranslations

# Short forms for lists and dates ("Di 09:30"), Monday first.
WEEKDAYS = (NP_("weekday", "Mon"), NP_("weekday", "Tue"), NP_("weekday", "Wed"), NP_("weekday", "Thu"),
            NP_("weekday", "Fri"), NP_("weekday", "Sat"), NP_("weekday", "Sun"))

# "Every <weekday>" as one phrase: the grammar differs per language
# (Turkish lower-case day names inside a phrase, Arabic "every day of …"
# without the article, Ukrainian's single-word "що-" forms in the genitive).
EVERY = (N_("Every Monday"), N_("Every Tuesday"), N_("Every Wednesday"), N_("Every Thursday"),
         N_("Every Friday"), N_("Every Saturday"), N_("Every Sunday"))

MONTHS = (NP_("month", "Jan"), NP_("month", "Feb"), NP_("month", "Mar"), NP_("month", "Apr"),
          NP_("month", "May"), NP_("month", "Jun"), NP_("month", "Jul"), NP_("month", "Aug"),
          NP_("month", "Sep"), NP_("month", "Oct"), NP_("month", "Nov"), NP_("month", "Dec"))

# The context names every field a translation of the date may use.
DATE = NP_("date: {weekday} {day} {dd} {month} {mm} {month_name}", "{weekday} {day} {month_name}")


def describe_when(offer: Offer, lang: str, now: datetime) -> str:
    """When the offer takes place, in `lang` (unknown languages fall back to German).

    Always open → "Immer offen"; weekly → "Jeden Dienstag, 09:30–11:30 Uhr" (or a
    list of day groups); dates → "Heute, …", "Jetzt, bis …" or
    "Nächster Termin: Sa 30.11., 14:00–18:00 Uhr"; none left → "Zurzeit keine Termine".
    """
    lang = lang if lang in LANGS else "de"
    words = load_catalog(lang)
    case, start, end = when_case(offer, now)
    if case == "always":
        return words.gettext("Always open")
    if case == "weekly":
        return _weekly(offer, words)
    if case == "none":
        return words.gettext("No dates at the moment")
    if case == "now, until a time":
        return words.gettext("Now, until {time}").format(time=_clock(end))
    if case == "now, until a day":
        return words.gettext("Now, until {date}").format(date=format_date(end, lang))
    if case == "today, all day":
        return words.gettext("Today")
    if case == "today":
        return words.gettext("Today, {times}").format(times=_times(start, end))
    if case == "next, all day":
        # An all-day date (from a calendar): no clock time, its hours are not known.
        return words.gettext("Next date: {date}").format(date=format_date(start, lang))
    return words.gettext("Next date: {date}").format(
        date=words.gettext("{date}, {times}").format(date=format_date(start, lang), times=_times(start, end)))


def when_case(offer: Offer, now: datetime) -> tuple[str, datetime | None, datetime | None]:
    """Which phrase says when `offer` is — the written and the spoken form (kiosk.offers.spoken) alike:
    (case, start, end) with case "always", "weekly", "none", "now, until a time", "now, until a day"
    (end: that last day), "today, all day", "today", "next, all day" or "next"."""
    if offer.always_open:
        return "always", None, None
    if offer.weekly:
        return "weekly", None, None
    upcoming = offer.next_date(now)
    if upcoming is None:
        return "none", None, None
    start, end = upcoming
    local_now = offer.local(now)
    if start <= local_now:
        if not _is_all_day(start, end) and end - start < timedelta(hours=24):
            return "now, until a time", start, end
        return "now, until a day", start, end - timedelta(seconds=1) if end.time() == time(0) else end
    if start.date() == local_now.date():
        return ("today, all day" if _is_all_day(start, end) else "today"), start, end
    return ("next, all day" if _is_all_day(start, end) else "next"), start, end


def format_date(moment: datetime, lang: str) -> str:
    """Short weekday and day.month: "Sa 30.11." / "Sat 30 Nov" / "السبت 30/11"."""
    words = load_catalog(lang if lang in LANGS else "de")
    return words.pgettext(*DATE).format(
        weekday=words.pgettext(*WEEKDAYS[moment.weekday()]), day=moment.day, dd=f"{moment.day:02d}",
        month=moment.month, mm=f"{moment.month:02d}", month_name=words.pgettext(*MONTHS[moment.month - 1]))


def _weekly(offer: Offer, words: Words) -> str:
    if len(offer.weekly) == 1:
        slot = offer.weekly[0]
        return words.gettext("{every}, {times}").format(every=words.gettext(EVERY[slot.weekday]),
                                                       times=_clock_range(slot.start, slot.end))
    groups: dict[tuple[time, time], list[int]] = {}
    for slot in sorted(offer.weekly, key=lambda s: (s.weekday, s.start)):
        groups.setdefault((slot.start, slot.end), []).append(slot.weekday)
    parts = []
    for (start, end), days in sorted(groups.items(), key=lambda item: (item[1][0], item[0])):
        parts.append(words.gettext("{days} {times}").format(days=_days(days, words),
                                                            times=_clock_range(start, end)))
    return words.pgettext("between groups of weekdays", "; ").join(parts)


def _days(days: list[int], words: Words) -> str:
    """[0,1,2,3,4] → "Mo–Fr"; [1,3] → "Di, Do"; runs of three or more become ranges."""
    names = [words.pgettext(*day) for day in WEEKDAYS]
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    out = []
    for run in runs:
        if len(run) >= 3:
            out.append(words.pgettext("weekdays", "{first}–{last}").format(first=names[run[0]],
                                                                        last=names[run[-1]]))
        else:
            out.extend(names[d] for d in run)
    return words.pgettext("between weekdays", ", ").join(out)


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
