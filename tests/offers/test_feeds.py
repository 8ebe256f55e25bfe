import logging
import threading
from datetime import datetime, timedelta, timezone
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

from kiosk.offers import describe_when, find, load_catalogue, load_offers, today
from tests.offers.conftest import SMALL_OFFERS

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc

HOMEWORK_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Batenbrock test//DE
X-WR-CALNAME:Ev. Kirchengemeinde
BEGIN:VEVENT
UID:hausaufgaben@kirche.example
DTSTAMP:20261001T000000Z
SUMMARY:Hausaufgabenhilfe
DESCRIPTION:Hilfe bei den Hausaufgaben.
LOCATION:Gemeindehaus
CATEGORIES:Kinder,Bildung,kostenlos
DTSTART;TZID=Europe/Berlin:20261019T150000
DTEND;TZID=Europe/Berlin:20261019T163000
RRULE:FREQ=WEEKLY;BYDAY=MO
EXDATE;TZID=Europe/Berlin:20261130T150000
END:VEVENT
BEGIN:VEVENT
UID:flohmarkt@kirche.example
DTSTAMP:20261001T000000Z
SUMMARY:Kinderflohmarkt
DTSTART;VALUE=DATE:20261205
DTEND;VALUE=DATE:20261206
END:VEVENT
END:VCALENDAR
"""


def calendar_offers(offers):
    return {o.title["de"]: o for o in offers if o.id.startswith("cal-")}


def test_weekly_rule_with_exdate_from_an_ics_file(station, tmp_path):
    (tmp_path / "kirche.ics").write_text(HOMEWORK_ICS, encoding="utf-8")
    config = station(feeds=["kirche.ics"])
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    events = calendar_offers(load_offers(config, now))
    homework = events["Hausaufgabenhilfe"]
    # Monday 30 Nov is excluded, so the next is 7 Dec, at 15:00 local (CET).
    start, end = homework.next_date(now)
    assert start == datetime(2026, 12, 7, 15, 0, tzinfo=BERLIN)
    assert end - start == timedelta(minutes=90)
    assert not homework.is_today(datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN))
    assert homework.is_today(datetime(2026, 12, 7, 10, 0, tzinfo=BERLIN))
    assert homework.audiences == ("children",) and homework.topics == ("education",) and homework.free
    assert homework.provider == "Ev. Kirchengemeinde" and homework.place == "Gemeindehaus"
    assert describe_when(homework, "de", now) == "Nächster Termin: Mo 07.12., 15:00–16:30 Uhr"
    assert homework in find(load_offers(config, now), audience="children", topic="education", now=now)
    market = events["Kinderflohmarkt"]
    assert describe_when(market, "en", now) == "Next date: Sat 5 Dec"
    assert market.id != homework.id


def test_recurrence_keeps_local_time_across_dst(station, tmp_path):
    (tmp_path / "kirche.ics").write_text(HOMEWORK_ICS, encoding="utf-8")
    now = datetime(2026, 10, 21, 12, 0, tzinfo=UTC)                   # before clocks go back on 25 Oct
    homework = calendar_offers(load_offers(station(feeds=["kirche.ics"]), now))["Hausaufgabenhilfe"]
    start, _ = homework.next_date(now)
    assert start.astimezone(UTC) == datetime(2026, 10, 26, 14, 0, tzinfo=UTC)   # 15:00 CET
    assert today([homework], datetime(2026, 10, 26, 23, 30, tzinfo=UTC)) == []   # already Tuesday locally


def test_broken_feed_falls_back_to_cache_then_to_offers_toml(station, tmp_path, caplog):
    feed = tmp_path / "kirche.ics"
    feed.write_text(HOMEWORK_ICS, encoding="utf-8")
    config = station(feeds=[str(feed)])
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert "Hausaufgabenhilfe" in calendar_offers(load_offers(config, now))
    cached = list((tmp_path / "data" / "calendar-cache").glob("*.ics"))
    assert len(cached) == 1

    feed.write_text("BEGIN:VCALENDAR\nthis is not\na calendar at all\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kiosk.offers.feeds"):
        catalogue = load_catalogue(config, now)
    assert "Hausaufgabenhilfe" in calendar_offers(catalogue.offers)      # from the saved copy
    assert [o.id for o in catalogue.offers][:2] == ["cafe", "beet"]
    assert catalogue.feeds[0].from_cache
    assert f"calendar feed {feed} is not a valid iCalendar file" in caplog.text
    assert "showing the copy saved" in caplog.text
    assert cached[0].read_text(encoding="utf-8") == HOMEWORK_ICS     # the bad file did not replace it

    cached[0].unlink()
    offers = load_offers(config, now)
    assert [o.id for o in offers] == ["cafe", "beet"]


def test_missing_feed_file_and_unreachable_url_add_nothing_and_do_not_raise(station, tmp_path):
    config = station(feeds=["nowhere.ics", "http://127.0.0.1:9/feed.ics"])
    catalogue = load_catalogue(config)
    assert [o.id for o in catalogue.offers] == ["cafe", "beet"]
    assert len(catalogue.problems) == 2
    assert "nowhere.ics cannot be read" in catalogue.problems[0]
    assert "unreachable" in catalogue.problems[1]


def test_http_feed_is_cached_and_used_when_the_server_is_gone(station, tmp_path):
    served = tmp_path / "www"
    served.mkdir()
    (served / "kirche.ics").write_text(HOMEWORK_ICS, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/kirche.ics"
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    try:
        config = station(feeds=[url])
        live = load_catalogue(config, now)
        assert "Hausaufgabenhilfe" in calendar_offers(live.offers) and not live.problems
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    offline = load_catalogue(config, now)
    assert "Hausaufgabenhilfe" in calendar_offers(offline.offers)
    assert offline.feeds[0].from_cache
    assert "unreachable" in offline.problems[0]
    # Same ids both times, so the UI keeps its selection across a refresh.
    assert {o.id for o in live.offers} == {o.id for o in offline.offers}


def test_http_error_page_is_not_cached_over_a_good_copy(station, tmp_path):
    served = tmp_path / "www"
    served.mkdir()
    (served / "kirche.ics").write_text(HOMEWORK_ICS, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/kirche.ics"
        config = station(feeds=[url])
        load_offers(config)
        # A captive portal or a moved calendar answers with HTML instead of iCalendar.
        (served / "kirche.ics").write_text("<html><body>Login</body></html>", encoding="utf-8")
        catalogue = load_catalogue(config)
        assert catalogue.feeds[0].from_cache and "not a valid iCalendar file" in catalogue.problems[0]
        (served / "kirche.ics").unlink()
        catalogue = load_catalogue(config)
        assert catalogue.feeds[0].from_cache and "HTTP 404" in catalogue.problems[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


TUESDAY = datetime(2026, 11, 24, 8, 0, tzinfo=BERLIN)          # the Müttercafé meets on Tuesdays at 09:30

CAFE_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Batenbrock test//DE
X-WR-CALNAME:Familienzentrum
BEGIN:VEVENT
UID:muettercafe@familienzentrum.example
DTSTAMP:20261001T000000Z
SUMMARY:Müttercafé
LOCATION:Familienzentrum
DTSTART;TZID=Europe/Berlin:20261103T093000
DTEND;TZID=Europe/Berlin:20261103T113000
RRULE:FREQ=WEEKLY;BYDAY=TU
END:VEVENT
{edits}END:VCALENDAR
"""


def edited(day: str, *lines: str) -> str:
    """A RECURRENCE-ID entry for the café on `day` (YYYYMMDD), with its own `lines`."""
    return "\n".join(["BEGIN:VEVENT", "UID:muettercafe@familienzentrum.example", "DTSTAMP:20261020T000000Z",
                      f"RECURRENCE-ID;TZID=Europe/Berlin:{day}T093000", *lines, "END:VEVENT", ""])


def test_cancelled_occurrences_are_not_shown_as_dates(station, tmp_path):
    one_off = "\n".join(["BEGIN:VEVENT", "UID:basar@familienzentrum.example", "DTSTAMP:20261020T000000Z",
                         "SUMMARY:Basar", "STATUS:CANCELLED", "DTSTART;TZID=Europe/Berlin:20261124T150000",
                         "DTEND;TZID=Europe/Berlin:20261124T170000", "END:VEVENT", ""])
    today_off = edited("20261124", "SUMMARY:Müttercafé", "LOCATION:Familienzentrum", "STATUS:CANCELLED",
                       "DTSTART;TZID=Europe/Berlin:20261124T093000", "DTEND;TZID=Europe/Berlin:20261124T113000")
    (tmp_path / "fz.ics").write_text(CAFE_ICS.format(edits=today_off + one_off), encoding="utf-8")
    offers = load_offers(station(feeds=["fz.ics"]), TUESDAY)

    assert [o.title["de"] for o in today(offers, TUESDAY) if o.id.startswith("cal-")] == []
    assert "Basar" not in calendar_offers(offers)
    cafe = calendar_offers(offers)["Müttercafé"]
    assert describe_when(cafe, "de", TUESDAY) == "Nächster Termin: Di 01.12., 09:30–11:30 Uhr"


def test_an_event_without_start_leaves_out_only_itself(station, tmp_path):
    broken = "\n".join(["BEGIN:VEVENT", "UID:ohne@familienzentrum.example", "DTSTAMP:20261020T000000Z",
                        "SUMMARY:Ohne Datum", "END:VEVENT", ""])
    (tmp_path / "fz.ics").write_text(CAFE_ICS.format(edits=broken), encoding="utf-8")
    catalogue = load_catalogue(station(feeds=["fz.ics"]), TUESDAY)

    assert set(calendar_offers(catalogue.offers)) == {"Müttercafé"}
    assert not catalogue.feeds[0].problem and not catalogue.feeds[0].from_cache
    assert catalogue.problems == ["calendar feed fz.ics: 1 event(s) left out, they cannot be read "
                                  "(no start, or a broken rule): 'Ohne Datum'"]


def test_an_event_that_ended_this_morning_is_today_like_a_date_in_offers_toml(station, tmp_path):
    offers_toml = SMALL_OFFERS + """
[[offer]]
id = "fruehstueck"
dates = [ { start = 2026-11-24T08:00:00, end = 2026-11-24T09:00:00 } ]
[offer.title]
de = "Frühstück"
"""
    breakfast = "\n".join(["BEGIN:VEVENT", "UID:lauf@familienzentrum.example", "DTSTAMP:20261020T000000Z",
                           "SUMMARY:Frühsport", "DTSTART;TZID=Europe/Berlin:20261124T080000",
                           "DTEND;TZID=Europe/Berlin:20261124T090000", "END:VEVENT", ""])
    (tmp_path / "fz.ics").write_text(CAFE_ICS.format(edits=breakfast), encoding="utf-8")
    noon = datetime(2026, 11, 24, 12, 0, tzinfo=BERLIN)
    offers = load_offers(station(offers=offers_toml, feeds=["fz.ics"]), noon)

    assert {"Frühstück", "Frühsport"} <= {o.title["de"] for o in today(offers, noon)}
    sport = calendar_offers(offers)["Frühsport"]
    fruehstueck = next(o for o in offers if o.id == "fruehstueck")
    assert sport.today_times(noon) == fruehstueck.today_times(noon)
    assert describe_when(sport, "de", noon) == describe_when(fruehstueck, "de", noon)


def test_a_file_url_is_read_like_a_path(station, tmp_path):
    (tmp_path / "kirche.ics").write_text(HOMEWORK_ICS, encoding="utf-8")
    catalogue = load_catalogue(station(feeds=[(tmp_path / "kirche.ics").as_uri()]), datetime(2026, 11, 25, tzinfo=UTC))
    assert {"Hausaufgabenhilfe", "Kinderflohmarkt"} <= set(calendar_offers(catalogue.offers))
    assert catalogue.problems == []


def test_an_edited_occurrence_shows_its_own_title_and_place(station, tmp_path):
    config = station(feeds=["fz.ics"])
    (tmp_path / "fz.ics").write_text(CAFE_ICS.format(edits=""), encoding="utf-8")
    before = calendar_offers(load_offers(config, TUESDAY))["Müttercafé"]
    party = edited("20261215", "SUMMARY:Weihnachtsfeier im Müttercafé", "LOCATION:Gemeindesaal",
                   "DTSTART;TZID=Europe/Berlin:20261215T150000", "DTEND;TZID=Europe/Berlin:20261215T180000")
    (tmp_path / "fz.ics").write_text(CAFE_ICS.format(edits=party), encoding="utf-8")
    offers = calendar_offers(load_offers(config, TUESDAY))

    feier = offers["Weihnachtsfeier im Müttercafé"]
    assert feier.place == "Gemeindesaal"
    assert feier.dates == ((datetime(2026, 12, 15, 15, 0, tzinfo=BERLIN), datetime(2026, 12, 15, 18, 0, tzinfo=BERLIN)),)
    cafe = offers["Müttercafé"]
    assert datetime(2026, 12, 15, 9, 30, tzinfo=BERLIN) not in [start for start, _ in cafe.dates]
    assert datetime(2026, 12, 22, 9, 30, tzinfo=BERLIN) in [start for start, _ in cafe.dates]
    assert cafe.id == before.id != feier.id            # the café keeps its id: the screen keeps its place
