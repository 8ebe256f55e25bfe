"""Thresholds changed by staff: checked by station.toml's own rules, kept by the garden in
garden.sqlite, published as in force, and still in force after a restart."""

from __future__ import annotations

import pytest

from kiosk.bus import Bus
from kiosk.config import loads
from kiosk.errors import BadValue, ConfigError
from kiosk.garden import staff_commands, thresholds
from kiosk.translation import load_catalog

from .conftest import run_garden  # noqa: F401 — the real garden service, in-process
from .test_garden_service import publisher, send

SETTINGS = "batenbrock/test-1/garden/bed-1/settings"
ALERT = "batenbrock/test-1/garden/bed-1/alert"
RAW_AT_33 = 41770           # 33 % moisture with raw_dry 52000, raw_wet 21000


def sensor_of(config):
    return config.garden.sensor("bed-1")


def refusal(sensor, changes: dict) -> str:
    with pytest.raises(thresholds.BadThresholds) as caught:
        thresholds.checked(sensor, changes)
    return caught.value.outcome.text(load_catalog("de").gettext)


def test_a_change_passes_exactly_the_rules_station_toml_passes(make_config):
    sensor = sensor_of(make_config())
    assert thresholds.values(thresholds.checked(sensor, {"dry_below": 35, "ok_above": 40})) == \
        {"dry_below": 35.0, "ok_above": 40.0, "confirm_readings": 3, "stale_after_s": 1800}
    for changes in ({"ok_above": 20}, {"dry_below": 101}, {"confirm_readings": 0}, {"confirm_readings": 2.5},
                    {"stale_after_s": 5}, {"dry_below": -1, "ok_above": 10}):
        toml = "\n".join(f"{key} = {value}" for key, value in {**thresholds.values(sensor), **changes}.items())
        with pytest.raises(ConfigError):          # station.toml refuses the same values …
            loads(f'[[garden.sensors]]\nnode = "bed-1"\n{toml}\n')
        with pytest.raises(thresholds.BadThresholds):     # … and so does the change
            thresholds.checked(sensor, changes)


def test_a_refusal_says_why_in_the_staffs_words(make_config):
    sensor = sensor_of(make_config())
    assert refusal(sensor, {"ok_above": 20}).startswith("Der Alarm kann erst über dem Wert enden")
    assert refusal(sensor, {"dry_below": 120}) == "Die Feuchte-Werte sind Prozent von 0 bis 100."
    assert refusal(sensor, {"confirm_readings": 0}) == "Messungen, bis es zählt: eine ganze Zahl von 1 bis 100."
    assert refusal(sensor, {"stale_after_s": 3}) == "Ein Sensor gilt frühestens nach 10 Sekunden als still."
    with pytest.raises(BadValue):
        thresholds.checked(sensor, {"raw_dry": 1})          # not a threshold: not for staff to change here
    with pytest.raises(BadValue):
        staff_commands.thresholds(sensor, {"ok_above": 20})  # nothing is sent


def test_a_stored_change_that_station_toml_now_forbids_gives_way(make_config):
    sensor = sensor_of(make_config())
    assert thresholds.in_force(sensor, {"dry_below": 50, "ok_above": 60}).dry_below == 50
    assert thresholds.in_force(sensor, {"dry_below": 50, "ok_above": 40}) is sensor


def test_the_garden_applies_keeps_and_publishes_new_thresholds(make_config, broker, run_garden, watch):  # noqa: F811
    config = make_config(broker.port)
    garden = run_garden(config)
    watcher = watch(config, "batenbrock/test-1/garden/#")
    assert watcher.wait_for(SETTINGS)["dry_below"] == 30
    staff = Bus(config, "ui", announce=False).start()
    command = staff_commands.thresholds(sensor_of(config), {"dry_below": 35, "ok_above": 40, "confirm_readings": 1})
    assert staff.request("garden", command.name, command.payload) == {
        "ok": True, "node": "bed-1", "dry_below": 35.0, "ok_above": 40.0, "confirm_readings": 1, "stale_after_s": 1800}
    assert watcher.wait_for(SETTINGS, lambda p: p["dry_below"] == 35)["confirm_readings"] == 1

    node = publisher(config)
    send(node, config, [RAW_AT_33], stamped=False)       # 33 %: fine before, too dry now, at once
    assert watcher.wait_for(ALERT, lambda p: p["active"])["kind"] == "dry"

    # A bad change is refused by the garden too, and changes nothing.
    bad = {"node": "bed-1", "values": {"ok_above": 20}}
    assert staff.request("garden", "thresholds", bad)["ok"] is False
    assert garden.store.threshold_overrides()["bed-1"]["ok_above"] == 40

    garden.stop()
    again = run_garden(config)
    assert again.garden.sensors["bed-1"].dry_below == 35
    fresh = watch(config, SETTINGS)
    assert fresh.wait_for(SETTINGS, lambda p: p["dry_below"] == 35)["ok_above"] == 40
    staff.stop()
    node.stop()
