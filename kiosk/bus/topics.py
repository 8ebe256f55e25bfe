"""Every MQTT topic of the station, built and read in one place.

`{p}` is mqtt.topic_prefix and `{s}` the station id (see DESIGN.md). Code elsewhere
asks a `Topics` for a name instead of writing f-strings, and asks `Topics.parse` what a
received topic is instead of splitting it, so a rename happens here.

Every topic below `{p}/{s}` is one line of LAYOUT: the builder of the same name fills it
in, `parse` reads it back. A builder given "+" for a level makes a subscription filter.
What a level may hold (a node id, a span name) is for its owner to check: the bus knows
no domain.
"""

from __future__ import annotations

from dataclasses import dataclass

# kind (= the builder's name) -> the levels below {p}/{s}; {field} levels vary.
# Where two lines could match one topic (a node called "cmd"), the first wins: the
# nodes' lines come first, as node ids come from station.toml and command names from the code.
LAYOUT = {
    "garden_reading": "garden/{node}/reading",
    "garden_event": "garden/{node}/event",
    "garden_state": "garden/{node}/state",
    "garden_alert": "garden/{node}/alert",
    "garden_stored": "garden/{node}/stored",
    "garden_history": "garden/{node}/history/{span}",
    "garden_settings": "garden/{node}/settings",
    "booth_events": "booth/events",
    "booth_simulate": "booth/simulate",
    "booth_summary": "booth/summary",
    "ui_usage": "ui/usage",
    "station_health": "station/health",
    "fleet_link": "fleet/link",
    "demo_water": "demo/water",
    "status": "{service}/status",
    "faults": "{service}/faults",
    "command": "{service}/cmd/{name}",
    "reply": "{service}/reply/{asker}/{client}",
}


@dataclass(frozen=True)
class Parsed:
    """What a received topic is: its `kind` (a LAYOUT key) and the levels that vary in it.

    `service` is the service the topic lies below (the first level), also for fixed ones
    like booth/events; `name` is a command's name, `span` a history span's.
    """

    kind: str
    service: str
    node: str | None = None
    span: str | None = None
    name: str | None = None
    asker: str | None = None
    client: str | None = None


def _levels(layout: str) -> tuple[str | None, ...]:
    """A layout's levels, None where a field goes."""
    return tuple(None if level.startswith("{") else level for level in layout.split("/"))


def _fields(layout: str) -> tuple[str, ...]:
    return tuple(level[1:-1] for level in layout.split("/") if level.startswith("{"))


# Grouped by number of levels, so parsing a topic looks at a handful of lines.
_BY_LENGTH: dict[int, list[tuple[str, tuple[str | None, ...], tuple[str, ...]]]] = {}
for _kind, _layout in LAYOUT.items():
    _BY_LENGTH.setdefault(len(_levels(_layout)), []).append((_kind, _levels(_layout), _fields(_layout)))


@dataclass(frozen=True)
class Topics:
    """Topic builders for one station."""

    prefix: str
    station: str

    @classmethod
    def of(cls, config) -> "Topics":
        return cls(config.mqtt.topic_prefix, config.station.id)

    @property
    def base(self) -> str:
        return f"{self.prefix}/{self.station}"

    def everything(self) -> str:
        return f"{self.base}/#"

    def _fill(self, kind: str, **levels: str) -> str:
        return f"{self.base}/{LAYOUT[kind].format(**levels)}"

    # --- every service ---------------------------------------------------------
    def status(self, service: str) -> str:
        return self._fill("status", service=service)

    def command(self, service: str, name: str) -> str:
        return self._fill("command", service=service, name=name)

    def faults(self, service: str) -> str:
        """What a service is living with right now (retained; see kiosk/bus/faults.py)."""
        return self._fill("faults", service=service)

    def reply(self, service: str, asker: str, client: str) -> str:
        """Where `service` answers the commands of `asker`'s `client` (MQTT v5 response topic).

        It lies below the answering service and names the asker, so the broker's ACL lets
        only that service write it and only that account read it (config/mosquitto/kiosk.acl.in).
        """
        return self._fill("reply", service=service, asker=asker, client=client)

    # --- garden -----------------------------------------------------------------
    def garden_reading(self, node: str = "+") -> str:
        return self._fill("garden_reading", node=node)

    def garden_event(self, node: str = "+") -> str:
        return self._fill("garden_event", node=node)

    def garden_state(self, node: str = "+") -> str:
        return self._fill("garden_state", node=node)

    def garden_alert(self, node: str = "+") -> str:
        return self._fill("garden_alert", node=node)

    def garden_stored(self, node: str = "+") -> str:
        """What garden has stored of a node's bridged messages (retained; kiosk/bus/delivery.py)."""
        return self._fill("garden_stored", node=node)

    def garden_history(self, node: str = "+", span: str = "+") -> str:
        """A node's plot series for one span (retained); the span names are the garden's
        (kiosk/garden/spans.py)."""
        return self._fill("garden_history", node=node, span=span)

    def garden_settings(self, node: str = "+") -> str:
        """A node's alert thresholds in force (retained; kiosk/garden/thresholds.py)."""
        return self._fill("garden_settings", node=node)

    # --- booth ------------------------------------------------------------------
    def booth_events(self) -> str:
        return self._fill("booth_events")

    def booth_simulate(self) -> str:
        return self._fill("booth_simulate")

    def booth_summary(self) -> str:
        return self._fill("booth_summary")

    # --- touch kiosk -----------------------------------------------------------------
    def ui_usage(self) -> str:
        """This month's kiosk counters (retained; kiosk/usage/messages.py)."""
        return self._fill("ui_usage")

    # --- kiosk demo ----------------------------------------------------------------
    def demo_water(self) -> str:
        """`kiosk demo` waters its simulated bed when anything is published here."""
        return self._fill("demo_water")

    # --- reading a received topic -------------------------------------------------
    def parse(self, topic: str) -> Parsed | None:
        """What `topic` is (see LAYOUT), or None when it is none of the station's topics."""
        base = self.base
        if not topic.startswith(base) or topic[len(base):len(base) + 1] != "/":
            return None
        levels = topic[len(base) + 1:].split("/")
        for kind, layout, fields in _BY_LENGTH.get(len(levels), ()):
            if all(want is None or want == level for want, level in zip(layout, levels)):
                values = dict(zip(fields, (level for want, level in zip(layout, levels) if want is None)))
                return Parsed(kind, values.pop("service", levels[0]), **values)
        return None

    def node_of(self, topic: str) -> str | None:
        """The node id in a garden node's topic, or None when the topic is not one."""
        parsed = self.parse(topic)
        return None if parsed is None else parsed.node

    # --- the station as a whole ------------------------------------------------------
    def station_health(self) -> str:
        """Disk, memory, temperature, services (retained; kiosk/console/health.py)."""
        return self._fill("station_health")

    def fleet_link(self) -> str:
        """The fleet bridge's link to the central broker: "1" up, "0" down (retained).

        Mosquitto publishes it itself (the bridge's `notifications`, config/fleet/bridge.conf.example),
        on the station's broker and, as the bridge's last will too, on the central one.
        """
        return self._fill("fleet_link")

    # --- reading any station's topic (the district's central broker) -------------------
    @classmethod
    def split(cls, topic: str) -> tuple["Topics", Parsed] | None:
        """The station a topic `{p}/{s}/…` belongs to and what it is, or None when it is none of LAYOUT's."""
        levels = topic.split("/", 2)
        if len(levels) < 3 or not levels[0] or not levels[1]:
            return None
        topics = cls(levels[0], levels[1])
        parsed = topics.parse(topic)
        return None if parsed is None else (topics, parsed)

    # --- Home Assistant discovery ----------------------------------------------
    # homeassistant/{component}/{node_id}/{object_id}/config with Home Assistant's node id = the
    # station id: a fleet bridge forwards one station's discovery as ha_discovery() (kiosk/station/discovery.py).
    def ha_config(self, component: str, object_id: str) -> str:
        return f"homeassistant/{component}/{self.station}/{object_id}/config"

    def ha_discovery(self) -> str:
        """Every discovery config of this station (a filter)."""
        return f"homeassistant/+/{self.station}/#"

    def ha_config_before_fleet(self, config_topic: str) -> str:
        """Where ha_config's `config_topic` lay before the fleet: homeassistant/{component}/{s}_{object_id}/config.

        Configs retained there are cleared once, so Home Assistant does not show every entity twice.
        """
        _home, component, _station, object_id, _config = config_topic.split("/")
        return f"homeassistant/{component}/{self.station}_{object_id}/config"

    def ha_moisture_config(self, node: str) -> str:
        return self.ha_config("sensor", f"{node}_moisture")

    def ha_alert_config(self, node: str) -> str:
        return self.ha_config("binary_sensor", f"{node}_alert")

    def ha_station_config(self, component: str, key: str) -> str:
        """Discovery of one value of the station's health (`component`: sensor or binary_sensor)."""
        return self.ha_config(component, f"station_{key}")
