"""The MQTT wrapper against a real Mosquitto: birth and will, resubscribe, bad payloads, commands."""

from __future__ import annotations

import queue
import subprocess
import sys
import textwrap

from kiosk.bus import Bus
from kiosk.errors import BusError, NotFoundError


def test_online_birth_and_offline_last_will_are_retained(broker, make_config, watch, tmp_path):
    config = make_config(broker.port)
    watcher = watch(config, "batenbrock/test-1/+/status")
    code = textwrap.dedent(f"""
        import os, time
        from kiosk import config as c
        from kiosk.bus import Bus
        bus = Bus(c.load({config.source!r}), "garden").start()
        assert bus.wait_connected(10)
        time.sleep(0.5)
        os.kill(os.getpid(), 9)       # no goodbye: the broker sends the last will
    """)
    subprocess.run([sys.executable, "-c", code], timeout=30)
    assert watcher.wait_for("batenbrock/test-1/garden/status", lambda p: p == "online")
    assert watcher.wait_for("batenbrock/test-1/garden/status", lambda p: p == "offline", timeout=60)
    late = watch(config, "batenbrock/test-1/garden/status")
    assert late.wait_for("batenbrock/test-1/garden/status") == "offline"      # retained


def test_subscriptions_come_back_after_a_broker_restart(broker, make_config):
    config = make_config(broker.port)
    received: queue.Queue = queue.Queue()
    listener = Bus(config, "ui", announce=False)
    listener.subscribe("batenbrock/test-1/garden/+/state", received.put)
    listener.start()
    assert listener.wait_connected(10)
    broker.restart()
    listener.connected.clear()
    assert listener.wait_connected(30), "did not reconnect"
    sender = Bus(config, "garden", announce=False).start()
    assert sender.wait_connected(10)
    sender.publish("batenbrock/test-1/garden/bed-1/state", {"moisture": 40}).wait_for_publish(5)
    assert received.get(timeout=10).json() == {"moisture": 40}
    listener.stop()
    sender.stop()


def test_a_failing_or_bad_payload_handler_does_not_stop_later_messages(broker, make_config):
    config = make_config(broker.port)
    good: queue.Queue = queue.Queue()
    bus = Bus(config, "ui", announce=False)

    def strict(message):
        message.json_object()                # raises ProtocolError on garbage
        good.put(message.json_object())

    def buggy(message):
        raise RuntimeError("a bug in a handler")

    bus.subscribe("t/#", strict)
    bus.subscribe("t/#", buggy)
    bus.start()
    assert bus.wait_connected(10)
    for payload in [b"\xff\x00", b"[1,2]", b"{", b'{"ok": 1}']:
        bus.publish("t/x", payload).wait_for_publish(5)
    assert good.get(timeout=10) == {"ok": 1}
    bus.stop()


def test_command_request_and_reply_over_mqtt_v5(broker, make_config):
    config = make_config(broker.port)
    server = Bus(config, "garden")

    def ack(request):
        if request.get("node") != "bed-1":
            raise NotFoundError("unknown sensor node")
        return {"acknowledged": True}

    server.serve("ack", ack)
    server.start()
    client = Bus(config, "ui", announce=False).start()
    assert server.wait_connected(10) and client.wait_connected(10)
    assert client.request("garden", "ack", {"node": "bed-1"}) == {"ok": True, "acknowledged": True}
    assert client.request("garden", "ack", {"node": "x"}) == {"ok": False, "error": "unknown sensor node"}
    try:
        client.request("booth", "block", {"card": "Lesefuchs 1"}, timeout=1)
    except BusError as exc:
        assert "booth did not answer" in str(exc)
    else:
        raise AssertionError("a request nobody serves must time out")
    server.stop()
    client.stop()
