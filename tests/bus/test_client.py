"""The MQTT wrapper against a real Mosquitto: birth and will, resubscribe, bad payloads, commands."""

from __future__ import annotations

import logging
import queue
import subprocess
import sys
import textwrap
import threading
import time

from kiosk.bus import Bus
from kiosk.bus.broker import LocalBroker, free_port
from kiosk.bus.client import INTERNAL_ERROR
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


def test_every_request_is_answered_even_garbage_and_bugs(broker, make_config, caplog):
    config = make_config(broker.port)
    server = Bus(config, "garden")

    def buggy(request):
        return {"share": 1 / request["n"]}       # {"n": 0}: a bug, not the requester's fault

    server.serve("divide", buggy)
    server.start()
    client = Bus(config, "ui", announce=False).start()
    assert server.wait_connected(10) and client.wait_connected(10)
    assert client.request("garden", "divide", {"n": 4}) == {"ok": True, "share": 0.25}
    with caplog.at_level(logging.WARNING):
        for payload in (b"[" * 5000, b"\xff\xfe", b"[1, 2]", b'{"n": NaN}', b"", b'{"n": %d}' % 2**70):
            reply = client.request("garden", "divide", payload)
            assert reply["ok"] is False and reply["error"] and reply["error"] != INTERNAL_ERROR, payload
        for _ in range(3):
            assert client.request("garden", "divide", {"n": 0}) == {"ok": False, "error": INTERNAL_ERROR}
    tracebacks = [r for r in caplog.records if "ZeroDivisionError" in r.getMessage()]
    assert len(tracebacks) == 1          # the bug is logged with its traceback, once, not per request
    assert "Traceback" in tracebacks[0].getMessage()
    server.stop()
    client.stop()


def test_a_command_waits_for_the_worker_while_other_messages_still_move(broker, make_config):
    """paho's thread only hands the command over: with the worker busy, other messages still arrive."""
    config = make_config(broker.port)
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    worker_free = threading.Event()
    ran_on: list[str] = []

    def title(request):
        ran_on.append(threading.current_thread().name)
        return {"title": request["title"]}

    def work():
        worker_free.wait(30)             # the service's worker is busy with something long
        while (command := inbox.get()) is not None:
            command.run()

    server = Bus(config, "booth")
    server.serve("title", title, worker=inbox.put)
    other: queue.Queue = queue.Queue()
    server.subscribe("batenbrock/test-1/booth/simulate", other.put)
    server.start()
    worker = threading.Thread(target=work, name="worker")
    worker.start()
    client = Bus(config, "ui", announce=False).start()
    assert server.wait_connected(10) and client.wait_connected(10)
    replies: queue.Queue = queue.Queue()
    asking = threading.Thread(target=lambda: replies.put(client.request("booth", "title", {"title": "Momo"},
                                                                        timeout=30)))
    asking.start()
    deadline = time.monotonic() + 30
    while inbox.empty() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not inbox.empty(), "the command was not handed to the worker"
    client.publish("batenbrock/test-1/booth/simulate", {"uid": "04a1b2c3", "present": True})
    assert other.get(timeout=10).json()["uid"] == "04a1b2c3"     # arrives while the command waits
    assert replies.empty()
    worker_free.set()
    assert replies.get(timeout=30) == {"ok": True, "title": "Momo"}
    assert ran_on == ["worker"]          # run, and answered, on the worker
    inbox.put(None)
    worker.join(10)
    asking.join(10)
    server.stop()
    client.stop()


def test_a_broker_that_is_not_there_at_start_is_logged_at_once_then_throttled(tmp_path, make_config, caplog):
    port = free_port()                   # nothing listens here yet
    config = make_config(port)
    bus = Bus(config, "garden")

    def complaints():
        return [r for r in caplog.records if r.levelno >= logging.WARNING
                and f"cannot reach the broker at 127.0.0.1:{port}" in r.getMessage()]

    with caplog.at_level(logging.WARNING):
        bus.start()
        deadline = time.monotonic() + 10
        while not complaints() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(complaints()) == 1, "the first failed connect must be logged at once"
        time.sleep(3.5)                  # paho retries after 1 s and 2 s meanwhile
        assert len(complaints()) == 1, "retries within a minute are counted, not logged each"
        with LocalBroker(tmp_path / "late-broker", port=port):
            assert bus.wait_connected(30), "connects by itself once the broker is up"
    bus.stop()


def test_an_oversized_request_is_dropped_unread_and_still_answered(broker, make_config):
    config = make_config(broker.port)
    server = Bus(config, "garden")
    seen: list = []
    server.serve("ack", lambda request: seen.append(request) or {})
    server.start()
    client = Bus(config, "ui", announce=False).start()
    assert server.wait_connected(10) and client.wait_connected(10)
    reply = client.request("garden", "ack", b'{"node": "' + b"x" * (1024 * 1024) + b'"}')
    assert reply["ok"] is False and "bytes" in reply["error"] and seen == []
    assert client.request("garden", "ack", {"node": "bed-1"}) == {"ok": True}
    server.stop()
    client.stop()
