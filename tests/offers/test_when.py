from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from babel.dates import get_day_names, get_month_names

from kiosk.languages import CODES as LANGS
from kiosk.offers import Offer, Slot, describe_when, when
from kiosk.translation import load_catalog

BERLIN = ZoneInfo("Europe/Berlin")
WEDNESDAY = datetime(2026, 11, 25, 8, 0, tzinfo=BERLIN)


def fest(start_h=14, end_h=18, day=date(2026, 11, 28)):
    return Offer(id="fest", title={"de": "Fest"}, dates=((datetime.combine(day, time(start_h), BERLIN),
                                                          datetime.combine(day, time(end_h), BERLIN)),))


CAFE = Offer(id="cafe", title={"de": "Café"}, weekly=(Slot(1, time(9, 30), time(11, 30)),))
OFFICE = Offer(id="office", title={"de": "Büro"},
               weekly=tuple(Slot(d, time(9), time(17)) for d in range(5)) + (Slot(5, time(10), time(12)),))
BEET = Offer(id="beet", title={"de": "Beet"}, always_open=True)


@pytest.mark.parametrize("lang, expected", [
    ("de", "Jeden Dienstag, 09:30–11:30 Uhr"),
    ("en", "Every Tuesday, 09:30–11:30"),
    ("tr", "Her salı, 09:30–11:30"),
    ("ar", "كل يوم ثلاثاء، 09:30–11:30"),
    ("uk", "Щовівторка, 09:30–11:30"),
])
def test_weekly_in_every_language(lang, expected):
    assert describe_when(CAFE, lang, WEDNESDAY) == expected


@pytest.mark.parametrize("lang, expected", [
    ("de", "Mo–Fr 09:00–17:00 Uhr; Sa 10:00–12:00 Uhr"),
    ("en", "Mon–Fri 09:00–17:00; Sat 10:00–12:00"),
    ("tr", "Pzt–Cum 09:00–17:00; Cmt 10:00–12:00"),
    ("ar", "من الاثنين إلى الجمعة 09:00–17:00؛ السبت 10:00–12:00"),
    ("uk", "Пн–Пт 09:00–17:00; Сб 10:00–12:00"),
])
def test_several_weekly_slots_are_grouped(lang, expected):
    assert describe_when(OFFICE, lang, WEDNESDAY) == expected


@pytest.mark.parametrize("lang, expected", [
    ("de", "Nächster Termin: Sa 28.11., 14:00–18:00 Uhr"),
    ("en", "Next date: Sat 28 Nov, 14:00–18:00"),
    ("tr", "Sonraki tarih: Cmt 28.11., 14:00–18:00"),
    ("ar", "الموعد القادم: السبت 28/11، 14:00–18:00"),
    ("uk", "Наступна дата: Сб 28.11., 14:00–18:00"),
])
def test_next_one_off_date_in_every_language(lang, expected):
    assert describe_when(fest(), lang, WEDNESDAY) == expected


@pytest.mark.parametrize("lang, always, today, running, none", [
    ("de", "Immer offen", "Heute, 14:00–18:00 Uhr", "Jetzt, bis 18:00 Uhr", "Zurzeit keine Termine"),
    ("en", "Always open", "Today, 14:00–18:00", "Now, until 18:00", "No dates at the moment"),
    ("tr", "Her zaman açık", "Bugün, 14:00–18:00", "Şu anda devam ediyor, bitiş: 18:00", "Şu anda planlanmış tarih yok"),
    ("ar", "مفتوح دائمًا", "اليوم، 14:00–18:00", "الآن، حتى 18:00", "لا توجد مواعيد حاليًا"),
    ("uk", "Завжди відкрито", "Сьогодні, 14:00–18:00", "Зараз, до 18:00", "Наразі немає дат"),
])
def test_always_today_now_and_none_in_every_language(lang, always, today, running, none):
    offer = fest(day=date(2026, 11, 25))
    assert describe_when(BEET, lang, WEDNESDAY) == always
    assert describe_when(offer, lang, WEDNESDAY) == today
    assert describe_when(offer, lang, datetime(2026, 11, 25, 15, 0, tzinfo=BERLIN)) == running
    assert describe_when(offer, lang, datetime(2026, 11, 25, 18, 0, tzinfo=BERLIN)) == none


def test_unknown_language_falls_back_to_german():
    assert describe_when(CAFE, "fr", WEDNESDAY) == "Jeden Dienstag, 09:30–11:30 Uhr"
    assert all(describe_when(CAFE, lang, WEDNESDAY) for lang in LANGS)


def test_all_day_calendar_date_has_no_clock_time():
    day = Offer(id="d", title={"de": "Flohmarkt"},
                dates=((datetime(2026, 11, 28, tzinfo=BERLIN), datetime(2026, 11, 29, tzinfo=BERLIN)),))
    assert describe_when(day, "de", WEDNESDAY) == "Nächster Termin: Sa 28.11."
    assert describe_when(day, "de", datetime(2026, 11, 28, 7, 0, tzinfo=BERLIN)) == "Jetzt, bis Sa 28.11."


@pytest.mark.parametrize("lang, today, later", [
    ("de", "Heute, 08:00 Uhr", "Nächster Termin: Sa 28.11., 08:00 Uhr"),
    ("en", "Today, 08:00", "Next date: Sat 28 Nov, 08:00"),
    ("ar", "اليوم، 08:00", "الموعد القادم: السبت 28/11، 08:00"),
])
def test_a_date_without_length_shows_its_start_alone(lang, today, later):
    moment = datetime(2026, 11, 25, 8, 0, tzinfo=BERLIN)
    assert describe_when(Offer(id="m", title={"de": "Start"}, dates=((moment, moment),)), lang,
                         datetime(2026, 11, 25, 7, 0, tzinfo=BERLIN)) == today
    saturday = datetime(2026, 11, 28, 8, 0, tzinfo=BERLIN)
    assert describe_when(Offer(id="m", title={"de": "Start"}, dates=((saturday, saturday),)), lang, WEDNESDAY) == later


def test_a_moment_at_midnight_is_on_the_day_it_starts():
    midnight = datetime(2026, 11, 25, 0, 0, tzinfo=BERLIN)
    moment = Offer(id="m", title={"de": "Start"}, dates=((midnight, midnight),))
    assert moment.is_today(WEDNESDAY)
    assert not moment.is_today(datetime(2026, 11, 24, 12, 0, tzinfo=BERLIN))


@pytest.mark.parametrize("lang", LANGS)
def test_weekday_and_month_names_are_the_common_locale_datas(lang):
    """The catalogs' short names are CLDR's (through Babel), so a translator's slip shows here."""
    words = load_catalog(lang)
    days = [words.pgettext(*day) for day in when.WEEKDAYS]
    cldr_days = [get_day_names("abbreviated", "stand-alone", lang)[day] for day in range(7)]
    if lang == "uk":
        cldr_days = [day.capitalize() for day in cldr_days]      # they open the phrase: "Пн–Пт 09:00–17:00"
    assert days == cldr_days
    months = [words.pgettext(*month) for month in when.MONTHS]
    assert months == [get_month_names("abbreviated", "format", lang)[month] for month in range(1, 13)]
