"""The partners' feeds against the calendar libraries' own test calendars.

`recurring_ical_events` and `icalendar` ship the calendars of their test suites in
their wheels (recurring_ical_events/test/calendars/, icalendar/tests/calendars/):
moved and excluded occurrences, odd time zones, broken files. They are read where
they are installed, not copied here, so a library update brings its new cases along.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from kiosk.offers import FeedLimits, load_catalogue
from kiosk.offers.feeds import FeedProblem
from kiosk.offers.ical import expand_calendar, parse_calendar

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc
PEER_FOLDERS = (Path(recurring_ical_events.__file__).parent / "test" / "calendars",
                Path(icalendar.__file__).parent / "tests" / "calendars")
PEER_FILES = sorted(path for folder in PEER_FOLDERS for path in folder.glob("*.ics"))
AROUND_DST = FeedLimits(weeks_ahead=2)          # from a few days before a change to a week after it
YEARS_PER_FILE = 4


def test_the_libraries_ship_their_test_calendars():
    counts = Counter(path.parent for path in PEER_FILES)
    assert [counts[folder] >= 90 for folder in PEER_FOLDERS] == [True, True], counts


@pytest.mark.filterwarnings("ignore")            # icalendar warns about guessed time zones; so be it
def test_every_peer_calendar_is_read_or_reported_never_raises(station, tmp_path):
    catalogue = load_catalogue(station(feeds=[str(p) for p in PEER_FILES]), datetime(2019, 3, 29, 12, tzinfo=UTC))

    assert [feed.source for feed in catalogue.feeds] == [str(p) for p in PEER_FILES]
    for path, feed in zip(PEER_FILES, catalogue.feeds):
        if _one_calendar(path.read_bytes()) is None:
            # Not one VCALENDAR to icalendar (a bare VEVENT, a broken file): a bad feed, said so.
            assert feed.problem.startswith(f"calendar feed {path} is not a valid iCalendar file"), (path, feed)
            assert feed.offers == ()
        else:
            assert feed.problem == "", (path, feed.problem)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("path", PEER_FILES, ids=lambda p: p.name)
def test_dates_around_both_dst_changes_are_those_of_recurring_ical_events(path):
    raw = path.read_bytes()
    calendar = _one_calendar(raw)
    if calendar is None:
        with pytest.raises(FeedProblem):
            parse_calendar(raw, path.name, AROUND_DST)
        return
    for now in _days_before_dst_changes(calendar):
        # Parsed afresh each time, as in the kiosk: a series the library failed on once is not reused.
        reading = expand_calendar(parse_calendar(raw, path.name, AROUND_DST), "Europe/Berlin", now, AROUND_DST)
        ours = Counter((start.astimezone(UTC), end.astimezone(UTC)) for o in reading.offers for start, end in o.dates)
        today = datetime.combine(now.date(), time(0), BERLIN)
        try:
            occurrences = recurring_ical_events.of(calendar, skip_bad_series=True).between(
                today, today + timedelta(weeks=AROUND_DST.weeks_ahead))
        except Exception:
            # The library gives up on the whole calendar; the kiosk leaves out the bad events, and says so.
            assert any("left out" in note for note in reading.cut), (path, now)
            continue
        theirs = Counter(_instants(o) for o in occurrences if str(o.get("STATUS", "")).upper() != "CANCELLED")
        if any("cut short" in note or "more than" in note for note in reading.cut):
            assert not ours - theirs, (path, now)                 # what is shown is right, if not all of it
        else:
            assert ours == theirs, (path, now, reading.cut)


def _one_calendar(raw: bytes):
    """The calendar as icalendar reads it, or None when it is not one VCALENDAR."""
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except Exception:
        return None
    return calendar if calendar.name == "VCALENDAR" else None


def _days_before_dst_changes(calendar) -> list[datetime]:
    """Noon in Berlin on the Friday before the last Sundays of March and October, in the
    (first few) years the calendar's events start in."""
    years = set()
    for event in calendar.walk("VEVENT"):
        try:
            start = event["DTSTART"].dt
        except Exception:           # none, or broken: the kiosk leaves that event out
            continue
        if isinstance(start, date) and 1970 <= start.year <= 2100:
            years.add(start.year)
    days = []
    for year in sorted(years)[:YEARS_PER_FILE]:
        for month in (3, 10):
            last = date(year, month, 31)
            sunday = last - timedelta(days=(last.weekday() + 1) % 7)
            days.append(datetime.combine(sunday - timedelta(days=2), time(12), BERLIN))
    return days


def _instants(component) -> tuple[datetime, datetime]:
    """An occurrence's start and end as instants: dates and floating times are Berlin's."""
    start = component["DTSTART"].dt
    if component.get("DTEND") is not None:
        end = component["DTEND"].dt
    elif component.get("DURATION") is not None:
        end = start + component["DURATION"].dt
    else:
        end = start + timedelta(days=1) if not isinstance(start, datetime) else start
    start, end = (_instant(start), _instant(end))
    return start, max(start, end)


def _instant(value: date | datetime) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), BERLIN).astimezone(UTC)
    return (value if value.tzinfo else value.replace(tzinfo=BERLIN)).astimezone(UTC)
