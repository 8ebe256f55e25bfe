import logging
import threading
from datetime import datetime, timedelta, timezone
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest

from kiosk.offers import describe_when, find, load_catalogue, load_offers, today

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


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


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
