"""Any payload on any topic a service listens to, retained or not, leaves every service running
and answering.

The services are the real ones — `kiosk garden`, `kiosk bridge` and `kiosk booth` with the emulated reader —
in-process on a real Mosquitto with real SQLite files. The topics are not written down
here: they are what the services subscribe to and serve (`Bus.subscriptions()`), so a new
subscription is in the barrage the day it is added. Every example sends one hostile payload
on every topic, then checks that both services still work (a reading becomes a state, a tap
becomes a loan, a command gets {"ok": true}), restarts them onto whatever was left retained,
and checks again. Commands must answer garbage with {"ok": false, "error": ...}; nothing
anyone sends may end in a logged traceback (that is a bug, not bad input).
"""

from __future__ import annotations

import json
import logging
import queue
import time

import pytest
from gpiozero import Device
from gpiozero.pins.mock import MockFactory
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kiosk.booth.store import BoothStore
from kiosk.bus import Bus, Topics
from kiosk.bus.client import INTERNAL_ERROR
from kiosk.garden.bridge import Bridge
from kiosk.garden.bridge import open_database as open_bridge_database
from kiosk.garden.line_protocol import encode_line
from tests.booth.conftest import ANNA, BOOK1, BOOTH, MovableClock, RunningBooth
from tests.garden.conftest import RunningGarden

SESSION_S = 30

# --- what a hostile or clumsy sender puts on the wire ------------------------------------

FIELDS = ["node", "seq", "raw", "ts", "v", "t", "event", "fw", "reason", "uid", "present", "card", "blocked",
          "mode", "book", "title", "point", "span"]
PLAUSIBLE = st.sampled_from(["bed-1", "bed-2", "Lesefuchs 1", "books", "cards", "off", "dry", "wet", "24h", "7d",
                             "boot", "fault", "2026-03-29T01:30:00Z", "0001-01-01T00:00:00+14:00",
                             "9999-12-31T23:59:59-14:00", "2099-12-31T23:59:59Z", "", " ", "\u202e", "null"])
scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=2**63 - 2, max_value=2**80)
           | st.integers(max_value=-2**63 + 2, min_value=-2**80) | st.floats() | st.text(max_size=20) | PLAUSIBLE)
json_like = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                         | st.dictionaries(st.text(max_size=5) | st.sampled_from(FIELDS), inner, max_size=3),
                         max_leaves=8)
# Valid-looking objects: the right field names, any values (wrong types, NaN, huge numbers, nesting).
objects = st.dictionaries(st.sampled_from(FIELDS), json_like, max_size=6)


class Wire(bytes):
    """A payload that shows itself short when hypothesis reports a failing example."""

    def __repr__(self) -> str:
        return repr(bytes(self)) if len(self) <= 120 else f"<{len(self)} bytes: {bytes(self[:60])!r}…>"

    def _repr_pretty_(self, printer, cycle) -> None:      # what hypothesis prints
        printer.text(repr(self))


def wire(value) -> bytes:
    """JSON as a careless sender writes it: NaN, Infinity and any integer pass."""
    return json.dumps(value, allow_nan=True).encode("utf-8")


SPECIAL = [
    b"[" * 5000,                                   # took kiosk garden down, also on every restart when retained
    b'{"a":' * 5000,
    b"[" * 100_000 + b"]" * 100_000,
    b"x" * (1024 * 1024),
    b"\xff\xfe\xfd\x00",
    '{"node": "bed-1", "seq": 1, "raw": 30000}'.encode("utf-16"),
    b'{"book": 1, "title": "\\ud800"}',
    b'{"node": "bed-1", "seq": 1, "raw": NaN}',
    b'{"book": %d, "title": "y"}' % 2**70,         # took kiosk booth down
    b"NaN", b"-Infinity", b"", b"null", b"[]", b'"text"',
]
payloads = (st.sampled_from(SPECIAL) | st.binary(max_size=200) | objects.map(wire) | json_like.map(wire)).map(Wire)
segments = st.sampled_from(["bed-1", "bed-2"]) | st.from_regex(r"[a-z0-9_-]{1,12}", fullmatch=True)


# --- the station under attack -------------------------------------------------------------

class Station:
    """kiosk garden and kiosk booth in-process, restartable; a staff client that sends and asks."""

    def __init__(self, config, factory):
        self.config = config
        self.factory = factory
        self.clock = MovableClock()
        self.topics = Topics.of(config)
        self.client = Bus(config, "attacker", announce=False)
        self.states: queue.Queue = queue.Queue()
        self.client.subscribe(self.topics.garden_state("bed-1"), self.states.put)
        self.client.start()
        assert self.client.wait_connected(10)
        self.seq = 0
        self.start()

    def start(self) -> None:
        self.garden = RunningGarden(self.config)
        self.booth = RunningBooth(self.config, self.factory, self.clock)
        # The bridge listens for garden's confirmations; its serial side is fed by take().
        self.bridge_db = open_bridge_database(self.config)
        self.bridge = Bridge(self.config, Bus(self.config, "bridge"), self.bridge_db)
        self.bridge.outbox.start()
        self.bridge.bus.start()
        assert self.bridge.bus.wait_connected(10)

    def stop(self) -> None:
        self.bridge.outbox.stop()
        self.bridge.bus.stop()
        self.bridge_db.close()
        self.booth.stop()
        self.garden.stop()

    def restart(self) -> None:
        self.stop()
        self.start()

    def filters(self) -> list[str]:
        return (self.garden.bus.subscriptions() + self.booth.bus.subscriptions()
                + self.bridge.bus.subscriptions())

    def command_of(self, topic: str) -> tuple[str, str] | None:
        for service in ("garden", "booth"):
            prefix = self.topics.command(service, "")
            if topic.startswith(prefix):
                return service, topic[len(prefix):]
        return None

    def send(self, topic: str, payload: bytes, retain: bool) -> dict | None:
        """Publish; a command (not retained) is sent as a request, and its reply returned."""
        command = self.command_of(topic)
        if command and not retain:
            return self.client.request(*command, payload, timeout=20)
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish(10)
        return None

    def assert_working(self) -> None:
        assert self.garden.thread.is_alive(), "kiosk garden's worker died"
        assert self.booth.thread.is_alive(), "kiosk booth's loop died"
        ask = self.client.request
        # Valid commands get {"ok": true} (and undo what a valid-looking one may have done).
        assert ask("booth", "register", {"mode": "off"}, timeout=20) == {"ok": True, "mode": "off"}
        assert ask("booth", "block", {"card": "Lesefuchs 1", "blocked": False}, timeout=20)["ok"] is True
        assert ask("garden", "history", {"node": "bed-1", "span": "24h"}, timeout=20)["ok"] is True
        # A valid reading still becomes a state.
        while not self.states.empty():
            self.states.get_nowait()
        stored = self.garden.store.count_readings("bed-1")
        self.seq += 1
        self.client.publish(self.topics.garden_reading("bed-1"),
                            {"node": "bed-1", "seq": self.seq, "raw": 30000}).wait_for_publish(10)
        deadline = time.monotonic() + 20
        while self.garden.store.count_readings("bed-1") == stored and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.garden.store.count_readings("bed-1") == stored + 1, "a valid reading was not stored"
        assert self.states.get(timeout=20).json()["moisture"] is not None, "no state followed the reading"
        # A line on the serial side still reaches garden.sqlite, and garden's confirmation
        # still empties the bridge's outbox.
        self.seq += 1
        assert self.bridge.take(encode_line({"v": 1, "node": "bed-1", "seq": self.seq, "raw": 30000})) == 1
        deadline = time.monotonic() + 30
        while (self.garden.store.count_readings("bed-1") == stored + 1 or self.bridge.outbox.pending()) \
                and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.garden.store.count_readings("bed-1") == stored + 2, "a bridged reading was not stored"
        assert self.bridge.outbox.pending() == 0, "garden's confirmation did not reach the bridge"
        # A valid tap still becomes a loan (and the book comes back, for the next round).
        self.booth.field.clear()
        deadline = time.monotonic() + 10
        while self.booth.reader.present and time.monotonic() < deadline:
            time.sleep(0.01)
        self.clock.advance(SESSION_S + 1)           # whatever session is open ends
        assert self.booth.tap(ANNA)[0]["type"] == "session_start"
        checkout = self.booth.tap(BOOK1)[0]
        assert (checkout["type"], checkout["book"]["id"], checkout.get("renewed")) == ("checkout", 1, None)
        self.clock.advance(SESSION_S + 1)
        assert self.booth.tap(BOOK1)[0]["type"] == "return"

    def clear_retained(self, topics: set[str]) -> None:
        for topic in topics:
            self.client.publish(topic, b"", qos=1, retain=True).wait_for_publish(10)

    def close(self) -> None:
        self.stop()
        self.client.stop()


@pytest.fixture
def station(broker, make_config):
    saved = Device.pin_factory
    factory = Device.pin_factory = MockFactory()
    config = make_config(broker.port, extra=BOOTH.format(max_loans=3, session_s=SESSION_S))
    with BoothStore.open(config) as store:
        store.add_card(ANNA)                       # Lesefuchs 1
        store.add_book(BOOK1, "Die kleine Raupe Nimmersatt")
    running = Station(config, factory)
    try:
        yield running
    finally:
        running.close()
        factory.reset()
        Device.pin_factory = saved


def tracebacks(records) -> list[str]:
    return [r.getMessage() for r in records if "Traceback" in r.getMessage() or r.exc_info]


# Each example restarts both services: a few examples, and no shrinking (minutes per step);
# a failure prints the messages of its example (the draws are labelled by topic).
@settings(max_examples=20, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_any_payload_on_any_subscribed_topic_leaves_every_service_working(station, data, caplog):
    filters = station.filters()
    assert {station.topics.garden_reading("+"), station.topics.command("booth", "title"),
            station.topics.booth_simulate(), station.topics.garden_stored("+")} <= set(filters)          # the services were asked, not a list
    caplog.clear()
    retained: set[str] = set()
    with caplog.at_level(logging.WARNING):
        for topic_filter in filters:              # every topic, every example
            topic = "/".join(data.draw(segments) if part == "+" else part for part in topic_filter.split("/"))
            payload = data.draw(payloads, label=topic)
            retain = data.draw(st.booleans(), label="retain")
            reply = station.send(topic, payload, retain)
            if retain:
                retained.add(topic)
            if reply is not None:
                assert isinstance(reply.get("ok"), bool), reply
                if not reply["ok"]:
                    assert isinstance(reply.get("error"), str) and reply["error"] != INTERNAL_ERROR, reply
                try:
                    is_object = isinstance(json.loads(payload), dict)
                except (ValueError, RecursionError):
                    is_object = False
                if not is_object:
                    assert reply["ok"] is False, (topic, payload[:80], reply)
        station.assert_working()
        station.restart()                          # onto whatever was left retained
        station.assert_working()
        station.clear_retained(retained)
    assert tracebacks(caplog.records) == []


@pytest.mark.parametrize("payload", [
    b"[" * 5000,                                                               # the reproduction from the issue
    b'{"node": "bed-1", "seq": 7, "raw": 30000, "ts": "0001-01-01T00:00:00+14:00"}',   # year 0 in UTC
], ids=["deep-nesting", "year-one"])
def test_a_retained_reading_that_took_the_garden_down_survives_three_restarts(station, payload, caplog):
    station.send(station.topics.garden_reading("bed-1"), payload, retain=True)
    with caplog.at_level(logging.WARNING):
        station.assert_working()
        for _ in range(3):
            station.restart()
            station.assert_working()
    station.clear_retained({station.topics.garden_reading("bed-1")})
    assert tracebacks(caplog.records) == []
