"""The station's health: what the Pi says about itself, published retained for staff and Home Assistant."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest

from kiosk.bus import Bus, Topics
from kiosk.console.health import HealthPublisher, discovery_messages, measure
from kiosk.console.live import StationView
from kiosk.station.health import Health


def fake_pi(root: Path, *, throttled: str | None = "0x50005", temp: str | None = "48312") -> Path:
    """The files a Pi's kernel offers, under `root`."""
    (root / "proc").mkdir(parents=True)
    (root / "proc/meminfo").write_text("MemTotal:  438000 kB\nMemFree: 20000 kB\nMemAvailable:  215040 kB\n")
    (root / "proc/uptime").write_text("3723.45 7000.00\n")
    if temp is not None:
        (root / "sys/class/thermal/thermal_zone0").mkdir(parents=True)
        (root / "sys/class/thermal/thermal_zone0/temp").write_text(temp + "\n")
    if throttled is not None:
        (root / "sys/devices/platform/soc/soc:firmware").mkdir(parents=True)
        (root / "sys/devices/platform/soc/soc:firmware/get_throttled").write_text(throttled + "\n")
    return root


def test_a_pi_with_under_voltage_now_says_so(tmp_path):
    root = fake_pi(tmp_path / "pi")
    data = tmp_path / "data"
    (data / "backup/20261201T031500Z").mkdir(parents=True)
    (data / "backup/20261201T031500Z/kiosk-backup.json").write_text(json.dumps(
        {"kind": "batenbrock-kiosk backup", "station": "test-1", "made": "2026-12-01T03:15:00.000000Z",
         "made_by": "kiosk admin backup", "complete": True, "files": []}))
    health = measure(data, {"garden": "online", "booth": "offline"}, root=root)
    assert health.services == {"booth": "offline", "garden": "online"}
    assert health.mem_available_mb == 210 and health.uptime_s == 3723
    assert health.cpu_temp_c == 48.3
    assert health.throttled == 0x50005 and health.under_voltage and health.throttling
    assert health.under_voltage_since_boot
    assert health.last_backup == "2026-12-01T03:15:00.000000Z"
    assert health.disk_free_mb > 0


def test_a_machine_without_pi_files_leaves_those_values_out(tmp_path):
    root = fake_pi(tmp_path / "pc", throttled=None, temp=None)
    payload = measure(tmp_path, {}, root=root).to_payload()
    assert "cpu_temp_c" not in payload and "throttled" not in payload and "last_backup" not in payload


def test_the_health_is_retained_with_discovery_and_follows_services(make_config, broker, watch, tmp_path):
    config = make_config(broker.port)
    watcher = watch(config)
    bus = Bus(config, "console")
    view = StationView(bus.topics)
    view.attach(bus)
    publisher = HealthPublisher(config, bus, lambda: view.snapshot().services, root=fake_pi(tmp_path / "pi"))
    view.on_services(publisher.services_changed)
    bus.start()
    try:
        assert bus.wait_connected(10)
        topics = bus.topics
        until(lambda: view.snapshot().services.get("console") == "online", watcher)
        publisher.tick()
        first = watcher.wait_for(topics.station_health(), lambda h: h["services"].get("console") == "online")
        assert Health.from_payload(first).under_voltage          # the message every reader reads, typed
        config_msg = watcher.wait_for(topics.ha_station_config("binary_sensor", "under_voltage"))
        assert config_msg["state_topic"] == topics.station_health() and config_msg["device_class"] == "problem"
        assert home_assistant_reads(config_msg["value_template"], first) == "ON"
        watcher.wait_for(topics.ha_station_config("sensor", "disk_free"))

        watcher.bus.publish(topics.status("booth"), "offline", qos=1, retain=True)
        until(lambda: view.snapshot().services.get("booth") == "offline", watcher)
        publisher.tick()           # a service that went away is published at once, not after a minute
        watcher.wait_for(topics.station_health(), lambda h: h["services"].get("booth") == "offline")
    finally:
        bus.stop()


@pytest.mark.parametrize("throttled, shown", [(0x50005, "ON"), (0x1, "ON"), (0x50000, "OFF"), (0x4, "OFF"), (None, "OFF")])
def test_home_assistant_sees_under_voltage_now_not_since_boot(make_config, throttled, shown):
    """The discovery's template, rendered as Home Assistant does (Jinja with its bitwise_and filter)."""
    config = make_config()
    template = dict(discovery_messages(config, Topics.of(config)))[
        Topics.of(config).ha_station_config("binary_sensor", "under_voltage")]["value_template"]
    payload = Health("2026-12-02T10:00:00Z", {}, 1, 1, 1, throttled=throttled).to_payload()
    assert home_assistant_reads(template, payload) == shown


def home_assistant_reads(template: str, payload: dict) -> str:
    environment = jinja2.Environment()
    environment.filters["bitwise_and"] = lambda value, other: value & other    # as Home Assistant defines it
    return environment.from_string(template).render(value_json=payload).strip()


def until(condition, watcher, tries: int = 100) -> None:
    for _ in range(tries):
        if condition():
            return
        watcher.drain(0.1)
    raise AssertionError("the console's view of the station did not follow the bus")
