import itertools
import os
import select
import threading
import time

import pytest

from firmware.host import WatchdogReset, load_protocol, open_pty, run_node

PROTOCOL = load_protocol()


def parse_all(lines):
    parsed = [PROTOCOL.parse(line) for line in lines]
    assert None not in parsed, lines
    return parsed


def test_boot_line_then_readings_with_increasing_seq(pico):
    rig = pico(lambda: 31000)
    lines = rig.run(max_readings=4)
    assert lines[0] == '{"v":1,"node":"bed-1","event":"boot","fw":"1.0.0"}*7139eaaa\n'
    msgs = parse_all(lines)
    assert [m["seq"] for m in msgs[1:]] == [1, 2, 3, 4]
    assert all(m["raw"] == 31000 and m["node"] == "bed-1" and m["v"] == 1 for m in msgs[1:])
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)


def test_temperature_from_internal_sensor(pico):
    msgs = parse_all(pico(lambda: 31000).run(max_readings=1))
    assert msgs[1]["t"] == pytest.approx(21.0, abs=0.3)


def test_median_rejects_a_spike_in_the_main_loop(pico):
    # Each reading takes 9 samples; one in nine is a spike to the rail.
    samples = itertools.cycle([40000, 40010, 65535, 39990, 40005, 40002, 39995, 40001, 40003])
    msgs = parse_all(pico(lambda: next(samples)).run(max_readings=3))
    assert [m["raw"] for m in msgs[1:]] == [40002, 40002, 40002]


def test_interval_between_readings_is_steady(pico):
    rig = pico(lambda: 31000)
    rig.run(max_readings=4)
    power_on = [ms for ms, what, ident, value in rig.board.log
                if what == "pin" and ident == 22 and value == 1]
    assert [b - a for a, b in zip(power_on, power_on[1:])] == [60000, 60000, 60000]


def test_sleep_ms_overrides_interval(pico):
    rig = pico(lambda: 31000)
    rig.run(max_readings=3, sleep_ms=2000)
    assert rig.board.clock.now_ms < 5000


def test_watchdog_started_and_fed_through_long_intervals(pico):
    rig = pico(lambda: 31000)
    rig.run(max_readings=5)  # four 60 s sleeps: a missed feed would raise WatchdogReset
    assert rig.board.wdt_timeout == 8000
    assert rig.board.wdt_feeds >= 4 * 60


def test_watchdog_would_catch_an_unfed_sleep(pico):
    rig = pico(lambda: 31000, SLEEP_CHUNK_MS=10000)
    with pytest.raises(WatchdogReset):
        rig.run(max_readings=2)


def test_nowdt_file_skips_watchdog(pico):
    rig = pico(lambda: 31000, files={"nowdt"})
    rig.run(max_readings=2)
    assert rig.board.wdt_timeout is None


@pytest.mark.parametrize("value, reason", [(0, "stuck_low"), (65535, "stuck_high")])
def test_stuck_adc_sends_fault_instead_of_reading(pico, value, reason):
    msgs = parse_all(pico(lambda: value).run(max_readings=2))
    assert msgs[0]["event"] == "boot"
    assert msgs[1:] == [{"v": 1, "node": "bed-1", "event": "fault", "reason": reason}] * 2


def test_seq_counts_only_readings_across_a_fault(pico):
    values = iter([30000] * 9 + [0] * 9 + [30000] * 9)
    msgs = parse_all(pico(lambda: next(values)).run(max_readings=3))
    assert [m.get("seq", m.get("event")) for m in msgs] == ["boot", 1, "fault", 2]


def test_run_node_writes_bytes_with_configured_node():
    out = []
    board = run_node(out.append, lambda: 45000, node="bed-7", interval_ms=1000,
                     max_readings=2, realtime=False)
    msgs = parse_all(out)
    assert all(isinstance(line, bytes) for line in out)
    assert [m["node"] for m in msgs] == ["bed-7"] * 3
    assert board.clock.now_ms < 3000


def test_run_node_drifting_source_for_the_demo():
    level = itertools.count(30000, 500)
    out = []
    run_node(out.append, lambda: next(level), max_readings=3, realtime=False)
    raws = [m["raw"] for m in parse_all(out)[1:]]
    assert raws == sorted(raws) and raws[0] < raws[-1]


def test_run_node_over_a_pty_until_stopped():
    port = open_pty()
    stop = threading.Event()
    reader = os.open(port.path, os.O_RDONLY | os.O_NOCTTY)
    thread = threading.Thread(target=run_node, args=(port.write, lambda: 33000),
                              kwargs={"interval_ms": 50, "stop": stop}, daemon=True)
    try:
        thread.start()
        data = b""
        deadline = time.monotonic() + 10
        while data.count(b"\n") < 3 and time.monotonic() < deadline:
            if select.select([reader], [], [], 0.5)[0]:
                data += os.read(reader, 4096)
        stop.set()
        thread.join(5)
        assert not thread.is_alive()
        msgs = parse_all(data.split(b"\n")[:3])
        assert msgs[0]["event"] == "boot"
        assert [m["seq"] for m in msgs[1:]] == [1, 2]
    finally:
        stop.set()
        os.close(reader)
        port.close()


def test_pty_write_does_not_block_without_a_reader():
    # Nobody has the port open: like USB CDC without a host, lines beyond what the pty holds are
    # dropped, and the node goes on measuring instead of hanging in write().
    port = open_pty()
    lines = 2000                   # ~130 kB, far more than a pty buffers
    done = threading.Event()

    def write_all():
        for _ in range(lines):
            port.write(b"x" * 64 + b"\n")
        done.set()

    reader = None
    try:
        threading.Thread(target=write_all, daemon=True).start()
        assert done.wait(10), "a write blocked while nobody was reading"
        reader = os.open(port.path, os.O_RDONLY | os.O_NOCTTY)
        kept = b""
        while select.select([reader], [], [], 0.5)[0]:
            kept += os.read(reader, 65536)
        assert 0 < kept.count(b"\n") < lines            # what fitted waited; the rest was dropped
        port.write(b"fresh\n")                          # once someone reads, new lines get through
        assert select.select([reader], [], [], 5)[0] and os.read(reader, 4096) == b"fresh\n"
    finally:
        if reader is not None:
            os.close(reader)
        port.close()
