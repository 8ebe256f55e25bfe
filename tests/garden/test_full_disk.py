"""A full disk under the bridge or under garden: the service stays up, says so, and catches up.

The data folder is a small tmpfs that the test really fills (you need to be root
to mount one; CI is), so SQLite meets a true ENOSPC, as on a full SD card.
"""

from __future__ import annotations

import logging
import time

import pytest

from kiosk.bus import Bus
from kiosk.bus.faults import FaultReport
from kiosk.garden.line_protocol import encode_line

from .test_bridge import RunningBridge, wait_until

FAULTS = "batenbrock/test-1/{}/faults"


@pytest.fixture
def bridges():
    started = []

    def start(config) -> RunningBridge:
        started.append(RunningBridge(config))
        return started[-1]
    yield start
    for running in started:
        running.stop()


def line(seq: int) -> bytes:
    return encode_line({"v": 1, "node": "bed-1", "seq": seq, "raw": 40000})


def stored_seqs(garden) -> list[int]:
    return [row["seq"] for row in garden.store.db.rows("SELECT seq FROM readings ORDER BY seq")]


def feed_until_fault(cable, watcher, service: str, first_seq: int) -> int:
    """Write readings in small chunks until `service` reports a disk fault; returns the next seq."""
    seq = first_seq
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        cable.write(b"".join(line(s) for s in range(seq, seq + 20)))
        seq += 20
        try:
            watcher.wait_for(FAULTS.format(service), lambda p: "disk" in p["faults"], timeout=0.3)
            return seq
        except AssertionError:
            continue
    raise AssertionError(f"{service} did not report the full disk ({seq - first_seq} readings written)")


def test_bridge_keeps_reading_on_a_full_disk_and_catches_up(small_disk, tmp_path, broker, make_config, cable,
                                                             bridges, run_garden, watch, caplog):
    garden = run_garden(make_config(broker.port, data_dir=tmp_path / "garden-data"))
    config = make_config(broker.port, serial_port=str(cable.link), data_dir=small_disk.data)
    watcher = watch(config, FAULTS.format("bridge"))
    running = bridges(config)
    cable.write(b"".join(line(seq) for seq in range(10)))
    assert wait_until(lambda: len(stored_seqs(garden)) == 10)

    small_disk.fill()
    with caplog.at_level(logging.WARNING, logger="kiosk.garden.bridge"):
        seq = feed_until_fault(cable, watcher, "bridge", 10)
        report = watcher.wait_for(FAULTS.format("bridge"), lambda p: "disk" in p["faults"])
        fault = FaultReport.from_payload(report).faults
        assert "Speicher ist voll" in fault["disk"].message            # words for staff, no traceback
        cable.write(b"".join(line(s) for s in range(seq, seq + 100)))   # still coming in while full
        seq += 100
        time.sleep(3)                                                   # past a retry or two
        assert running.thread.is_alive()
        complaints = [r for r in caplog.records if "cannot store" in r.getMessage()]
        assert 1 <= len(complaints) <= 2                                # throttled, not one per line

    small_disk.free()
    watcher.wait_for(FAULTS.format("bridge"), lambda p: p["faults"] == {}, timeout=20)
    assert wait_until(lambda: len(stored_seqs(garden)) >= seq, timeout=30), len(stored_seqs(garden))
    assert stored_seqs(garden) == list(range(seq))                      # all of them, each once, none lost
    assert wait_until(lambda: running.bridge.outbox.pending() == 0)


def test_garden_keeps_running_on_a_full_disk_stores_late_and_confirms_only_what_it_stored(
        small_disk, tmp_path, broker, make_config, cable, bridges, run_garden, watch):
    bridge = bridges(make_config(broker.port, serial_port=str(cable.link), data_dir=tmp_path / "bridge-data"))
    config = make_config(broker.port, serial_port=str(cable.link), data_dir=small_disk.data)
    watcher = watch(config, FAULTS.format("garden"))
    garden = run_garden(config)
    cable.write(b"".join(line(seq) for seq in range(10)))
    assert wait_until(lambda: len(stored_seqs(garden)) == 10)
    assert wait_until(lambda: bridge.bridge.outbox.pending() == 0)

    small_disk.fill()
    seq = feed_until_fault(cable, watcher, "garden", 10)
    report = watcher.wait_for(FAULTS.format("garden"), lambda p: "disk" in p["faults"])
    fault = FaultReport.from_payload(report).faults
    assert "Speicher ist voll" in fault["disk"].message
    cable.write(b"".join(line(s) for s in range(seq, seq + 50)))
    seq += 50
    esp32 = Bus(config, "node-bed-2", announce=False).start()     # a node publishing for itself
    assert esp32.wait_connected(10)
    esp32.publish(esp32.topics.garden_reading("bed-1"), {"node": "bed-1", "seq": 100_000, "raw": 40000}
                  ).wait_for_publish(5)
    time.sleep(3)
    assert garden.thread.is_alive()
    # What garden could not store it did not confirm: the bridge still holds it.
    unstored = seq - len(stored_seqs(garden))
    assert unstored > 50 and bridge.bridge.outbox.pending() >= unstored

    small_disk.free()
    watcher.wait_for(FAULTS.format("garden"), lambda p: p["faults"] == {}, timeout=30)
    assert wait_until(lambda: len(stored_seqs(garden)) >= seq + 1, timeout=60), len(stored_seqs(garden))
    assert stored_seqs(garden) == list(range(seq)) + [100_000]
    assert wait_until(lambda: bridge.bridge.outbox.pending() == 0, timeout=30)
    esp32.stop()
