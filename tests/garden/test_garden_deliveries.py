"""kiosk garden and the bridge's delivery tickets, on a real Mosquitto: copies sent again are
stored and alerted once, a gap waits for its reading, an ESP32's own readings work as before."""

from __future__ import annotations

import time

from kiosk.bus import Bus
from kiosk.bus.delivery import FIELD
from kiosk.clock import iso, utc_now

ORIGIN = "0123456789abcdef"
DRY, WET = 45000, 30000
STORED = "batenbrock/test-1/garden/bed-1/stored"


def publisher(config):
    bus = Bus(config, "test-bridge", announce=False).start()
    assert bus.wait_connected(10)
    return bus


def bridged(seq: int, raw: int, ticket: tuple[int, int] | None, received: str) -> dict:
    """A reading as the bridge sends it: `ticket` is (id, after)."""
    payload = {"ts": received, "node": "bed-1", "seq": seq, "raw": raw}
    if ticket:
        payload[FIELD] = {"origin": ORIGIN, "id": ticket[0], "after": ticket[1]}
    return payload


def send(bus, payloads) -> None:
    for payload in payloads:
        bus.publish(bus.topics.garden_reading("bed-1"), payload).wait_for_publish(5)


def stored_seqs(running) -> list[int]:
    return [row["seq"] for row in running.store.db.rows("SELECT seq FROM readings ORDER BY seq, ts_ms")]


def wait_until(condition, timeout=10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_copies_sent_again_are_stored_and_alerted_once(broker, make_config, run_garden, watch):
    config = make_config(broker.port)
    watcher = watch(config, STORED)
    running = run_garden(config)
    node = publisher(config)
    received = iso(utc_now())
    spell = [bridged(seq, DRY if seq < 3 else WET, (seq + 1, seq), received) for seq in range(6)]
    send(node, spell)
    assert watcher.wait_for(STORED, lambda p: p["stored"].get(ORIGIN) == 6)["stored"] == {ORIGIN: 6}
    # The confirmation was lost (a broker crash): the bridge sends everything again, twice.
    send(node, spell + spell)
    send(node, [bridged(6, WET, (7, 6), received)])
    watcher.wait_for(STORED, lambda p: p["stored"].get(ORIGIN) == 7)
    assert stored_seqs(running) == list(range(7))
    notices = running.store.db.dicts("SELECT kind, event FROM notices ORDER BY id")
    assert notices == [{"kind": "dry", "event": "raised"}, {"kind": "dry", "event": "cleared"}]
    node.stop()


def test_a_reading_after_a_gap_waits_for_the_missing_one(broker, make_config, run_garden, watch):
    config = make_config(broker.port)
    watcher = watch(config, STORED)
    running = run_garden(config)
    node = publisher(config)
    received = iso(utc_now())
    send(node, [bridged(0, WET, (10, 0), received), bridged(2, WET, (30, 20), received)])   # id 20 was lost
    asked = watcher.wait_for(STORED, lambda p: p.get("resend"))
    assert asked["stored"] == {ORIGIN: 10}                   # the bridge resends from its oldest unconfirmed
    assert stored_seqs(running) == [0]
    send(node, [bridged(1, WET, (20, 10), received), bridged(2, WET, (30, 20), received)])
    watcher.wait_for(STORED, lambda p: p["stored"].get(ORIGIN) == 30)
    assert stored_seqs(running) == [0, 1, 2]
    node.stop()


def test_an_esp32_reading_without_a_ticket_is_taken_as_before(broker, make_config, run_garden, watch):
    config = make_config(broker.port)
    watcher = watch(config, "batenbrock/test-1/garden/#")
    running = run_garden(config)
    node = publisher(config)
    send(node, [{"node": "bed-1", "seq": 0, "raw": WET}, {"node": "bed-1", "seq": 1, "raw": WET},
                bridged(2, WET, None, iso(utc_now()))])
    assert wait_until(lambda: running.store.count_readings() == 3)
    watcher.wait_for("batenbrock/test-1/garden/bed-1/state", lambda p: p["moisture"] is not None)
    assert not [m for m in watcher.drain() if m.topic == STORED]      # nothing to confirm to anyone
    node.stop()


def test_a_malformed_ticket_drops_that_message_only(broker, make_config, run_garden, watch):
    config = make_config(broker.port)
    watcher = watch(config, STORED)
    running = run_garden(config)
    node = publisher(config)
    received = iso(utc_now())
    bad = bridged(0, WET, None, received)
    for field in ({"origin": ORIGIN, "id": 2**70, "after": 0}, {"origin": "x"}, [1, 2], "1"):
        send(node, [{**bad, FIELD: field}])
    send(node, [bridged(1, WET, (1, 0), received)])
    watcher.wait_for(STORED, lambda p: p["stored"].get(ORIGIN) == 1)
    assert stored_seqs(running) == [1]
    assert running.thread.is_alive()
    node.stop()
