"""Whatever a partner's calendar holds, reading it gives offers or one clear problem, never a crash."""

from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.offers import FeedLimits
from kiosk.offers.feeds import FeedProblem
from kiosk.offers.ical import read_calendar

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
# Small budgets, so that a runaway rule hypothesis finds is cut within the test.
QUICK = FeedLimits(read_s=2, expand_s=2, event_s=0.5, weeks_ahead=4)

near = st.datetimes(min_value=datetime(2026, 11, 1), max_value=datetime(2026, 12, 20))     # around NOW
near_moments = st.one_of(near.map(lambda d: d.strftime("%Y%m%dT%H%M%S")),
                         near.map(lambda d: d.strftime("%Y%m%dT%H%M%SZ")), near.map(lambda d: d.strftime("%Y%m%d")))
moments = st.one_of(
    near_moments,
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).map(lambda d: d.strftime("%Y%m%dT%H%M%S")),
    st.text(max_size=20),
)
rule_parts = st.lists(st.one_of(
    st.sampled_from(["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY", "", "X"]).map("FREQ={}".format),
    st.integers(-5, 10**9).map("INTERVAL={}".format),
    st.integers(-5, 10**6).map("COUNT={}".format),
    moments.map("UNTIL={}".format),
    st.sampled_from(["MO", "-1SU", "2TU,FR", "53MO", "XX"]).map("BYDAY={}".format),
    st.lists(st.integers(-400, 400), min_size=1, max_size=5).map(lambda v: "BYMONTHDAY=" + ",".join(map(str, v))),
    st.lists(st.integers(-60, 100), min_size=1, max_size=5).map(lambda v: "BYSETPOS=" + ",".join(map(str, v))),
), max_size=5).map(";".join)
lines = st.one_of(
    moments.map("DTSTART:{}".format), moments.map("DTSTART;TZID=Europe/Berlin:{}".format),
    moments.map("DTSTART;VALUE=DATE:{}".format), moments.map("DTEND:{}".format),
    moments.map("RECURRENCE-ID:{}".format), moments.map("EXDATE:{}".format), moments.map("RDATE:{}".format),
    st.sampled_from(["PT1H", "P1D", "-PT5M", "P0D", "X"]).map("DURATION:{}".format),
    rule_parts.map("RRULE:{}".format),
    st.sampled_from(["CANCELLED", "CONFIRMED", "", "cancelled"]).map("STATUS:{}".format),
    st.sampled_from(["e1", "e2", ""]).map("UID:{}".format),
    st.text(max_size=40).map("SUMMARY:{}".format), st.text(max_size=40).map("CATEGORIES:{}".format),
    st.text(max_size=40).map("ORGANIZER;CN={}:mailto:x@example.org".format),
    st.text(max_size=60),
)
events = st.builds(
    lambda start, rest: "BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in [*start, *rest]) + "END:VEVENT\r\n",
    st.lists(near_moments.map("DTSTART:{}".format), max_size=1), st.lists(lines, max_size=5))
calendars = st.one_of(
    st.lists(events, max_size=4).map(lambda es: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(es) + "END:VCALENDAR\r\n"),
    st.text(max_size=200),
).map(lambda text: text.encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.one_of(calendars, st.binary(max_size=200)))
def test_any_calendar_gives_offers_or_one_problem(raw):
    try:
        reading = read_calendar(raw, "partner.ics", "Europe/Berlin", NOW, QUICK)
    except FeedProblem as exc:
        assert str(exc).startswith("calendar feed partner.ics ")
        return
    assert len(reading.offers) <= QUICK.max_dates
    for offer in reading.offers:
        assert offer.dates and offer.title["de"]
        assert all(start <= end for start, end in offer.dates)
    assert all(note.startswith("calendar feed partner.ics") for note in reading.cut)
