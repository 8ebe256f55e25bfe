"""What staff get: one notice per change, reminders at most once a period, ack, retries, calibration."""

from __future__ import annotations

import queue
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from kiosk.bus import Bus
from kiosk.garden import notify
from kiosk.garden.notify import Notifier
from kiosk.garden.service import Garden
from kiosk.garden.store import GardenStore

from .staff_inbox import MailInbox, wait_until
from .test_garden_service import DRY_RAW, publisher, send

FAULTS = "batenbrock/test-1/garden/faults"


class SteppedGarden:
    """kiosk garden without its worker thread: the test hands it what arrived and ticks it, each
    time at a clock time the test chose, so a check can neither come late nor be skipped."""

    def __init__(self, config, clock):
        self.store = GardenStore.open(config)
        self.db = self.store.db
        self.bus = Bus(config, "garden", persistent=True)
        self.garden = Garden(config, self.bus, self.store, clock=clock,
                             notifier=Notifier(config.garden.notify, self.store))
        self.garden.attach()
        self.bus.start()
        assert self.bus.wait_connected(10)

    def step(self) -> None:
        """One turn of Garden.run(): handle everything that has arrived, then tick."""
        batch = []
        while True:
            try:
                batch.append(self.garden.inbox.get_nowait())
            except queue.Empty:
                break
        self.garden.process(batch)
        self.garden.tick()

    def step_until(self, condition, what: str) -> None:
        deadline = time.monotonic() + 20
        while not condition():
            assert time.monotonic() < deadline, f"{what}: not within 20 s"
            self.step()
            time.sleep(0.02)

    def request(self, staff: Bus, name: str, payload: dict) -> dict:
        """A staff request, answered by stepping the garden (its worker runs the command)."""
        with ThreadPoolExecutor(1) as pool:
            reply = pool.submit(staff.request, "garden", name, payload)
            self.step_until(reply.done, f"the answer to {name}")
            return reply.result()

    def events(self) -> list[str]:
        return [row["event"] for row in self.store.db.dicts("SELECT event FROM notices ORDER BY id")]

    def close(self) -> None:
        self.bus.stop()
        self.db.close()


@pytest.fixture
def stepped_garden():
    made: list[SteppedGarden] = []

    def start(config, clock) -> SteppedGarden:
        made.append(SteppedGarden(config, clock))
        return made[-1]
    yield start
    for garden in made:
        garden.close()


def test_reminder_at_most_once_per_period_and_none_after_acknowledge(broker, make_config, stepped_garden, watch):
    config = make_config(broker.port, reminder_every_s=3600, stale_after_s=10**6)
    now = [1_800_000_000.0]
    garden = stepped_garden(config, clock=lambda: now[0])
    node = publisher(config)
    send(node, config, [DRY_RAW] * 3, stamped=False)     # the garden stamps them with its (test) clock
    garden.step_until(lambda: garden.store.notice_count() == 1, what="raised notice")
    now[0] += 3599
    garden.step()
    assert garden.events() == ["raised"]                 # a second before the period is over
    now[0] += 1
    garden.step()
    garden.step()
    assert garden.events() == ["raised", "reminder"]     # the period is over: one reminder, however often it ticks
    now[0] += 3599
    garden.step()
    assert garden.events() == ["raised", "reminder"]     # the next period counts from the reminder

    staff = Bus(config, "ui", announce=False).start()
    reply = garden.request(staff, "ack", {"node": "bed-1"})
    assert reply == {"ok": True, "active": True, "acknowledged": True}
    alert = watch(config, "batenbrock/test-1/garden/bed-1/alert").wait_for(
        "batenbrock/test-1/garden/bed-1/alert", lambda p: p["acknowledged"])
    assert alert["active"] and alert["kind"] == "dry"
    for _ in range(10):                                  # ten hours, an hour at a time
        now[0] += 3600
        garden.step()
    assert garden.events() == ["raised", "reminder"]
    assert garden.request(staff, "ack", {"node": "nope"})["ok"] is False
    staff.stop()
    node.stop()


def test_mail_server_away_then_back_delivers_each_notice_once(broker, make_config, run_garden, tmp_path,
                                                             monkeypatch, watch):
    monkeypatch.setattr(notify, "RETRY_MIN_S", 0.2)
    mail = MailInbox(tmp_path)                # not started yet: the office's mail server is down
    config = make_config(broker.port, extra=mail.config_toml())
    faults = watch(config, FAULTS)
    running = run_garden(config)
    node = publisher(config)
    send(node, config, [DRY_RAW] * 3)
    wait_until(lambda: running.store.notice_count() == 1, what="notice recorded")
    faults.wait_for(FAULTS, lambda p: "notify" in p["faults"])     # it tried to send, and failed
    assert running.store.pending_notices("email")                 # waiting, not lost
    mail.start()
    try:
        wait_until(lambda: not running.store.pending_notices("email"), timeout=30,
                   what="delivery after the server came back")
        assert mail.subjects() == ["Kräuterbeet: Bitte gießen"]
    finally:
        mail.stop()
        node.stop()


def test_admin_calibrate_takes_the_latest_raw_reading_and_the_running_garden_uses_it(
        broker, make_config, run_garden, watch):
    config = make_config(broker.port)
    running = run_garden(config)
    node = publisher(config)
    send(node, config, [50500])
    wait_until(lambda: running.store.count_readings() == 1, what="reading stored")
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", config.source, "admin", "calibrate",
                             "bed-1", "--dry"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "saved raw 50500 as the dry point" in result.stdout
    watcher = watch(config, "batenbrock/test-1/garden/bed-1/state")
    send(node, config, [50500], start_seq=1)
    state = watcher.wait_for("batenbrock/test-1/garden/bed-1/state", lambda p: p["moisture"] == 0.0)
    assert state["moisture"] == 0.0
    node.stop()


def test_admin_calibrate_refuses_unknown_node_and_missing_readings(make_config):
    config = make_config(1)
    for args, message in [(["nope", "--dry"], "unknown sensor node 'nope'"),
                          (["bed-1", "--wet"], "no reading from node 'bed-1' yet")]:
        result = subprocess.run([sys.executable, "-m", "kiosk", "--config", config.source, "admin", "calibrate",
                                 *args], capture_output=True, text=True, timeout=30)
        assert result.returncode == 2
        assert message in result.stderr and "Traceback" not in result.stderr
