"""Every MQTT topic of the station, built in one place.

`{p}` is mqtt.topic_prefix and `{s}` the station id (see DESIGN.md). Code elsewhere
asks a `Topics` for a name instead of writing f-strings, so a rename happens here.
"""

from __future__ import annotations

from dataclasses import dataclass

HISTORY_RANGES = ("24h", "7d", "30d")


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

    # --- every service ---------------------------------------------------------
    def status(self, service: str) -> str:
        return f"{self.base}/{service}/status"

    def command(self, service: str, name: str) -> str:
        return f"{self.base}/{service}/cmd/{name}"

    def faults(self, service: str) -> str:
        """What a service is living with right now (retained; see kiosk/bus/faults.py)."""
        return f"{self.base}/{service}/faults"

    def reply(self, service: str, asker: str, client: str) -> str:
        """Where `service` answers the commands of `asker`'s `client` (MQTT v5 response topic).

        It lies below the answering service and names the asker, so the broker's ACL lets
        only that service write it and only that account read it (config/mosquitto/kiosk.acl.in).
        """
        return f"{self.base}/{service}/reply/{asker}/{client}"

    # --- garden -----------------------------------------------------------------
    def garden_reading(self, node: str = "+") -> str:
        return f"{self.base}/garden/{node}/reading"

    def garden_event(self, node: str = "+") -> str:
        return f"{self.base}/garden/{node}/event"

    def garden_state(self, node: str = "+") -> str:
        return f"{self.base}/garden/{node}/state"

    def garden_alert(self, node: str = "+") -> str:
        return f"{self.base}/garden/{node}/alert"

    def garden_stored(self, node: str = "+") -> str:
        """What garden has stored of a node's bridged messages (retained; kiosk/bus/delivery.py)."""
        return f"{self.base}/garden/{node}/stored"

    def garden_history(self, node: str, span: str) -> str:
        if span not in HISTORY_RANGES:
            raise ValueError(f"history span {span!r} is not one of {HISTORY_RANGES}")
        return f"{self.base}/garden/{node}/history/{span}"

    def node_of(self, topic: str) -> str | None:
        """The node id in a garden topic, or None when the topic is not one."""
        parts = topic.split("/")
        base = self.base.split("/")
        if len(parts) < len(base) + 3 or parts[: len(base)] != base or parts[len(base)] != "garden":
            return None
        return parts[len(base) + 1]

    # --- booth ------------------------------------------------------------------
    def booth_events(self) -> str:
        return f"{self.base}/booth/events"

    def booth_simulate(self) -> str:
        return f"{self.base}/booth/simulate"

    def booth_summary(self) -> str:
        return f"{self.base}/booth/summary"

    # --- the station as a whole ------------------------------------------------------
    def station_health(self) -> str:
        """Disk, memory, temperature, services (retained; kiosk/console/health.py)."""
        return f"{self.base}/station/health"

    # --- Home Assistant discovery ----------------------------------------------
    def ha_moisture_config(self, node: str) -> str:
        return f"homeassistant/sensor/{self.station}_{node}_moisture/config"

    def ha_alert_config(self, node: str) -> str:
        return f"homeassistant/binary_sensor/{self.station}_{node}_alert/config"

    def ha_station_config(self, component: str, key: str) -> str:
        """Discovery of one value of the station's health (`component`: sensor or binary_sensor)."""
        return f"homeassistant/{component}/{self.station}_station_{key}/config"
