import json
import re

NOW = 1767268800  # 2026-01-01T12:00:00Z
TOPIC = "batenbrock/batenbrock-1/garden/bed-2/"
TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def readings(net):
    return [json.loads(p) for t, p, q, r in net.published if t == TOPIC + "reading"]


def events(net):
    return [json.loads(p) for t, p, q, r in net.published if t == TOPIC + "event"]


def test_publishes_reading_qos1_and_deep_sleeps(esp32):
    rig = esp32(lambda: 38000, ntp_utc_s=NOW)
    assert rig.wake() == 600000
    topics = [(t, q, r) for t, p, q, r in rig.net.published]
    assert (TOPIC + "reading", 1, False) in topics
    [reading] = readings(rig.net)
    assert set(reading) == {"ts", "node", "seq", "raw"}
    assert (reading["node"], reading["seq"], reading["raw"]) == ("bed-2", 1, 38000)
    assert reading["ts"] == "2026-01-01T12:00:00Z"
    assert rig.board.pin_value(25) == 0  # sensor unpowered during deep sleep


def test_mqtt_client_uses_config(esp32):
    rig = esp32(lambda: 38000)
    rig.wake()
    (client_id, host, port, user, password), timeout = rig.net.connects[0]
    assert (client_id, host, port, timeout) == ("batenbrock-1-bed-2", "192.168.1.10", 1883, 4)


def test_boot_event_only_after_power_on(esp32):
    rig = esp32(lambda: 38000, ntp_utc_s=NOW)
    rig.wake()
    rig.wake()
    assert [e["event"] for e in events(rig.net)] == ["boot"]
    assert events(rig.net)[0]["fw"] == "1.0.0"


def test_seq_survives_deep_sleep_in_rtc_memory(esp32):
    rig = esp32(lambda: 38000, ntp_utc_s=NOW)
    for _ in range(3):
        rig.wake()
    assert [r["seq"] for r in readings(rig.net)] == [1, 2, 3]
    stamps = [r["ts"] for r in readings(rig.net)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 3


def test_gives_up_quickly_without_wifi(esp32):
    rig = esp32(lambda: 38000, wifi_after_ms=None)
    assert rig.wake() == 600000
    assert rig.net.published == [] and rig.net.connects == []
    assert rig.awake_ms <= 7000  # settle + Wi-Fi timeout, counted in simulated time


def test_gives_up_quickly_without_broker_and_keeps_reading(esp32):
    rig = esp32(lambda: 38000, broker_up=False, ntp_utc_s=NOW)
    assert rig.wake() == 600000
    assert rig.awake_ms <= 10000
    assert json.loads(rig.board.rtc_memory)["pending"][0]["seq"] == 1
    rig.net.broker_up = True
    rig.wake()
    assert [r["seq"] for r in readings(rig.net)] == [1, 2]
    assert json.loads(rig.board.rtc_memory)["pending"] == []


def test_unsent_readings_are_bounded(esp32):
    rig = esp32(lambda: 38000, broker_up=False, ntp_utc_s=NOW)
    for _ in range(10):
        rig.wake()
    rig.net.broker_up = True
    rig.wake()
    assert [r["seq"] for r in readings(rig.net)] == [6, 7, 8, 9, 10, 11]


def test_without_ntp_reading_has_no_ts(esp32):
    rig = esp32(lambda: 38000, ntp_utc_s=None)
    rig.wake()
    [reading] = readings(rig.net)
    assert "ts" not in reading
    assert rig.awake_ms <= 7000


def test_unsent_reading_without_ts_is_not_kept(esp32):
    # It would be stamped on receipt, one interval late; better to lose it.
    rig = esp32(lambda: 38000, ntp_utc_s=None, broker_up=False)
    rig.wake()
    rig.net.broker_up = True
    rig.wake()
    assert [r["seq"] for r in readings(rig.net)] == [2]


def test_ntp_time_kept_across_wakes_and_stamps(esp32):
    rig = esp32(lambda: 38000, ntp_utc_s=NOW)
    rig.wake()
    rig.net.ntp_utc_s = None  # clock was set once; the RTC keeps it through deep sleep
    rig.wake()
    assert all(TS.match(r["ts"]) for r in readings(rig.net))


def test_stuck_sensor_publishes_fault_not_reading(esp32):
    rig = esp32(lambda: 0, ntp_utc_s=NOW)
    assert rig.wake() == 600000
    assert readings(rig.net) == []
    fault = events(rig.net)[-1]
    assert (fault["node"], fault["event"], fault["reason"]) == ("bed-2", "fault", "stuck_low")
    assert json.loads(rig.board.rtc_memory)["seq"] == 0


def test_garbage_rtc_memory_starts_fresh(esp32):
    rig = esp32(lambda: 38000)
    rig.board.rtc_memory = b"\x00\xff junk"
    rig.wake()
    assert readings(rig.net)[0]["seq"] == 1


def test_watchdog_armed_for_the_wake_cycle(esp32):
    rig = esp32(lambda: 38000, wifi_after_ms=None)
    rig.wake()
    assert rig.board.wdt_timeout == 30000 and rig.awake_ms < 30000
