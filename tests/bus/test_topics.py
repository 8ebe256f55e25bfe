"""Topic names: built and read back by one module, identical to the contract in DESIGN.md."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.bus.topics import LAYOUT, Parsed, Topics

T = Topics("batenbrock", "test-1")
FIXED = {word for layout in LAYOUT.values() for word in layout.split("/") if not word.startswith("{")}
level = st.text(st.characters(blacklist_characters="/+#\0", blacklist_categories=("Cs",)), min_size=1, max_size=12)


def test_the_contract_topics_are_spelled_as_designed():
    assert T.status("garden") == "batenbrock/test-1/garden/status"
    assert T.command("booth", "block") == "batenbrock/test-1/booth/cmd/block"
    assert T.reply("garden", "ui", "ui-1") == "batenbrock/test-1/garden/reply/ui/ui-1"
    assert T.garden_reading("bed-1") == "batenbrock/test-1/garden/bed-1/reading"
    assert T.garden_state("bed-1") == "batenbrock/test-1/garden/bed-1/state"
    assert T.garden_alert("bed-1") == "batenbrock/test-1/garden/bed-1/alert"
    assert T.garden_history("bed-1", "7d") == "batenbrock/test-1/garden/bed-1/history/7d"
    assert T.booth_events() == "batenbrock/test-1/booth/events"
    assert T.booth_simulate() == "batenbrock/test-1/booth/simulate"
    assert T.demo_water() == "batenbrock/test-1/demo/water"
    assert T.garden_history("+", "+") == "batenbrock/test-1/garden/+/history/+"
    assert T.fleet_link() == "batenbrock/test-1/fleet/link"
    assert T.station_health() == "batenbrock/test-1/station/health"


def test_discovery_topics_have_the_station_as_home_assistants_node_id():
    # The fleet bridge forwards homeassistant/+/{station}/# (config/fleet/bridge.conf.example).
    assert T.ha_moisture_config("bed-1") == "homeassistant/sensor/test-1/bed-1_moisture/config"
    assert T.ha_alert_config("bed-1") == "homeassistant/binary_sensor/test-1/bed-1_alert/config"
    assert T.ha_station_config("sensor", "disk_free") == "homeassistant/sensor/test-1/station_disk_free/config"
    assert T.ha_discovery() == "homeassistant/+/test-1/#"
    assert T.ha_config_before_fleet(T.ha_moisture_config("bed-1")) == "homeassistant/sensor/test-1_bed-1_moisture/config"
    assert T.ha_config_before_fleet(T.ha_station_config("binary_sensor", "under_voltage")) == \
        "homeassistant/binary_sensor/test-1_station_under_voltage/config"


def test_any_stations_topic_says_whose_it_is():
    # The district's console reads every station's topics on the central broker.
    assert Topics.split("batenbrock/welheim-1/station/health") == \
        (Topics("batenbrock", "welheim-1"), Parsed("station_health", "station"))
    assert Topics.split("bottrop/eigen-2/garden/bed-3/alert") == \
        (Topics("bottrop", "eigen-2"), Parsed("garden_alert", "garden", node="bed-3"))
    assert Topics.split("batenbrock/welheim-1/fleet/link") == \
        (Topics("batenbrock", "welheim-1"), Parsed("fleet_link", "fleet"))
    for topic in ("", "batenbrock", "batenbrock/welheim-1", "batenbrock//station/health", "/x/station/health",
                  "homeassistant/sensor/welheim-1/bed-1_moisture/config"):
        assert Topics.split(topic) is None


@given(st.text(max_size=60))
def test_any_topic_is_read_as_a_stations_or_none(topic):
    found = Topics.split(topic)
    if found is not None:
        topics, parsed = found
        assert topic.startswith(topics.base + "/") and topics.parse(topic) == parsed


def test_a_received_topic_says_what_it_is():
    assert T.parse("batenbrock/test-1/garden/bed-1/history/30d") == \
        Parsed("garden_history", "garden", node="bed-1", span="30d")
    assert T.parse("batenbrock/test-1/booth/status") == Parsed("status", "booth")
    assert T.parse("batenbrock/test-1/ui/faults") == Parsed("faults", "ui")
    assert T.parse("batenbrock/test-1/booth/summary") == Parsed("booth_summary", "booth")
    assert T.parse("batenbrock/test-1/garden/reply/ui/ui-1") == \
        Parsed("reply", "garden", asker="ui", client="ui-1")
    assert T.node_of("batenbrock/test-1/garden/bed-1/event") == "bed-1"


@pytest.mark.parametrize("topic", [
    "batenbrock/test-1", "batenbrock/test-1/", "batenbrock/test-10/garden/status",   # another station
    "other/test-1/garden/status", "batenbrock/test-1/garden/bed-1/moisture",
    "batenbrock/test-1/garden/bed-1/history", "batenbrock/test-1/booth/events/extra",
    "homeassistant/sensor/test-1_bed-1_moisture/config", "",
])
def test_a_topic_of_no_known_kind_is_none(topic):
    assert T.parse(topic) is None
    assert T.node_of(topic) is None


def test_a_node_called_like_a_level_of_another_kind_stays_a_node():
    # node ids come from station.toml; "cmd" and "reply" are theirs to choose
    assert T.parse(T.garden_state("cmd")) == Parsed("garden_state", "garden", node="cmd")
    assert T.parse(T.garden_history("reply", "24h")) == Parsed("garden_history", "garden", node="reply", span="24h")


def rebuilt(parsed: Parsed) -> str:
    builder = getattr(T, parsed.kind)
    return builder(**{name: getattr(parsed, name) for name in inspect.signature(builder).parameters})


@given(kind=st.sampled_from(sorted(LAYOUT)), data=st.data())
def test_every_topic_built_is_read_back_as_built(kind, data):
    builder = getattr(T, kind)
    values = {name: data.draw(level.filter(lambda v: v not in FIXED), label=name)
              for name in inspect.signature(builder).parameters}
    topic = builder(**values)
    parsed = T.parse(topic)
    assert parsed is not None and parsed.kind == kind
    assert {name: getattr(parsed, name) for name in values} == values
    assert rebuilt(parsed) == topic


@given(kind=st.sampled_from(sorted(LAYOUT)), data=st.data())
def test_any_level_values_give_a_topic_that_reads_back_to_itself(kind, data):
    builder = getattr(T, kind)
    words = level | st.sampled_from(sorted(FIXED))
    topic = builder(**{name: data.draw(words, label=name) for name in inspect.signature(builder).parameters})
    parsed = T.parse(topic)
    assert parsed is not None and rebuilt(parsed) == topic
