"""kiosk bridge on a pseudo-terminal with a real Mosquitto: order, replug, outage, garbage,
keeping readings until garden has stored them."""

from __future__ import annotations

import logging
import random
import threading
import time

import pytest

from kiosk.bus import Bus
from kiosk.bus.client import encode
from kiosk.garden.bridge import MIGRATIONS, Bridge, open_database
from kiosk.garden.line_protocol import encode_line
from kiosk.store import Database
from kiosk.store import outbox as outbox_table


READING = "batenbrock/test-1/garden/bed-1/reading"


def line(seq: int, raw: int = 40000) -> bytes:
    return encode_line({"v": 1, "node": "bed-1", "seq": seq, "raw": raw})


class RunningBridge:
    def __init__(self, config):
        self.db = open_database(config)
        self.bus = Bus(config, "bridge")
        self.bridge = Bridge(config, self.bus, self.db)     # as `kiosk bridge` does: subscribe, then connect
        self.bus.start()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.bridge.run, args=(self.stopping,), daemon=True)
        self.thread.start()
        self.wait_open()

    def wait_open(self):
        assert self.bridge.port_open.wait(10), "bridge did not open the serial port"

    def stop(self):
        self.stopping.set()
        self.thread.join(10)
        self.bus.stop()
        self.db.close()


@pytest.fixture
def run_bridge():
    started = []

    def start(config):
        running = RunningBridge(config)
        started.append(running)
        return running
    yield start
    for running in started:
        running.stop()


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_lines_reach_the_broker_in_order_with_a_receipt_time(broker, make_config, cable, run_bridge, watch):
    config = make_config(broker.port, serial_port=str(cable.link))
    watcher = watch(config, "batenbrock/test-1/garden/#")
    run_bridge(config)
    cable.write(encode_line({"v": 1, "node": "bed-1", "event": "boot", "fw": "1.0.0"}))
    cable.write(b"".join(line(seq) for seq in range(20)))
    watcher.wait_for(READING, lambda p: p["seq"] == 19)
    readings = watcher.payloads(READING)
    assert [p["seq"] for p in readings] == list(range(20))
    assert set(readings[0]) == {"ts", "node", "seq", "raw", "delivery"} and readings[0]["ts"].endswith("Z")
    boot = watcher.wait_for("batenbrock/test-1/garden/bed-1/event")
    assert boot["event"] == "boot" and boot["fw"] == "1.0.0"
    # Each message names the one before it of the same node, so garden can tell a gap.
    tickets = [boot["delivery"]] + [p["delivery"] for p in readings]
    assert tickets[0]["after"] == 0
    assert [t["after"] for t in tickets[1:]] == [t["id"] for t in tickets[:-1]]
    assert len({t["origin"] for t in tickets}) == 1


def test_exact_protocol_test_vectors_are_accepted(broker, make_config, cable, run_bridge, watch):
    config = make_config(broker.port, serial_port=str(cable.link))
    watcher = watch(config, "batenbrock/test-1/garden/#")
    run_bridge(config)
    cable.write(b'{"v":1,"node":"bed-1","seq":42,"raw":41230,"t":12.5}*17831df0\n')
    cable.write(b'{"v":1,"node":"bed-1","event":"boot","fw":"1.0.0"}*7139eaaa\n')
    reading = watcher.wait_for(READING)
    assert (reading["seq"], reading["raw"], reading["t"]) == (42, 41230, 12.5)
    assert watcher.wait_for("batenbrock/test-1/garden/bed-1/event")["fw"] == "1.0.0"


def test_cable_pulled_and_put_back_without_restart(broker, make_config, cable, run_bridge, watch):
    config = make_config(broker.port, serial_port=str(cable.link))
    watcher = watch(config, READING)
    running = run_bridge(config)
    cable.write(line(0) + line(1) + b'{"v":1,"node":"bed-1","se')    # pulled mid-line
    watcher.wait_for(READING, lambda p: p["seq"] == 1)
    cable.pull()
    assert wait_until(lambda: not running.bridge.port_open.is_set()), "bridge did not notice the pulled cable"
    time.sleep(0.5)
    cable.plug()
    running.wait_open()
    cable.write(line(2) + line(3))
    watcher.wait_for(READING, lambda p: p["seq"] == 3, timeout=20)
    assert [p["seq"] for p in watcher.payloads(READING)] == [0, 1, 2, 3]
    assert running.thread.is_alive()
    assert running.bridge.counts["bad"] == 0   # the half line was forgotten, not glued to the next


def test_broker_restart_mid_stream_loses_nothing_and_keeps_order(broker, make_config, cable, run_bridge, watch,
                                                                 run_garden):
    config = make_config(broker.port, serial_port=str(cable.link))
    watcher = watch(config, READING, persistent=True)
    garden = run_garden(config)
    running = run_bridge(config)
    cable.write(b"".join(line(seq) for seq in range(10)))
    watcher.wait_for(READING, lambda p: p["seq"] == 9)
    broker.stop()
    cable.write(b"".join(line(seq) for seq in range(10, 60)))
    # The 50 wait on disk (with any of the first 10 garden had no time to confirm).
    assert wait_until(lambda: running.bridge.outbox.pending() >= 50), running.bridge.outbox.pending()
    broker.start()
    watcher.wait_for(READING, lambda p: p["seq"] == 59, timeout=30)
    cable.write(line(60))
    watcher.wait_for(READING, lambda p: p["seq"] == 60, timeout=10)
    seqs = [p["seq"] for p in watcher.payloads(READING)]
    assert sorted(set(seqs)) == list(range(61))                    # nothing lost
    first_seen = list(dict.fromkeys(seqs))
    assert first_seen == list(range(61))                            # order kept
    assert wait_until(lambda: running.bridge.outbox.pending() == 0)   # garden confirmed all
    assert stored_seqs(garden) == list(range(61))                   # each stored once


def stored_seqs(garden) -> list[int]:
    return [row["seq"] for row in garden.store.db.rows("SELECT seq FROM readings ORDER BY seq")]


def test_readings_stay_until_garden_has_stored_them(broker, make_config, cable, run_bridge, run_garden, watch):
    config = make_config(broker.port, serial_port=str(cable.link))
    watcher = watch(config, READING)
    running = run_bridge(config)
    cable.write(b"".join(line(seq) for seq in range(30)))
    watcher.wait_for(READING, lambda p: p["seq"] == 29)
    # The broker has them all, but a broker's memory is no safe place: the bridge keeps them.
    time.sleep(0.5)
    assert running.bridge.outbox.pending() == 30
    garden = run_garden(config)
    # Garden, started later, finds nothing queued for it (it never had a session), so
    # the bridge sends what garden has not confirmed again once garden is online.
    assert wait_until(lambda: running.bridge.outbox.pending() == 0, timeout=30), running.bridge.outbox.pending()
    assert stored_seqs(garden) == list(range(30))


def test_queue_bound_drops_the_oldest_and_counts_them(broker, make_config, cable, run_bridge, watch, caplog):
    config = make_config(broker.port, serial_port=str(cable.link), queue_max=100)
    watcher = watch(config, READING, persistent=True)
    broker.stop()
    running = run_bridge(config)

    with caplog.at_level(logging.WARNING):
        for start in range(0, 150, 10):
            cable.write(b"".join(line(seq) for seq in range(start, start + 10)))
            time.sleep(0.05)
        assert wait_until(lambda: running.bridge.outbox.dropped() == 50)
    assert running.bridge.outbox.pending() == 100
    assert any("dropped the" in r.getMessage() for r in caplog.records)
    broker.start()
    watcher.wait_for(READING, lambda p: p["seq"] == 149, timeout=30)
    seqs = list(dict.fromkeys(p["seq"] for p in watcher.payloads(READING)))
    assert seqs == list(range(50, 150))


def test_garbage_is_counted_and_dropped_without_flooding_the_log(broker, make_config, cable, run_bridge,
                                                                  watch, caplog):
    config = make_config(broker.port, serial_port=str(cable.link))
    watcher = watch(config, READING)
    running = run_bridge(config)
    rng = random.Random(7)
    garbage = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80))).replace(b"\n", b"") + b"\n"
               for _ in range(500)]
    garbage += [line(1)[:-5] + b"dead\n", b'{"v":1,"node":"bed-1","seq":1}*' + b"0" * 8 + b"\n",
                b"x" * 10_000 + b"\n", b"\xff" * 3000, b"\n",
                encode_line({"v": 1, "node": "unknown-bed", "seq": 1, "raw": 3})]
    with caplog.at_level(logging.WARNING, logger="kiosk.garden.bridge"):
        for chunk in garbage:
            cable.write(chunk)
        cable.write(b"\n" + line(99))
        watcher.wait_for(READING, lambda p: p["seq"] == 99)
    assert [p["seq"] for p in watcher.payloads(READING)] == [99]
    assert running.bridge.counts["bad"] >= 500
    assert running.bridge.counts["unknown_node"] == 1
    assert len(caplog.records) <= 5      # one line per kind of trouble, not one per bad line


def test_a_reading_queued_before_the_upgrade_still_goes_out(broker, make_config, cable, run_bridge, watch):
    config = make_config(broker.port, serial_port=str(cable.link))
    with Database(config.data_dir / "bridge.sqlite", MIGRATIONS[:1]) as before:   # the previous version's file
        before.write(lambda conn: outbox_table.put(conn, READING, encode(
            {"ts": "2026-05-01T10:00:00Z", "node": "bed-1", "seq": 7, "raw": 40000})))
    watcher = watch(config, READING)
    running = run_bridge(config)
    assert "delivery" not in watcher.wait_for(READING, lambda p: p["seq"] == 7)
    # It was queued under the old promise (gone once the broker has it), not left behind for ever.
    assert wait_until(lambda: running.bridge.outbox.pending() == 0)
