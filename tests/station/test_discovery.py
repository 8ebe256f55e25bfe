"""Home Assistant discovery in a district: many stations' devices apart, the link in the availability,
and the configs from before the fleet cleared."""

from __future__ import annotations

from kiosk.bus import Bus, Topics
from kiosk.console import health
from kiosk.garden import discovery as garden
from kiosk.station import discovery

WELHEIM = '\n[station]\nid = "welheim-1"\nname = "Welheim"\noperator = "Stadtteilbüro Welheim"\n'


def district_config(make_config, tmp_path, port: int = 1, *, station: str = "", fleet: str = ""):
    """The test station.toml with its [station] swapped (make_config writes one [station] only)."""
    config = make_config(port, extra=fleet)
    if station:
        path = tmp_path / "station.toml"
        text = path.read_text(encoding="utf-8").replace('[station]\nid = "test-1"', station.strip())
        path.write_text(text, encoding="utf-8")
        from kiosk import config as config_mod
        config = config_mod.load(path)
    return config


def everything(config) -> dict[str, dict]:
    topics = Topics.of(config)
    return dict(garden.discovery_messages(config, topics) + health.discovery_messages(config, topics))


def test_two_stations_devices_and_entities_stay_apart(make_config, tmp_path):
    batenbrock = district_config(make_config, tmp_path,
                                 station='[station]\nid = "batenbrock-1"\nname = "Batenbrock"\n')
    welheim = district_config(make_config, tmp_path, station=WELHEIM)
    first, second = everything(batenbrock), everything(welheim)
    assert not set(first) & set(second)
    assert not {c["unique_id"] for c in first.values()} & {c["unique_id"] for c in second.values()}
    names = {station: {c["device"]["name"] for c in configs.values()}
             for station, configs in (("batenbrock", first), ("welheim", second))}
    assert names == {"batenbrock": {"Kräuterbeet Batenbrock (bed-1)", "Station Batenbrock (batenbrock-1)"},
                     "welheim": {"Kräuterbeet Welheim (bed-1)", "Station Welheim (welheim-1)"}}
    assert {c["device"]["manufacturer"] for c in second.values()} == {"Stadtteilbüro Welheim"}
    assert {c["device"]["manufacturer"] for c in first.values()} == {"Stadtteilbüro Batenbrock"}   # the default
    # A fleet bridge forwards exactly its own station's configs.
    assert all(topic.startswith("homeassistant/") and topic.split("/")[2] == "welheim-1" for topic in second)


def test_a_station_without_a_bridge_is_available_while_its_service_runs(make_config):
    config = make_config()
    for entity in everything(config).values():
        assert entity["availability_mode"] == "all"
        assert [a["topic"].rsplit("/", 2)[-1] for a in entity["availability"]] == ["status"]


def test_a_bridged_station_is_unavailable_while_its_link_is_down(make_config):
    config = make_config(extra="\n[fleet]\nbridged = true\n")
    topics = Topics.of(config)
    bed = everything(config)[topics.ha_moisture_config("bed-1")]
    assert bed["availability_mode"] == "all"
    assert bed["availability"] == [
        {"topic": topics.status("garden"), "payload_available": "online", "payload_not_available": "offline"},
        {"topic": "batenbrock/test-1/fleet/link", "payload_available": "1", "payload_not_available": "0"}]
    disk = everything(config)[topics.ha_station_config("sensor", "disk_free")]
    assert [a["topic"] for a in disk["availability"]] == [topics.status("console"), topics.fleet_link()]


def test_the_configs_from_before_the_fleet_are_cleared_once_the_new_ones_are_out(make_config, broker, watch):
    config = make_config(broker.port)
    topics = Topics.of(config)
    old = {"homeassistant/sensor/test-1_bed-1_moisture/config", "homeassistant/binary_sensor/test-1_bed-1_alert/config",
           "homeassistant/sensor/test-1_station_disk_free/config"}
    setup = watch(config, "homeassistant/#")
    for topic in old:
        setup.bus.publish(topic, {"name": "alt", "unique_id": topic}, retain=True).wait_for_publish(5)
    running = watch(config, "homeassistant/#")          # a Home Assistant that knows the old entities
    for topic in old:
        running.wait_for(topic)
    bus = Bus(config, "garden")
    bus.start()
    try:
        assert bus.wait_connected(10)
        discovery.publish(bus, garden.discovery_messages(config, topics) + health.discovery_messages(config, topics))
        running.wait_for(topics.ha_station_config("binary_sensor", "under_voltage"))
    finally:
        bus.stop()
    # Home Assistant starting now finds only the new configs, each once.
    assistant = watch(config, "homeassistant/#")
    retained = [m for m in assistant.drain(settle=1.0) if m.payload]
    assert not {m.topic for m in retained} & old
    assert sorted(m.topic for m in retained) == sorted(everything(config))
    # And the one running meanwhile saw each old entity go before its new one came.
    seen = [(m.topic, bool(m.payload)) for m in running.drain()]
    assert seen.index(("homeassistant/sensor/test-1_bed-1_moisture/config", False)) < \
        seen.index((topics.ha_moisture_config("bed-1"), True))
