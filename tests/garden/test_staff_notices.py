"""What staff get: one notice per change, reminders at most once a period, ack, retries, calibration."""

from __future__ import annotations

import subprocess
import sys
import time

from kiosk.bus import Bus
from kiosk.garden import notify

from .staff_inbox import MailInbox, wait_until
from .test_garden_service import DRY_RAW, publisher, send


def test_reminder_at_most_once_per_period_and_none_after_acknowledge(broker, make_config, run_garden, watch):
    config = make_config(broker.port, reminder_every_s=3600, stale_after_s=10**6)
    now = [1_800_000_000.0]
    running = run_garden(config, clock=lambda: now[0])
    node = publisher(config)
    send(node, config, [DRY_RAW] * 3, stamped=False)     # the garden stamps them with its (test) clock
    wait_until(lambda: running.store.notice_count() == 1, what="raised notice")
    now[0] += 1800
    time.sleep(1.5)
    assert running.store.notice_count() == 1
    now[0] += 1801
    wait_until(lambda: running.store.notice_count() == 2, what="first reminder")
    time.sleep(1.5)
    assert running.store.db.dicts("SELECT event FROM notices ORDER BY id") == [{"event": "raised"},
                                                                                {"event": "reminder"}]
    staff = Bus(config, "ui", announce=False).start()
    reply = staff.request("garden", "ack", {"node": "bed-1"})
    assert reply == {"ok": True, "active": True, "acknowledged": True}
    alert = watch(config, "batenbrock/test-1/garden/bed-1/alert").wait_for(
        "batenbrock/test-1/garden/bed-1/alert", lambda p: p["acknowledged"])
    assert alert["active"] and alert["kind"] == "dry"
    now[0] += 10 * 3600
    time.sleep(1.5)
    assert running.store.notice_count() == 2
    assert staff.request("garden", "ack", {"node": "nope"})["ok"] is False
    staff.stop()
    node.stop()


def test_mail_server_away_then_back_delivers_each_notice_once(broker, make_config, run_garden, tmp_path,
                                                             monkeypatch):
    monkeypatch.setattr(notify, "RETRY_MIN_S", 0.2)
    mail = MailInbox(tmp_path)                # not started yet: the office's mail server is down
    config = make_config(broker.port, extra=mail.config_toml())
    running = run_garden(config)
    node = publisher(config)
    send(node, config, [DRY_RAW] * 3)
    wait_until(lambda: running.store.notice_count() == 1, what="notice recorded")
    time.sleep(0.5)
    assert running.store.pending_notices("email")            # waiting, not lost
    mail.start()
    try:
        wait_until(lambda: len(mail.messages) == 1, timeout=30, what="delivery after the server came back")
        time.sleep(1.0)
        assert mail.subjects() == ["Kräuterbeet: Bitte gießen"]
        assert not running.store.pending_notices("email")
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
