"""Live data from a real Mosquitto reaches the screen; the kiosk survives the broker going away."""

from __future__ import annotations

import time

import pytest

from kiosk.booth import events as booth_events, rules as booth_rules
from kiosk.bus import Bus
from kiosk.bus.topics import Topics
from kiosk.garden.messages import BedAlert
from kiosk.ui.driver import Driver

from tests.ui.conftest import FakeClock, write_config

# A time-out, so that data that never shows fails instead of hanging; not a speed goal (bench/).
WITHIN_S = 10.0


@pytest.fixture
def station(broker, tmp_path):
    config = write_config(tmp_path, port=broker.port)
    publisher = Bus(config, "garden", client_id="test-garden-side")
    publisher.start()
    assert publisher.wait_connected(10)
    topics = Topics.of(config)
    publisher.publish(topics.status("booth"), "online", retain=True)
    yield config, publisher, topics
    publisher.stop()


@pytest.fixture
def kiosk(station):
    from kiosk.ui.app import KioskApp

    config, _publisher, _topics = station
    clock = FakeClock(time.time())
    app = KioskApp(config, size=(800, 480), connect=True, offers=[], clock=clock)
    driver = Driver(app).start()
    driver.clock = clock
    assert driver.until(lambda: app.bus.connected.is_set(), 10), "kiosk did not reach the test broker"
    driver.pump(5)
    yield driver
    driver.stop()


def shown_within(driver, predicate, limit=WITHIN_S) -> float:
    started = time.monotonic()
    assert driver.until(predicate, limit), "not on screen in time"
    return time.monotonic() - started


def test_moisture_state_appears_within_a_second(kiosk, station):
    config, publisher, topics = station
    kiosk.app.go("herbs")
    kiosk.pump(2)
    publisher.publish(topics.garden_state("bed-1"), {"ts": "2026-11-25T09:00:00Z", "moisture": 21.5,
                                                     "status": "dry"}, retain=True)
    shown_within(kiosk, lambda: any(l.raw == "Bitte gieß mich!" for l in kiosk.labels()))
    assert any("22 %" in l.raw for l in kiosk.labels())
    publisher.publish(topics.garden_state("bed-1"), {"ts": "2026-11-25T09:05:00Z", "moisture": 45.0,
                                                     "status": "ok"}, retain=True)
    shown_within(kiosk, lambda: any(l.raw == "Danke! Ich habe genug Wasser." for l in kiosk.labels()))


def test_alert_appears_and_is_acknowledged(kiosk, station):
    config, publisher, topics = station
    acked = []
    publisher.serve("ack", lambda request: acked.append(request) or {"active": True, "acknowledged": True})
    kiosk.app.open_staff()
    kiosk.pump(2)
    publisher.publish(topics.garden_alert("bed-1"), {"active": True, "kind": "dry", "since": "2026-11-25T08:00:00Z",
                                                     "moisture": 21.5, "acknowledged": False}, retain=True)
    shown_within(kiosk, lambda: any(getattr(w, "tag", "") == "ack:bed-1" for w in kiosk.visible()))
    kiosk.tap("ack:bed-1")
    assert kiosk.until(lambda: acked and kiosk.app.screens.build("staff").feedback
                       == "Danke! Die Erinnerungen hören auf, bis sich am Beet etwas ändert.", 5)
    assert acked == [{"node": "bed-1"}]


def test_booth_event_shows_the_loan(kiosk, station):
    config, publisher, topics = station
    publisher.publish(topics.booth_events(), {"type": "checkout", "ts": "2026-11-25T09:00:00Z",
                                              "card": "Lesefuchs 17", "book": {"id": 1, "title": "Das Sams"},
                                              "loans": 2, "due": "2026-12-16T09:00:00Z"})
    shown_within(kiosk, lambda: kiosk.app.current == "booth" and any(
        l.raw == "Hallo Lesefuchs 17 – du hast jetzt 2 Bücher." for l in kiosk.labels()))
    # The due date is written as the offers write dates ("Mi 16.12."), not in a second format.
    assert any("Das Sams" in l.raw and "Mi 16.12." in l.raw for l in kiosk.labels())
    publisher.publish(topics.booth_events(), {"type": "denied", "ts": "2026-11-25T09:01:00Z", "card": "Lesefuchs 17",
                                              "book": {"id": 2, "title": "Momo"}, "reason": "overdue",
                                              "loans": 2})
    shown_within(kiosk, lambda: any(l.raw.startswith("Bitte bring zuerst dein altes Buch") for l in kiosk.labels()))


def test_a_borrowed_book_shows_its_cover_when_the_pi_has_it(kiosk, station):
    config, publisher, topics = station
    from kiosk.ui import sample
    sample.cover(config)              # as the desk stores one: data_dir/covers/<isbn>.jpg
    screen = kiosk.app.screens.build("booth")

    def lend(isbn: str | None, title: str, at: str) -> None:
        book = {"id": 3, "title": title, **({"isbn": isbn} if isbn else {})}
        publisher.publish(topics.booth_events(), {"type": "checkout", "ts": at, "card": "Lesefuchs 17",
                                                  "book": book, "loans": 1, "due": "2026-12-16T09:00:00Z"})
        shown_within(kiosk, lambda: any(title in l.raw for l in kiosk.labels()))
    lend(sample.SAMPLE_ISBN, "Pippi Langstrumpf", "2026-11-25T09:00:00Z")
    assert screen.cover.opacity == 1 and screen.cover.texture is not None
    assert screen.cover.source.endswith(f"covers/{sample.SAMPLE_ISBN}.jpg")
    lend("9783789142062", "Das Sams", "2026-11-25T09:01:00Z")        # no cover on this Pi
    assert screen.cover.opacity == 0 and screen.cover.source == ""
    lend(None, "Momo", "2026-11-25T09:02:00Z")                        # registered without an ISBN
    assert screen.cover.opacity == 0


def test_booth_event_while_typing_an_idea_shows_a_note(kiosk, station):
    config, publisher, topics = station
    kiosk.tap("idea")                       # a visitor is busy on another screen
    publisher.publish(topics.booth_events(), {"type": "return", "ts": "2026-11-25T09:00:00Z",
                                              "card": "Lesefuchs 17", "book": {"id": 1, "title": "Das Sams"},
                                              "loans": 1})
    shown_within(kiosk, lambda: any(l.raw.startswith("Danke") and "Das Sams" in l.raw for l in kiosk.labels()))
    assert kiosk.app.current == "idea"      # the note does not take the visitor's screen away


STAFF_CARD = booth_rules.Card(id=7, pseudonym="Team 1", staff=True)
TS = "2026-11-25T09:00:00Z"


def staff_card_taps(count: int) -> list[list[dict]]:
    """The booth's events for `count` taps of a staff card (register mode off → books → cards → off),
    built by the booth's own rules and event builder."""
    desk, taps = booth_rules.Desk(), []
    for _ in range(count):
        decision = booth_rules.decide(STAFF_CARD, desk, booth_rules.Limits(), 0.0)
        desk = decision.desk
        taps.append([e.to_payload() for e in booth_events.for_decision(decision, booth_rules.Applied(), TS, None)])
    return taps


def register_mode_timed_out() -> dict:
    """What the booth publishes when register mode ends REGISTER_IDLE_S after the last staff tap
    (BoothService.tick)."""
    return booth_events.event(booth_events.REGISTER, TS, None, mode="off", reason=booth_rules.TIMEOUT).to_payload()


def publish_all_then_wait(kiosk, publisher, topics, payloads) -> None:
    """Publish `payloads` on booth/events, then one marker event; return once the kiosk has taken the
    marker (messages on one topic from one sender arrive in order, so all the others are taken too)."""
    for payload in payloads:
        publisher.publish(topics.booth_events(), payload)
    marker = {"type": "session_end", "ts": TS, "card": "Marker 1", "book": None}
    publisher.publish(topics.booth_events(), marker)
    assert kiosk.until(lambda: any(e.value.card == "Marker 1" for e in kiosk.app.live.events), 10)


def test_staff_card_opens_staff_mode(kiosk, station):
    config, publisher, topics = station
    for payload in staff_card_taps(1)[0]:
        publisher.publish(topics.booth_events(), payload)
    shown_within(kiosk, lambda: kiosk.app.staff and kiosk.app.current == "staff")


def test_register_mode_ending_never_opens_staff_mode(kiosk, station):
    """The booth ends register mode 120 s after a staff tap; staff mode has closed on idle by then and
    must stay closed on the shop window — for that event, and for any other that is not a staff tap."""
    config, publisher, topics = station
    app = kiosk.app
    for payload in staff_card_taps(1)[0]:
        publisher.publish(topics.booth_events(), payload)
    shown_within(kiosk, lambda: app.staff)
    kiosk.clock.advance(config.ui.idle_reset_s + 1)      # staff walked away
    app._tick()
    assert not app.staff and app.current == "home"

    publish_all_then_wait(kiosk, publisher, topics, [register_mode_timed_out()])
    assert not app.staff and app.current == "home"

    third_tap = staff_card_taps(3)[2]                   # cards → off: register mode ends by card
    from_a_staff_screen = booth_events.event(booth_events.REGISTER, TS, None, mode="books").to_payload()   # command: no card
    garbage = [
        {"type": "register"}, {"type": "register", "mode": "off", "card": "Team 1"},
        {"type": "register", "mode": "books", "card": ""}, {"type": "register", "mode": ["books"], "card": "Team 1"},
        {"type": "register", "mode": "books", "card": {"id": 1}}, {"type": "register", "mode": "books", "card": 7},
        {"type": "register", "mode": "cards", "card": "Team 1", "reason": "timeout"},
        {"type": "session_start", "ts": TS, "card": "Team 1", "book": None, "staff": True},
        {"type": "staff", "card": "Team 1"}, {"type": None, "staff": True}, {"staff": True}, {"type": ["register"]},
        {"type": "REGISTER", "mode": "books", "card": "Team 1"}, {"type": 1e308, "mode": "books"},
        [], "register", 12, None]
    publish_all_then_wait(kiosk, publisher, topics, third_tap + [from_a_staff_screen] + garbage)
    assert not app.staff and not app.current.startswith("staff")


def test_broker_outage_marks_data_old_and_catches_up(kiosk, station, broker):
    config, publisher, topics = station
    publisher.publish(topics.garden_state("bed-1"), {"ts": "2026-11-25T09:00:00Z", "moisture": 44.0,
                                                     "status": "ok"}, retain=True)
    kiosk.app.go("herbs")
    assert kiosk.until(lambda: kiosk.app.live.is_current("garden"), 5)
    broker.stop()
    assert kiosk.until(lambda: not kiosk.app.live.connected and any(
        l.raw.startswith("Die Daten sind nicht ganz aktuell") for l in kiosk.labels()), 10)
    assert any("44 %" in l.raw for l in kiosk.labels())        # what it last knew stays on screen
    broker.start()
    assert kiosk.until(lambda: kiosk.app.live.is_current("garden"), 20), "did not catch up after the broker returned"
    assert kiosk.until(lambda: not any(l.raw.startswith("Die Daten sind") for l in kiosk.labels()), 3)


def test_starts_without_broker_showing_what_it_last_knew(tmp_path):
    from kiosk.bus.broker import free_port
    from kiosk.ui.app import KioskApp
    from kiosk.ui.store import UiStore

    config = write_config(tmp_path, port=free_port())
    store = UiStore.open(config)
    store.remember("batenbrock/test-1/garden/bed-1/state", {"ts": "2026-11-25T09:00:00Z", "moisture": 33.0,
                                                             "status": "ok"}, received=time.time() - 600)
    store.close()
    app = KioskApp(config, size=(800, 480), connect=True, offers=[])
    with Driver(app).start() as driver:
        app.go("herbs")
        driver.pump(3)
        texts = [l.raw for l in driver.labels()]
        assert any("33 %" in t for t in texts)
        assert any(t.startswith("Die Daten sind nicht ganz aktuell (Stand:") for t in texts)


def test_live_values_are_written_off_the_ui_thread_and_kept_across_a_restart(station, tmp_path):
    """Alerts, history and the booth summary go to ui.sqlite on the background thread, durably: a kiosk
    stopped right after they arrived shows them again after its restart."""
    import threading

    from kiosk.ui.app import KioskApp
    from kiosk.ui.store import UiStore

    config, publisher, topics = station
    values = {
        topics.garden_alert("bed-1"): {"active": True, "kind": "dry", "since": TS, "moisture": 21.5,
                                       "acknowledged": False},
        topics.garden_history("bed-1", "24h"): {"node": "bed-1", "span": "24h", "bucket_s": 900,
                                                "points": [{"ts": TS, "min": 20, "avg": 21.5, "max": 23, "n": 4}]},
        topics.booth_summary(): {"ts": TS, "active_loans": 3, "overdue": [],
                                 "month": {"loans": 9, "returns": 4, "readers": 5, "new_books": 0},
                                 "untitled": [], "blocked": [], "same_isbn": [], "recent": []},
        topics.garden_state("bed-1"): {"ts": TS, "moisture": 21.5, "status": "dry"},
    }
    app = KioskApp(config, size=(800, 480), connect=True, offers=[])
    driver = Driver(app).start()
    writes = []
    writer = app.store.db._writer              # every statement on ui.sqlite's one write connection
    writer.set_trace_callback(lambda sql: writes.append((sql, threading.current_thread())))
    try:
        assert driver.until(lambda: app.bus is not None and app.bus.connected.is_set(), 10)
        for topic, payload in values.items():
            publisher.publish(topic, payload, retain=True)
        live = app.live
        assert driver.until(lambda: "bed-1" in live.alert and ("bed-1", "24h") in live.history
                            and live.summary is not None and "bed-1" in live.state, 10)
    finally:
        driver.stop()                          # at once: what arrived must still reach the disk
    assert any("INSERT INTO known" in sql for sql, _thread in writes)
    assert [sql for sql, thread in writes if thread is threading.main_thread()] == []

    store = UiStore.open(config)
    try:
        assert {topic: payload for topic, payload, _received in store.known()} == values
    finally:
        store.close()
    again = KioskApp(config, size=(800, 480), connect=False, offers=[])      # the restart, broker or not
    with Driver(again).start() as driver:
        again.go("herbs")
        driver.pump(3)
        assert any("22 %" in label.raw for label in driver.labels())
        assert again.live.alert["bed-1"].value == BedAlert.from_payload(values[topics.garden_alert("bed-1")])
