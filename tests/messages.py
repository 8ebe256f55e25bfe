"""Shared by the tests of the typed messages (kiosk/*/messages.py, kiosk/station/health.py): valid messages
of each kind, any input, near misses of a valid payload, and the check that reading one gives a message or
BadMessage only."""

from __future__ import annotations

import copy
from datetime import timezone

from hypothesis import strategies as st

from kiosk.booth.messages import EVENT_TYPES, REGISTERED_KINDS, BookRef, BoothEvent, MonthCounts, OverdueLoan, Summary
from kiosk.booth.rules import REGISTER_MODES
from kiosk.bus.faults import Fault, FaultReport
from kiosk.garden.spans import NAMES as SPAN_NAMES
from kiosk.clock import iso
from kiosk.errors import BadMessage
from kiosk.garden.alerts import STATUSES
from kiosk.garden.messages import ALERT_KINDS, NOTICE_EVENTS, BedAlert, BedState, History, HistoryPoint, Notice
from kiosk.station.health import OFFLINE, ONLINE, Health

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=8)
TIMES = st.datetimes(timezones=st.just(timezone.utc)).map(iso)
NUMBERS = st.floats(allow_nan=False, allow_infinity=False) | st.integers(-2**53, 2**53)
COUNTS = st.integers(0, 2**53)
TEXT = st.text(max_size=20)
AMOUNTS = st.floats(0, 1e12) | st.integers(0, 2**53)

# --- valid messages of each kind -------------------------------------------------------------------
STATES = st.builds(BedState, ts=TIMES, moisture=st.none() | NUMBERS, status=st.sampled_from(STATUSES))
ALERTS = st.builds(BedAlert, active=st.booleans(), kind=st.sampled_from(ALERT_KINDS), since=TIMES,
                   moisture=st.none() | NUMBERS, acknowledged=st.booleans())
POINTS = st.builds(HistoryPoint, ts=TIMES, min=NUMBERS, avg=NUMBERS, max=NUMBERS, n=COUNTS)
HISTORIES = st.builds(History, node=TEXT, span=st.sampled_from(SPAN_NAMES), bucket_s=COUNTS,
                      points=st.lists(POINTS, max_size=3).map(tuple))
NOTICES = st.builds(Notice, node=TEXT, name=TEXT, kind=st.sampled_from(ALERT_KINDS),
                    event=st.sampled_from(NOTICE_EVENTS), moisture=st.none() | NUMBERS, since=TEXT, id=COUNTS)
BOOKS = st.builds(BookRef, id=COUNTS, title=st.none() | TEXT)
EVENTS = st.builds(BoothEvent, type=st.sampled_from(EVENT_TYPES), ts=TIMES, card=st.none() | TEXT,
                   book=st.none() | BOOKS, reason=st.none() | TEXT, loans=st.none() | COUNTS, due=st.none() | TIMES,
                   overdue=st.none() | COUNTS, renewed=st.none() | st.booleans(),
                   mode=st.none() | st.sampled_from(REGISTER_MODES), kind=st.none() | st.sampled_from(REGISTERED_KINDS))
SUMMARIES = st.builds(Summary, ts=TIMES, active_loans=COUNTS,
                      overdue=st.lists(st.builds(OverdueLoan, book=BOOKS, card=st.none() | TEXT, due=TIMES),
                                       max_size=3).map(tuple),
                      month=st.builds(MonthCounts, COUNTS, COUNTS, COUNTS, COUNTS))
HEALTHS = st.builds(Health, ts=TIMES, services=st.dictionaries(TEXT, st.sampled_from((ONLINE, OFFLINE)), max_size=4),
                    disk_free_mb=st.none() | AMOUNTS, mem_available_mb=st.none() | AMOUNTS,
                    uptime_s=st.none() | AMOUNTS,
                    cpu_temp_c=st.none() | st.floats(-40, 120), throttled=st.none() | COUNTS,
                    last_backup=st.none() | TIMES, name=st.none() | st.text(min_size=1, max_size=80))
FAULT_REPORTS = st.builds(FaultReport, ts=TIMES, faults=st.dictionaries(TEXT, st.tuples(TIMES, st.text(max_size=300)),
                                                                        max_size=3).map(
    lambda faults: {kind: Fault(kind, since, message) for kind, (since, message) in faults.items()}))
KINDS = {FaultReport: FAULT_REPORTS, BedState: STATES, BedAlert: ALERTS, History: HISTORIES, Notice: NOTICES, BoothEvent: EVENTS,
         Summary: SUMMARIES, Health: HEALTHS}


def _places(value, out: list) -> None:
    if isinstance(value, dict):
        for key in list(value):
            out.append((value, key))
            _places(value[key], out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.append((value, index))
            _places(item, out)


@st.composite
def spoiled(draw, messages):
    """The payload of a valid message from `messages`, with one to three fields dropped or made anything."""
    payload = copy.deepcopy(draw(messages).to_payload())
    places: list = []
    _places(payload, places)
    for _ in range(draw(st.integers(1, 3))):
        if not places:
            break
        container, key = draw(st.sampled_from(places))
        if isinstance(container, dict) and draw(st.booleans()):
            container.pop(key, None)
        else:
            container[key] = draw(JSON)
    return payload


def read_or_refuse(cls, payload):
    """`cls.from_payload(payload)`, or None when it raised BadMessage; any other exception fails the test.

    A message it gives must survive its own round trip: what a consumer accepts, it could also send on."""
    try:
        message = cls.from_payload(payload)
    except BadMessage:
        return None
    assert cls.from_payload(message.to_payload()) == message
    return message
