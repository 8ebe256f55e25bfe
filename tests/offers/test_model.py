from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from kiosk.offers import AUDIENCES, Offer, Slot, find, today

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc


def weekly(offer_id, weekday, start, end, **kw):
    return Offer(id=offer_id, title={"de": offer_id}, weekly=(Slot(weekday, time(*start), time(*end)),), **kw)


def one_off(offer_id, start, end, **kw):
    return Offer(id=offer_id, title={"de": offer_id}, dates=((start, end),), **kw)


def always(offer_id, **kw):
    return Offer(id=offer_id, title={"de": offer_id}, always_open=True, **kw)


def test_next_weekly_date_keeps_local_time_across_autumn_dst_change():
    yoga = weekly("yoga", 0, (9, 30), (10, 30))                 # Mondays 09:30
    friday_summer_time = datetime(2026, 10, 23, 12, 0, tzinfo=UTC)   # CEST; clocks go back on Sun 25 Oct
    start, end = yoga.next_date(friday_summer_time)
    assert (start.date(), start.hour, start.minute) == (date(2026, 10, 26), 9, 30)
    assert start.utcoffset() == timedelta(hours=1)
    assert start.astimezone(UTC) == datetime(2026, 10, 26, 8, 30, tzinfo=UTC)
    assert end - start == timedelta(hours=1)


def test_next_weekly_date_keeps_local_time_across_spring_dst_change():
    brunch = weekly("brunch", 6, (10, 0), (12, 0))               # Sundays 10:00
    saturday_winter_time = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)  # CET; clocks go forward on Sun 28 Mar
    start, _ = brunch.next_date(saturday_winter_time)
    assert start.astimezone(UTC) == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert (start.hour, start.minute) == (10, 0)


def test_an_ongoing_slot_is_the_next_date_until_it_ends():
    cafe = weekly("cafe", 1, (9, 30), (11, 30))                   # Tuesdays
    during = datetime(2026, 11, 24, 10, 0, tzinfo=BERLIN)
    assert cafe.next_date(during)[0] == datetime(2026, 11, 24, 9, 30, tzinfo=BERLIN)
    after = datetime(2026, 11, 24, 11, 30, tzinfo=BERLIN)
    assert cafe.next_date(after)[0] == datetime(2026, 12, 1, 9, 30, tzinfo=BERLIN)


def test_skipped_holiday_moves_the_next_date_a_week_on():
    cafe = weekly("cafe", 1, (9, 30), (11, 30), skip=(date(2026, 12, 22), date(2026, 12, 29)))
    start, _ = cafe.next_date(datetime(2026, 12, 20, 12, 0, tzinfo=BERLIN))
    assert start.date() == date(2027, 1, 5)


def test_today_at_2330_utc_is_already_tomorrow_in_berlin():
    monday_late_utc = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)   # Tuesday 00:30 in Bottrop
    tuesday_cafe = weekly("cafe", 1, (9, 30), (11, 30))
    monday_help = weekly("help", 0, (15, 0), (16, 30))
    assert tuesday_cafe.is_today(monday_late_utc)
    assert not monday_help.is_today(monday_late_utc)
    assert today([monday_help, tuesday_cafe], monday_late_utc) == [tuesday_cafe]


def test_one_off_date_is_today_only_on_its_local_day():
    fest = one_off("fest", datetime(2027, 6, 12, 14, 0, tzinfo=BERLIN), datetime(2027, 6, 12, 18, 0, tzinfo=BERLIN))
    assert fest.is_today(datetime(2027, 6, 11, 22, 30, tzinfo=UTC))      # 00:30 local on the 12th
    assert not fest.is_today(datetime(2027, 6, 12, 22, 30, tzinfo=UTC))  # 00:30 local on the 13th
    assert fest.next_date(datetime(2027, 6, 12, 18, 0, tzinfo=BERLIN)) is None


def test_always_open_offers_are_today_and_have_no_next_date():
    beet = always("beet")
    now = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    assert beet.is_today(now)
    assert beet.next_date(now) is None
    assert today([beet], now) == [beet]


def test_find_by_audience_includes_offers_for_everyone():
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    cafe = weekly("cafe", 1, (9, 30), (11, 30), audiences=("single_parents", "families"), topics=("everyday",))
    books = always("books", audiences=("children", "youth"), topics=("education",))
    yoga = weekly("yoga", 3, (18, 0), (19, 0), audiences=("everyone",), topics=("health",))
    beet = always("beet", audiences=("everyone",), topics=("health", "everyday"))
    offers = [beet, books, cafe, yoga]
    assert [o.id for o in find(offers, audience="children", now=now)] == ["yoga", "beet", "books"]
    assert [o.id for o in find(offers, audience="single_parents", now=now)] == ["yoga", "cafe", "beet"]
    assert [o.id for o in find(offers, audience="everyone", now=now)] == ["yoga", "beet"]
    assert [o.id for o in find(offers, topic="health", now=now)] == ["yoga", "beet"]
    assert [o.id for o in find(offers, audience="families", topic="everyday", now=now)] == ["cafe", "beet"]
    assert len(find(offers, now=now)) == 4


def test_find_sorts_by_next_date_and_leaves_out_past_dates():
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    past = one_off("past", datetime(2026, 6, 1, 14, 0, tzinfo=BERLIN), datetime(2026, 6, 1, 18, 0, tzinfo=BERLIN))
    soon = one_off("soon", datetime(2026, 11, 28, 14, 0, tzinfo=BERLIN), datetime(2026, 11, 28, 18, 0, tzinfo=BERLIN))
    tomorrow = weekly("tomorrow", 3, (10, 0), (11, 0))
    assert [o.id for o in find([always("open"), soon, past, tomorrow], now=now)] == ["tomorrow", "soon", "open"]


def test_find_refuses_unknown_audience_and_topic():
    with pytest.raises(ValueError, match="audience"):
        find([], audience="pensioners")
    with pytest.raises(ValueError, match="topic"):
        find([], topic="sports")
    assert "everyone" in AUDIENCES


def test_text_falls_back_to_german():
    offer = Offer(id="x", title={"de": "Kräuterbeet", "en": "Herb bed"}, always_open=True)
    assert offer.text("title", "en") == "Herb bed"
    assert offer.text("title", "uk") == "Kräuterbeet"
    assert offer.text("cost", "uk") == ""
    assert hash(offer) == hash("x")
