"""One partner feed costs the kiosk no more than its limits, and staff are told what was cut and why.

The feeds are served from files or from an HTTP server on 127.0.0.1 (conftest `www`).
"""

import dataclasses
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.offers import FeedLimits, load_catalogue

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)          # a Tuesday, 13:00 in Berlin
LIMITS = FeedLimits()


def calendar(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Batenbrock test//DE\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def event(uid: str, summary: str, start: str, *lines: str) -> str:
    return "".join(f"{line}\r\n" for line in (
        "BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20261001T000000Z", f"SUMMARY:{summary}", f"DTSTART:{start}",
        *lines, "END:VEVENT"))


FLOHMARKT = event("flohmarkt@kirche.example", "Kinderflohmarkt", "20261205T090000Z", "DTEND:20261205T130000Z")


def titles(offers):
    return {o.title["de"]: o for o in offers if o.id.startswith("cal-")}


def test_a_feed_with_too_many_events_is_refused_and_its_last_good_copy_stays(station, tmp_path, caplog):
    feed = tmp_path / "verein.ics"
    feed.write_text(calendar(FLOHMARKT))
    config = station(feeds=["verein.ics"])
    assert "Kinderflohmarkt" in titles(load_catalogue(config, NOW).offers)

    too_many = LIMITS.max_events + 1
    feed.write_text(calendar(*(event(f"e{i}@x", f"E{i}", "20261126T100000Z") for i in range(too_many))))
    with caplog.at_level(logging.WARNING, logger="kiosk.offers.feeds"):
        catalogue = load_catalogue(config, NOW)

    assert set(titles(catalogue.offers)) == {"Kinderflohmarkt"}           # the last good copy
    assert catalogue.feeds[0].from_cache
    assert f"verein.ics has {too_many:,} events, more than the {LIMITS.max_events:,}" in catalogue.problems[0]
    assert f"verein.ics has {too_many:,} events" in caplog.text
    assert [o.id for o in catalogue.offers][:2] == ["cafe", "beet"]


def test_a_rule_repeating_every_minute_is_cut_to_its_soonest_dates(station, tmp_path, caplog):
    (tmp_path / "minute.ics").write_text(calendar(
        event("minute@x", "Jede Minute", "20261124T080000Z", "DURATION:PT1M", "RRULE:FREQ=MINUTELY"), FLOHMARKT))
    with caplog.at_level(logging.WARNING, logger="kiosk.offers.feeds"):
        catalogue = load_catalogue(station(feeds=["minute.ics"]), NOW)

    offers = titles(catalogue.offers)
    most = LIMITS.dates_per_event
    dates = offers["Jede Minute"].dates
    assert len(dates) == most
    # The soonest: from the start of the rule (09:00 in Berlin, earlier today), a minute apart.
    assert dates[0][0] == datetime(2026, 11, 24, 9, 0, tzinfo=BERLIN)
    assert dates[-1][0] - dates[0][0] == timedelta(minutes=most - 1)
    assert "Kinderflohmarkt" in offers                                     # the feed's other event stays
    assert not catalogue.feeds[0].problem
    note = (f"calendar feed minute.ics: 1 event(s) cut short, they have more than {most} dates in "
            f"{LIMITS.weeks_ahead} weeks, only their first {most} are shown: 'Jede Minute'")
    assert catalogue.feeds[0].cut == (note,) and catalogue.problems == [note]
    assert note in caplog.text


def test_rules_repeating_every_second_cost_at_most_their_limits(station, tmp_path):
    (tmp_path / "second.ics").write_text(calendar(
        # Since 2020: the library works through six years of seconds before it reaches today.
        event("old@x", "Seit 2020", "20200101T000000Z", "RRULE:FREQ=SECONDLY"),
        event("new@x", "Ab heute", "20261124T080000Z", "RRULE:FREQ=SECONDLY"),
        FLOHMARKT))
    catalogue = load_catalogue(station(feeds=["second.ics"]), NOW)

    offers = titles(catalogue.offers)
    assert "Seit 2020" not in offers
    assert len(offers["Ab heute"].dates) == LIMITS.dates_per_event
    assert "Kinderflohmarkt" in offers
    assert not catalogue.feeds[0].problem
    cut = "\n".join(catalogue.feeds[0].cut)
    assert (f"calendar feed second.ics: 1 event(s) left out, they repeat too often to work out within "
            f"{LIMITS.event_s:g} s: 'Seit 2020'") in cut
    assert "cut short" in cut and "'Ab heute'" in cut


def test_a_slow_download_is_stopped_at_its_deadline_and_holds_up_no_other_feed(station, tmp_path, www):
    folder, url = www
    (folder / "kirche.ics").write_text(calendar(FLOHMARKT))
    (folder / "verein.ics").write_text(calendar(event("cafe@x", "Elterncafé", "20261126T090000Z")))
    (tmp_path / "stadt.ics").write_text(calendar(event("fest@x", "Lichterfest", "20261212T150000Z")))
    limits = FeedLimits(fetch_s=2)
    # Each drip is a byte every 0.2 s: no single read ever times out.
    config = station(feeds=[url("drip-body/kirche.ics"), url("drip-head/kirche.ics"), url("verein.ics"), "stadt.ics"])

    catalogue = load_catalogue(config, NOW, limits)

    assert set(titles(catalogue.offers)) == {"Elterncafé", "Lichterfest"}
    assert [o.id for o in catalogue.offers][:2] == ["cafe", "beet"]
    assert catalogue.problems == [
        f"calendar feed {url('drip-body/kirche.ics')} did not finish downloading within 2 s",
        f"calendar feed {url('drip-head/kirche.ics')} did not finish downloading within 2 s",
    ]


def test_a_feed_larger_than_the_download_limit_is_refused_and_its_last_good_copy_stays(station, www):
    folder, url = www
    (folder / "kirche.ics").write_text(calendar(FLOHMARKT))
    config = station(feeds=[url("kirche.ics")])
    load_catalogue(config, NOW)

    description = "DESCRIPTION:" + "x" * 70 + "\r\n " + ("y" * 73 + "\r\n ") * (LIMITS.max_bytes // 76)
    (folder / "kirche.ics").write_text(calendar(event("big@x", "Riesig", "20261126T090000Z", description + "z")))
    catalogue = load_catalogue(config, NOW)

    assert set(titles(catalogue.offers)) == {"Kinderflohmarkt"} and catalogue.feeds[0].from_cache
    assert catalogue.problems == [
        f"calendar feed {url('kirche.ics')} is larger than {LIMITS.max_bytes / 1e6:g} MB (showing the saved copy)"]


def test_every_feed_limit_is_documented_with_its_value():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "ui.md").read_text(encoding="utf-8")
    missing = [f"`{field.name} = {getattr(LIMITS, field.name):_}`" for field in dataclasses.fields(FeedLimits)
               if f"`{field.name} = {getattr(LIMITS, field.name):_}`" not in docs]
    assert missing == [], "docs/ui.md lacks (or has another value for) " + ", ".join(missing)
