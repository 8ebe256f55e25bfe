"""kiosk garden against a real Mosquitto: state, alerts, hysteresis, restart, bad payloads."""

from __future__ import annotations

import json
import time

from kiosk.bus import Bus
from kiosk.clock import iso, utc_now

DRY_RAW = 45000      # ≈ 22 %
WET_RAW = 30000      # ≈ 71 %
BETWEEN_RAW = 41000  # ≈ 35 %: between dry_below 30 and ok_above 38


def publisher(config):
    bus = Bus(config, "test-node", announce=False).start()
    assert bus.wait_connected(10)
    return bus


def send(bus, config, raws, start_seq=0, stamped=True):
    """Publish readings like the bridge does (stamped) or like an ESP32 without a clock."""
    topic = bus.topics.garden_reading("bed-1")
    for i, raw in enumerate(raws):
        payload = {"node": "bed-1", "seq": start_seq + i, "raw": raw}
        if stamped:              # received just now, as the bridge would stamp it
            payload["ts"] = iso(utc_now())
        bus.publish(topic, payload).wait_for_publish(5)


def test_dry_bed_raises_one_alert_after_confirmed_readings(broker, make_config, run_garden, watch):
    config = make_config(broker.port)
    watcher = watch(config, "batenbrock/test-1/garden/#")
    run_garden(config)
    node = publisher(config)
    send(node, config, [DRY_RAW, DRY_RAW])
    state = watcher.wait_for("batenbrock/test-1/garden/bed-1/state", lambda p: p["moisture"] is not None
                             and p["moisture"] < 30)
    assert state["status"] == "ok"     # two readings are not yet confirmed
    send(node, config, [DRY_RAW], start_seq=2)
    alert = watcher.wait_for("batenbrock/test-1/garden/bed-1/alert", lambda p: p["active"])
    assert alert["kind"] == "dry"
    assert 20 < alert["moisture"] < 25
    watcher.wait_for("batenbrock/test-1/garden/bed-1/state", lambda p: p["status"] == "dry")
    node.stop()


def test_hovering_around_the_threshold_raises_once_and_clears_once(broker, make_config, run_garden, watch):
    config = make_config(broker.port)
    watcher = watch(config, "batenbrock/test-1/garden/bed-1/alert")
    running = run_garden(config)
    node = publisher(config)
    hovering = [DRY_RAW, BETWEEN_RAW, DRY_RAW, DRY_RAW, BETWEEN_RAW, DRY_RAW, DRY_RAW, DRY_RAW,   # raise
                BETWEEN_RAW, WET_RAW, BETWEEN_RAW, WET_RAW, WET_RAW, DRY_RAW, WET_RAW, WET_RAW,  # not yet
                WET_RAW, BETWEEN_RAW, WET_RAW, BETWEEN_RAW]                                          # cleared
    send(node, config, hovering)
    watcher.wait_for("batenbrock/test-1/garden/bed-1/alert", lambda p: p["active"])
    watcher.wait_for("batenbrock/test-1/garden/bed-1/alert", lambda p: not p["active"] and (p["moisture"] or 0) > 38)
    alerts = watcher.payloads("batenbrock/test-1/garden/bed-1/alert")
    changes = [p["active"] for p in alerts]
    # The retained 'all clear' at start, then exactly one raise and one clear.
    assert changes == [False, True, False]
    notices = running.store.db.dicts("SELECT kind, event FROM notices ORDER BY id")
    assert notices == [{"kind": "dry", "event": "raised"}, {"kind": "dry", "event": "cleared"}]
    node.stop()


def test_restart_mid_alert_restores_state_without_a_second_notice(broker, make_config, run_garden, watch):
    config = make_config(broker.port)
    running = run_garden(config)
    node = publisher(config)
    send(node, config, [DRY_RAW] * 3)
    watcher = watch(config, "batenbrock/test-1/garden/bed-1/alert")
    watcher.wait_for("batenbrock/test-1/garden/bed-1/alert", lambda p: p["active"])
    running.stop()

    again = run_garden(config)
    assert again.garden.states["bed-1"].status == "dry"        # straight from its database
    send(node, config, [DRY_RAW] * 3, start_seq=3)
    deadline = time.monotonic() + 10
    while again.store.count_readings("bed-1") < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert again.store.db.dicts("SELECT kind, event FROM notices") == [{"kind": "dry", "event": "raised"}]
    assert again.store.count_readings("bed-1") == 6
    node.stop()


def test_silent_sensor_goes_stale_not_dry(broker, make_config, run_garden, watch):
    config = make_config(broker.port, stale_after_s=10)
    now = [1_800_000_000.0]
    running = run_garden(config, clock=lambda: now[0])
    watcher = watch(config, "batenbrock/test-1/garden/bed-1/#")
    now[0] += 11
    alert = watcher.wait_for("batenbrock/test-1/garden/bed-1/alert", lambda p: p["active"])
    assert alert["kind"] == "stale"
    state = watcher.wait_for("batenbrock/test-1/garden/bed-1/state", lambda p: p["status"] == "stale")
    assert state["status"] == "stale"
    assert running.store.db.dicts("SELECT kind, event FROM notices") == [{"kind": "stale", "event": "raised"}]


def test_garbage_and_oversized_payloads_change_nothing(broker, make_config, run_garden, watch):
    config = make_config(broker.port)
    running = run_garden(config)
    node = publisher(config)
    topic = node.topics.garden_reading("bed-1")
    for payload in [b"", b"\xff\xfe", b"not json", b"[]", b"{}", json.dumps({"node": "bed-1", "seq": -1, "raw": 5}),
                    json.dumps({"node": "bed-1", "seq": 1, "raw": 70000}), json.dumps({"node": "bed-2", "seq": 1, "raw": 4}),
                    json.dumps({"node": "bed-1", "seq": True, "raw": 40000}), b"{" * 100_000,
                    b"x" * (10 * 1024 * 1024)]:
        node.publish(topic, payload).wait_for_publish(5)
    send(node, config, [WET_RAW])
    watcher = watch(config, "batenbrock/test-1/garden/bed-1/state")
    state = watcher.wait_for("batenbrock/test-1/garden/bed-1/state", lambda p: p["moisture"] is not None)
    assert state["status"] == "ok"
    assert running.store.count_readings() == 1
    assert running.garden.states["bed-1"].status == "ok"
    node.stop()
