"""When it is, said aloud: the spoken twin of `kiosk.offers.when`, for read-aloud.

A written "Mo–Fr 09:00–17:00" is read by espeak-ng as "em o ef er nine zero zero…".
Spoken, the same offer is "Monday to Friday, from 9 a.m. to 5 p.m." — full day names,
"from … to …" in the language's own way, hours without a leading zero, dates in words,
no dash, slash or abbreviation. Every word and pattern is a catalog message with a
"spoken" context (`kiosk/ui/locale`), so translators see them next to the written ones;
Arabic ones carry their short vowels, since espeak-ng cannot add them.
Messages both forms share ("Always open", "Every Tuesday") are read through
`load_voice`, which gives Arabic's vowelled version of them (`spoken.po`).
tests/test_spoken.py runs all of it through espeak-ng and checks what it says.
"""

from __future__ import annotations

from datetime import datetime, time

from kiosk.languages import CODES as LANGS
from kiosk.offers.model import Offer
from kiosk.offers.when import EVERY, Words, when_case
from kiosk.translation import NP_, load_voice

# Full day names, Monday first, in three forms: alone (a list, a date) and after "from" and "to"
# in a day range — Ukrainian and Turkish change the word there ("з понеділка до п'ятниці",
# "pazartesiden cumaya kadar").
DAYS = (NP_("spoken weekday", "Monday"), NP_("spoken weekday", "Tuesday"), NP_("spoken weekday", "Wednesday"),
        NP_("spoken weekday", "Thursday"), NP_("spoken weekday", "Friday"), NP_("spoken weekday", "Saturday"),
        NP_("spoken weekday", "Sunday"))
DAYS_FROM = (NP_("spoken weekday, first of a range", "Monday"), NP_("spoken weekday, first of a range", "Tuesday"),
             NP_("spoken weekday, first of a range", "Wednesday"),
             NP_("spoken weekday, first of a range", "Thursday"), NP_("spoken weekday, first of a range", "Friday"),
             NP_("spoken weekday, first of a range", "Saturday"), NP_("spoken weekday, first of a range", "Sunday"))
DAYS_TO = (NP_("spoken weekday, last of a range", "Monday"), NP_("spoken weekday, last of a range", "Tuesday"),
           NP_("spoken weekday, last of a range", "Wednesday"), NP_("spoken weekday, last of a range", "Thursday"),
           NP_("spoken weekday, last of a range", "Friday"), NP_("spoken weekday, last of a range", "Saturday"),
           NP_("spoken weekday, last of a range", "Sunday"))
# In a date ("28 November"): Ukrainian needs the genitive ("28 листопада").
MONTHS = (NP_("spoken month", "January"), NP_("spoken month", "February"), NP_("spoken month", "March"),
          NP_("spoken month", "April"), NP_("spoken month", "May"), NP_("spoken month", "June"),
          NP_("spoken month", "July"), NP_("spoken month", "August"), NP_("spoken month", "September"),
          NP_("spoken month", "October"), NP_("spoken month", "November"), NP_("spoken month", "December"))

# The contexts name every field a translation may use.
ON_THE_HOUR = NP_("spoken time on the hour: {hour} {hour12} {ampm}", "{hour}")
WITH_MINUTES = NP_("spoken time: {hour} {minute} {hour12} {ampm}", "{hour}:{minute}")
MORNING, AFTERNOON = NP_("spoken, after a 12-hour time", "a.m."), NP_("spoken, after a 12-hour time", "p.m.")
FROM_TO = NP_("spoken", "from {start} to {end}")
DATE = NP_("spoken date: {weekday} {day} {month_name}", "{weekday}, {day} {month_name}")
DAY_RANGE = NP_("spoken", "{first} to {last}")
TWO = NP_("spoken", "{first} and {last}")
EVERY_AT = NP_("spoken", "{every}, {times}")
DAYS_AT = NP_("spoken", "{days}, {times}")
TODAY_AT = NP_("spoken", "Today, {times}")
NOW_UNTIL = NP_("spoken", "Now, until {time}")
DATE_AT = NP_("spoken", "{date}, {times}")


def spoken_when(offer: Offer, lang: str, now: datetime) -> str:
    """What `describe_when` writes, as it is said: "Jeden Dienstag, von 9 Uhr 30 bis 11 Uhr 30"."""
    lang = lang if lang in LANGS else "de"
    words = load_voice(lang)
    case, start, end = when_case(offer, now)
    if case == "always":
        return words.gettext("Always open")
    if case == "weekly":
        return _weekly(offer, words, lang)
    if case == "none":
        return words.gettext("No dates at the moment")
    if case == "now, until a time":
        return words.pgettext(*NOW_UNTIL).format(time=spoken_time(end, lang))
    if case == "now, until a day":
        return words.gettext("Now, until {date}").format(date=spoken_date(end, lang))
    if case == "today, all day":
        return words.gettext("Today")
    if case == "today":
        return words.pgettext(*TODAY_AT).format(times=_times(start, end, lang))
    if case == "next, all day":
        return words.gettext("Next date: {date}").format(date=spoken_date(start, lang))
    return words.gettext("Next date: {date}").format(
        date=words.pgettext(*DATE_AT).format(date=spoken_date(start, lang), times=_times(start, end, lang)))


def spoken_date(moment: datetime, lang: str) -> str:
    """A day in words: "Samstag, 28. November" / "Saturday, 28 November" / "السَّبْت، 28 نُوفَمْبِر"."""
    words = load_voice(lang if lang in LANGS else "de")
    return words.pgettext(*DATE).format(weekday=words.pgettext(*DAYS[moment.weekday()]), day=moment.day,
                                        month_name=words.pgettext(*MONTHS[moment.month - 1]))


def spoken_time(moment: time | datetime, lang: str) -> str:
    """A clock time as said: "9 Uhr", "9 Uhr 30", "9:30 a.m."; never a leading zero."""
    words = load_voice(lang if lang in LANGS else "de")
    hour12 = moment.hour % 12 or 12
    ampm = words.pgettext(*(MORNING if moment.hour < 12 else AFTERNOON))
    if moment.minute == 0:
        return words.pgettext(*ON_THE_HOUR).format(hour=moment.hour, hour12=hour12, ampm=ampm)
    return words.pgettext(*WITH_MINUTES).format(hour=moment.hour, minute=f"{moment.minute:02d}", hour12=hour12,
                                                ampm=ampm)


def spoken_hours(start: time, end: time, lang: str) -> str:
    """"von 9 bis 17 Uhr" in `lang`'s own way."""
    words = load_voice(lang if lang in LANGS else "de")
    return words.pgettext(*FROM_TO).format(start=spoken_time(start, lang), end=spoken_time(end, lang))


def spoken_days(days: list[int], lang: str) -> str:
    """[0,1,2,3,4] → "Montag bis Freitag"; [1,3] → "Dienstag und Donnerstag"; runs of three or more become ranges."""
    words = load_voice(lang if lang in LANGS else "de")
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(words.pgettext(*DAY_RANGE).format(first=words.pgettext(*DAYS_FROM[run[0]]),
                                                          last=words.pgettext(*DAYS_TO[run[-1]])))
        else:
            parts.extend(words.pgettext(*DAYS[d]) for d in run)
    if len(parts) == 1:
        return parts[0]
    return words.pgettext(*TWO).format(first=", ".join(parts[:-1]), last=parts[-1])


def _weekly(offer: Offer, words: Words, lang: str) -> str:
    if len(offer.weekly) == 1:
        slot = offer.weekly[0]
        return words.pgettext(*EVERY_AT).format(every=words.gettext(EVERY[slot.weekday]),
                                                times=spoken_hours(slot.start, slot.end, lang))
    groups: dict[tuple[time, time], list[int]] = {}
    for slot in sorted(offer.weekly, key=lambda s: (s.weekday, s.start)):
        groups.setdefault((slot.start, slot.end), []).append(slot.weekday)
    said = [words.pgettext(*DAYS_AT).format(days=spoken_days(days, lang), times=spoken_hours(s, e, lang))
            for (s, e), days in sorted(groups.items(), key=lambda item: (item[1][0], item[0]))]
    # A full stop between groups: a pause the listener hears, where the eye sees a ";".
    return " ".join(part if part.endswith(".") else part + "." for part in said[:-1]) + " " + said[-1]


def _times(start: datetime, end: datetime, lang: str) -> str:
    if end.date() == start.date() and end > start:
        return spoken_hours(start.time(), end.time(), lang)
    return spoken_time(start, lang)

