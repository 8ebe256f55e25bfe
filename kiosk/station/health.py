"""`{p}/{s}/station/health` (retained, QoS 1): the station's health as one typed message.

DESIGN.md "Station health": which services are online, free disk and memory, and
where the Pi tells them the CPU temperature, under-voltage and throttling, the last
backup and the uptime; and the office's place ([station] name), so the district's page
names the station as people do. The publisher builds a `Health` and publishes `to_payload()`;
staff faces and Home Assistant read it. `from_payload` takes the decoded JSON
(kiosk/bus/payloads.py) and raises BadMessage on anything else, never another error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from kiosk.bus.fields import Fields
from kiosk.errors import BadMessage

ONLINE, OFFLINE = "online", "offline"
MAX_NAME = 80
# Bits of `vcgencmd get_throttled` (and the firmware's sysfs get_throttled): now, and since boot.
UNDER_VOLTAGE_NOW, THROTTLED_NOW = 1 << 0, 1 << 2
UNDER_VOLTAGE_SINCE_BOOT, THROTTLED_SINCE_BOOT = 1 << 16, 1 << 18


@dataclass(frozen=True)
class Health:
    """The station's health at `ts`. Optional values are None where the machine cannot tell
    (no temperature sensor, not a Pi, no backup yet) and are then left out of the payload;
    disk, memory and uptime are always sent, as null in the rare case they cannot be read."""

    ts: str
    services: Mapping[str, str] = field(default_factory=dict)   # service name -> online | offline
    disk_free_mb: float | None = 0
    mem_available_mb: float | None = 0
    uptime_s: float | None = 0
    cpu_temp_c: float | None = None
    throttled: int | None = None       # the Pi's get_throttled bits, as a number
    last_backup: str | None = None     # ISO 8601 time of the last good backup
    name: str | None = None            # the office's place ([station] name); came later than DESIGN.md's table

    @property
    def under_voltage(self) -> bool:
        """The Pi's power supply is too weak now (bit 0)."""
        return bool((self.throttled or 0) & UNDER_VOLTAGE_NOW)

    @property
    def under_voltage_since_boot(self) -> bool:
        """The power supply was too weak at some time since the Pi started (bit 16)."""
        return bool((self.throttled or 0) & UNDER_VOLTAGE_SINCE_BOOT)

    @property
    def throttling(self) -> bool:
        """The Pi slows itself down now (bit 2: too hot or too little power)."""
        return bool((self.throttled or 0) & THROTTLED_NOW)

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"ts": self.ts, "services": dict(self.services), "disk_free_mb": self.disk_free_mb,
                                   "mem_available_mb": self.mem_available_mb}
        for key in ("cpu_temp_c", "throttled", "last_backup", "name"):
            if getattr(self, key) is not None:
                payload[key] = getattr(self, key)
        payload["uptime_s"] = self.uptime_s
        return payload

    @classmethod
    def from_payload(cls, payload: Any) -> "Health":
        f = Fields(payload, "station health")
        services = f.nested("services")
        return cls(ts=f.time("ts"), services={name: services.choice(name, (ONLINE, OFFLINE)) for name in services.payload},
                   disk_free_mb=f.number("disk_free_mb", low=0, null=True),
                   mem_available_mb=f.number("mem_available_mb", low=0, null=True),
                   uptime_s=f.number("uptime_s", low=0, null=True), cpu_temp_c=f.number("cpu_temp_c", optional=True),
                   throttled=f.count("throttled", optional=True), last_backup=f.time("last_backup", optional=True),
                   name=_name(f.text("name", optional=True)))


def _name(text: str | None) -> str | None:
    if text is not None and not 0 < len(text) <= MAX_NAME:
        raise BadMessage(f"station health: 'name' must be 1 to {MAX_NAME} characters")
    return text


__all__ = ["Health", "ONLINE", "OFFLINE", "UNDER_VOLTAGE_NOW", "THROTTLED_NOW", "UNDER_VOLTAGE_SINCE_BOOT",
           "THROTTLED_SINCE_BOOT"]
