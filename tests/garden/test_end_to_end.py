"""The whole herb-bed chain as separate processes, as on the Pi:

firmware (run on the host) → pseudo-terminal → `kiosk bridge` → Mosquitto →
`kiosk garden` → alert on MQTT → e-mail over STARTTLS+login and an ntfy push.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from firmware.host import open_pty, run_node

from .staff_inbox import MailInbox, PushInbox, wait_until

WET, DRY = 28000, 47000   # ≈ 77 % and ≈ 16 % with the test calibration


@pytest.fixture
def inboxes(tmp_path):
    mail, push = MailInbox(tmp_path).start(), PushInbox().start()
    yield mail, push
    mail.stop()
    push.stop()


def start_service(config, name, tmp_path):
    log = open(tmp_path / f"{name}.log", "wb")
    env = {**os.environ, "KIOSK_LOG_LEVEL": "INFO"}
    return subprocess.Popen([sys.executable, "-m", "kiosk", "--config", config.source, name],
                            stdout=log, stderr=subprocess.STDOUT, env=env)


def stop(process):
    process.send_signal(signal.SIGTERM)
    assert process.wait(15) == 0


def test_dry_bed_reaches_staff_by_mail_and_push_then_all_clear(broker, make_config, watch, inboxes, tmp_path):
    mail, push = inboxes
    port = open_pty()
    config = make_config(broker.port, serial_port=port.path, extra=mail.config_toml() + push.config_toml())
    watcher = watch(config, "batenbrock/test-1/#")
    services = [start_service(config, "garden", tmp_path), start_service(config, "bridge", tmp_path)]
    level = [WET]
    stopping = threading.Event()
    node = threading.Thread(target=run_node, args=(port.write, lambda: level[0]),
                            kwargs={"interval_ms": 150, "stop": stopping}, daemon=True)
    try:
        watcher.wait_for("batenbrock/test-1/garden/status", lambda p: p == "online")
        watcher.wait_for("batenbrock/test-1/bridge/status", lambda p: p == "online")
        node.start()
        state = watcher.wait_for("batenbrock/test-1/garden/bed-1/state", lambda p: p["moisture"] is not None)
        assert state["status"] == "ok" and state["moisture"] > 70

        level[0] = DRY
        alert = watcher.wait_for("batenbrock/test-1/garden/bed-1/alert", lambda p: p["active"], timeout=20)
        assert alert["kind"] == "dry" and alert["moisture"] < 30
        wait_until(lambda: mail.subjects() and push.titles(), what="dry notice by mail and push")
        assert mail.subjects() == ["Kräuterbeet: Bitte gießen"]
        assert mail.logins == ["kiosk"]
        assert "Bitte gießen" in mail.messages[0].get_content()
        assert push.pushes[0]["priority"] == "high" and push.pushes[0]["path"] == "/batenbrock-beet"

        level[0] = WET
        watcher.wait_for("batenbrock/test-1/garden/bed-1/alert", lambda p: not p["active"] and p["moisture"]
                         and p["moisture"] > 38, timeout=20)
        wait_until(lambda: len(mail.messages) == 2 and len(push.pushes) == 2, what="all-clear notice")
        assert mail.subjects()[1] == "Kräuterbeet: Alles wieder gut"
        assert "Alles wieder gut" in push.pushes[1]["body"] or push.pushes[1]["title"]
    finally:
        stopping.set()
        for process in services:
            stop(process)
        port.close()
    # Exactly one notice per change: hovering and repeated readings sent nothing else.
    assert len(mail.messages) == 2 and len(push.pushes) == 2
    assistant = watch(config, "homeassistant/#")      # retained: a Home Assistant started later finds it
    discovery = assistant.wait_for("homeassistant/sensor/test-1/bed-1_moisture/config")
    assert discovery["state_topic"] == "batenbrock/test-1/garden/bed-1/state"
    assert watcher.wait_for("batenbrock/test-1/garden/status", lambda p: p == "offline")
