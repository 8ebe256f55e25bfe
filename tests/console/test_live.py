"""The console's view of the bus: what the garden and the booth send is kept typed, anything else changes nothing."""

from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from kiosk.booth.messages import BoothEvent, Summary
from kiosk.bus import Message, Topics
from kiosk.console.live import StationView
from kiosk.errors import ProtocolError
from kiosk.garden.messages import BedAlert, BedState
from tests.messages import ALERTS, EVENTS, JSON, STATES, SUMMARIES

from .conftest import console_section
from .test_security import log_in


def deliver(view: StationView, handler, topic: str, payload) -> bool:
    """As the bus hands a message over: True when taken, False when refused (the bus's guard logs a ProtocolError)."""
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    try:
        handler(Message(topic, raw))
    except ProtocolError:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(state=STATES, alert=ALERTS, summary=SUMMARIES, event=EVENTS,
       junk=st.lists(st.tuples(st.sampled_from(["state", "alert", "summary", "event"]),
                               JSON | st.binary(max_size=40)), max_size=6))
def test_typed_messages_are_kept_and_anything_else_changes_nothing(state, alert, summary, event, junk):
    topics = Topics("kiosk", "test-1")
    view = StationView(topics)
    where = {"state": (view._state, topics.garden_state("bed-1")), "alert": (view._alert, topics.garden_alert("bed-1")),
             "summary": (view._summary, topics.booth_summary()), "event": (view._event, topics.booth_events())}
    for kind, message in (("state", state), ("alert", alert), ("summary", summary), ("event", event)):
        assert deliver(view, *where[kind], message.to_payload())
    good = view.snapshot()
    assert (good.states["bed-1"], good.alerts["bed-1"], good.booth_summary, good.booth_last_event) == \
        (state, alert, summary, event)
    for kind, payload in junk:
        before = view.snapshot()
        if not deliver(view, *where[kind], payload):
            assert view.snapshot() == before
        now = view.snapshot()
        assert all(isinstance(value, BedState) for value in now.states.values())
        assert all(isinstance(value, BedAlert) for value in now.alerts.values())
        assert now.booth_summary is None or isinstance(now.booth_summary, Summary)
        assert isinstance(now.booth_last_event, BoothEvent)


def test_the_overview_shows_the_typed_bed_and_booth(make_config, app_for):
    config = make_config(extra=console_section(8443))
    app, *_ = app_for(config)
    view = app.extensions["station"]
    topics = Topics.of(config)
    deliver(view, view._state, topics.garden_state("bed-1"), {"ts": "2026-12-02T10:00:00Z", "moisture": 24.4,
                                                              "status": "dry"})
    deliver(view, view._alert, topics.garden_alert("bed-1"), {"active": True, "kind": "dry", "moisture": 24.4,
                                                              "since": "2026-12-02T08:30:00Z", "acknowledged": False})
    deliver(view, view._summary, topics.booth_summary(), {
        "ts": "2026-12-02T10:00:00Z", "active_loans": 7, "month": {"loans": 3, "returns": 2, "readers": 2, "new_books": 0},
        "overdue": [{"book": {"id": 3, "title": "Das Sams"}, "card": "Lesefuchs 1", "due": "2026-12-01T10:00:00Z"}]})
    deliver(view, view._event, topics.booth_events(), {"type": "return", "ts": "2026-12-02T09:59:00Z", "card": None,
                                                       "book": {"id": 3, "title": "Das Sams"}})
    client = app.test_client()
    log_in(client)
    page = client.get("/").get_data(as_text=True)
    assert "24 % – zu trocken" in page and "Das Beet braucht Wasser seit 02.12. 09:30" in page
    assert "Erledigt – ich habe gegossen" in page
    assert "Rückgabe, 02.12. 10:59" in page and ">7<" in page
