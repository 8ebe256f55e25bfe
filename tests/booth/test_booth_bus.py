"""The booth on MQTT: simulate, events through broker outages, summary, staff commands."""

from __future__ import annotations

import logging
import threading
import time

from kiosk.bus import Bus
from tests.booth.conftest import ANNA, BEN, BOOK1, BOOK2, BOOK3, EVENTS, SIMULATE, SUMMARY


def driver(config):
    bus = Bus(config, "staff-ui", announce=False).start()
    assert bus.wait_connected(10)
    return bus


def simulate_tap(bus, booth, uid):
    before = len(booth.confirmed)
    bus.publish(SIMULATE, {"uid": uid, "present": True}).wait_for_publish(5)
    payloads = booth.wait_confirmed(before + 1)
    bus.publish(SIMULATE, {"uid": uid, "present": False}).wait_for_publish(5)
    deadline = time.monotonic() + 5
    while bytes.fromhex(uid) in booth.reader.present and time.monotonic() < deadline:
        time.sleep(0.005)
    return payloads


def test_simulate_drives_the_emulated_field(stocked, run_booth, watch):
    config = stocked()
    watcher = watch(config, EVENTS)
    booth = run_booth(config)
    bus = driver(config)
    simulate_tap(bus, booth, ANNA)
    simulate_tap(bus, booth, BOOK1)
    checkout = watcher.wait_for(EVENTS, lambda p: p["type"] == "checkout")
    assert (checkout["card"], checkout["book"]["id"], checkout["loans"]) == ("Lesefuchs 1", 1, 1)
    bus.stop()


def test_garbage_on_simulate_changes_nothing_and_is_logged_throttled(stocked, run_booth, caplog):
    booth = run_booth(stocked())
    bus = driver(booth.config)
    garbage = [b"not json", b"[1,2]", b'{"uid": 42, "present": true}', b'{"uid": "zz", "present": true}',
               b'{"uid": "04a1b2c3d4", "present": true}', b'{"uid": "04a1b2c3"}', b'{"uid": "04a1b2c3", "present": "yes"}',
               b"\xff\xfe", b"", b"[" * 5000, b'{"uid": "04a1b2c3", "present": NaN}']
    with caplog.at_level(logging.WARNING):
        for payload in garbage * 3:
            bus.publish(SIMULATE, payload).wait_for_publish(5)
        time.sleep(0.5)
    assert len(booth.field) == 0 and booth.confirmed == []
    warnings = [r.getMessage() for r in caplog.records if "bad message" in r.getMessage()]
    assert 1 <= len(warnings) < len(garbage)            # logged, but not once per message
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]   # bad input, no bug
    assert booth.thread.is_alive()
    assert simulate_tap(bus, booth, ANNA)[0]["type"] == "session_start"   # and the booth still works
    bus.stop()


def test_broker_down_lending_goes_on_and_events_arrive_in_order(stocked, run_booth, broker, watch):
    config = stocked()
    watcher = watch(config, EVENTS, persistent=True)
    booth = run_booth(config)
    booth.tap(ANNA)
    watcher.wait_for(EVENTS, lambda p: p["type"] == "session_start")
    broker.stop()
    made = []
    for uid in (BOOK1, BOOK2, ANNA, BOOK1, BEN, BOOK3):    # checkouts, close, a return, a new session...
        made += booth.tap(uid)
    assert [p["type"] for p in made] == ["checkout", "checkout", "session_end", "return", "session_start",
                                         "checkout"]
    assert booth.booth.outbox.pending() == 6
    broker.start()
    watcher.wait_for(EVENTS, lambda p: p["type"] == "checkout" and p["card"] == "Bücherwurm 2", timeout=20)
    received = watcher.payloads(EVENTS)
    assert received[1:] == made
    deadline = time.monotonic() + 5
    while booth.booth.outbox.pending() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert booth.booth.outbox.pending() == 0


def test_summary_is_retained_and_follows_changes(stocked, run_booth, watch):
    config = stocked()
    booth = run_booth(config)
    booth.tap(ANNA)
    booth.tap(BOOK1)
    booth.tap(BOOK2)
    booth.clock.advance(22 * 86400)
    booth.tap(BOOK2)                      # the session timed out: a return
    late = watch(config, SUMMARY)         # subscribes after the fact: the summary is retained
    summary = late.wait_for(SUMMARY, lambda p: p["active_loans"] == 1)
    assert summary["overdue"] == [{"book": {"id": 1, "title": "Die kleine Raupe Nimmersatt"},
                                   "card": "Lesefuchs 1", "due": summary["overdue"][0]["due"]}]
    assert summary["month"]["returns"] == 1       # this month (22 days on) saw the return


def test_staff_commands_block_register_title(stocked, run_booth, watch):
    config = stocked()
    booth = run_booth(config)
    staff = driver(config)
    booth.tap(ANNA)
    reply = staff.request("booth", "block", {"card": "Lesefuchs 1", "blocked": True})
    assert reply == {"ok": True, "card": "Lesefuchs 1", "blocked": True}
    assert booth.tap(ANNA)[0]["reason"] == "blocked"
    assert staff.request("booth", "block", {"card": "Niemand 99", "blocked": True})["ok"] is False
    assert staff.request("booth", "register", {"mode": "books"}) == {"ok": True, "mode": "books"}
    new = booth.tap("b0000077")[0]
    assert new["book"]["title"] == "Buch 5"
    assert staff.request("booth", "title", {"book": 5, "title": "Jim Knopf"}) == \
        {"ok": True, "book": {"id": 5, "title": "Jim Knopf"}}
    bad = staff.request("booth", "register", {"mode": "everything"})
    assert bad["ok"] is False and "mode" in bad["error"]
    assert staff.request("booth", "title", {"book": 5, "title": ""})["ok"] is False
    staff.request("booth", "register", {"mode": "off"})
    staff.request("booth", "block", {"card": "Lesefuchs 1", "blocked": False})
    booth.tap(BEN)
    assert booth.tap("b0000077")[0]["book"] == {"id": 5, "title": "Jim Knopf"}
    staff.stop()


def test_a_book_number_beyond_sqlite_is_refused_and_the_booth_goes_on(stocked, run_booth):
    booth = run_booth(stocked())
    staff = driver(booth.config)
    for request in ({"book": 2**62 * 4, "title": "y"}, {"book": -1, "title": "y"}, {"book": "1", "title": "y"},
                    {"book": 1, "title": ["y"]}, {"title": "y"}):
        reply = staff.request("booth", "title", request)
        assert reply["ok"] is False and reply["error"], request
    assert booth.thread.is_alive()
    assert staff.request("booth", "title", {"book": 1, "title": "Die Raupe"}) == \
        {"ok": True, "book": {"id": 1, "title": "Die Raupe"}}
    assert booth.tap(ANNA)[0]["type"] == "session_start"
    staff.stop()


class BusyWithSomethingLong:
    """An inbox item that holds the booth's loop until released (the loop runs items with `run()`)."""

    def __init__(self):
        self.started = threading.Event()
        self.release = threading.Event()

    def run(self):
        self.started.set()
        self.release.wait(60)


def test_a_staff_command_waits_for_the_busy_loop_while_the_bus_goes_on(stocked, run_booth):
    booth = run_booth(stocked())
    staff = driver(booth.config)
    busy = BusyWithSomethingLong()
    booth.booth.inbox.put(busy)
    assert busy.started.wait(10)
    replies: list = []
    asking = threading.Thread(target=lambda: replies.append(
        staff.request("booth", "register", {"mode": "books"}, timeout=30)))
    asking.start()
    deadline = time.monotonic() + 30
    while booth.booth.inbox.empty() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not booth.booth.inbox.empty(), "the command did not reach the booth's inbox"
    # While the command waits for the loop, paho's thread still takes the next message.
    staff.publish(SIMULATE, {"uid": ANNA, "present": True}).wait_for_publish(5)
    deadline = time.monotonic() + 30
    while ANNA not in booth.field and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ANNA in booth.field, "booth/simulate was not handled while a command waited"
    assert replies == []
    busy.release.set()
    asking.join(40)
    assert replies == [{"ok": True, "mode": "books"}]
    staff.stop()
