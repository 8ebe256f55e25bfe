"""What every Home Assistant discovery message of the station shares: its device, its availability,
and the clearing of the configs published before the district fleet.

The garden's bed (kiosk/garden/discovery.py) and the station's health (kiosk/console/health.py)
build their entities with these, so a Home Assistant at the district's centre, seeing many
stations, tells them apart: the device names carry the office's place ([station] name), the maker
is whoever runs the station ([station] operator), unique ids carry the station id, and the config
topics have the station id as Home Assistant's node id (kiosk/bus/topics.py), which lets a fleet
bridge forward one station's discovery as `homeassistant/+/{station}/#`.
"""

from __future__ import annotations

from typing import Any

from kiosk import __version__

# What Mosquitto's bridge publishes on its notification topic (config/fleet/bridge.conf.example).
LINK_UP, LINK_DOWN = "1", "0"


def device(config, key: str, name: str, model: str) -> dict[str, Any]:
    """A device of this station: `key` makes its identifier unique in the district, `name` is what it is
    ("Kräuterbeet"); the office's place goes into the name shown, e.g. "Kräuterbeet Batenbrock (bed-1)"."""
    station = config.station
    return {"identifiers": [f"{station.id}_{key}"], "name": f"{name} {station.name} ({_shown_key(station.id, key)})",
            "manufacturer": station.operator, "model": model, "sw_version": __version__}


def _shown_key(station_id: str, key: str) -> str:
    return station_id if key == "station" else key


def availability(config, topics, service: str) -> dict[str, Any]:
    """`availability` and `availability_mode` for an entity that `service` keeps up to date.

    Available while the service says `online`; on a bridged station ([fleet] bridged) also only while
    the bridge's link to the central broker is up, so the centre sees a cut-off station as unavailable.
    A station without a bridge has no link topic and must not wait for one.
    """
    topics_list = [{"topic": topics.status(service), "payload_available": "online", "payload_not_available": "offline"}]
    if config.fleet.bridged:
        topics_list.append({"topic": topics.fleet_link(), "payload_available": LINK_UP,
                            "payload_not_available": LINK_DOWN})
    return {"availability": topics_list, "availability_mode": "all"}


def publish(bus, messages: list[tuple[str, dict]]) -> None:
    """Publish discovery `messages` retained, each after clearing its config from before the fleet (an
    empty retained message), so Home Assistant does not show the old entities beside the new.

    The old one goes first: Home Assistant ignores a config whose unique id an entity already has, so
    the new one, arriving while the old entity lives, would be dropped and the entity then removed.
    """
    for topic, payload in messages:
        bus.publish(bus.topics.ha_config_before_fleet(topic), b"", qos=1, retain=True)
        bus.publish(topic, payload, qos=1, retain=True)
