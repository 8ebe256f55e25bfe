"""The station's health, `{p}/{s}/station/health` (retained), published by the console service.

`measure()` reads what the Pi says about itself — free disk under data_dir, MemAvailable,
the SoC temperature and the firmware's under-voltage flags where they exist, the newest
backup, uptime — and adds the services' online/offline from their retained status.
`HealthPublisher` publishes it every PUBLISH_EVERY_S and at once when a service comes or
goes or the power flags change, with Home Assistant discovery for the main values.

The message is kiosk.station.health.Health, which also knows what the Pi's get_throttled
bits mean; the publisher sends its `to_payload()`.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from typing import Callable

from kiosk.backup import backups_in
from kiosk.clock import iso_from_epoch
from kiosk.station import discovery
from kiosk.station.health import UNDER_VOLTAGE_NOW, Health

log = logging.getLogger(__name__)

PUBLISH_EVERY_S = 60
THERMAL = Path("sys/class/thermal/thermal_zone0/temp")
THROTTLED = Path("sys/devices/platform/soc/soc:firmware/get_throttled")
MEMINFO = Path("proc/meminfo")
UPTIME = Path("proc/uptime")


def measure(data_dir: Path, services: dict[str, str], *, root: Path = Path("/"),
            clock: Callable[[], float] = time.time, name: str | None = None) -> Health:
    """The station's health now; a value the machine does not offer is None, never guessed."""
    try:
        disk_free_mb = shutil.disk_usage(data_dir).free // (1024 * 1024)
    except OSError:
        disk_free_mb = None
    temp = _read_number(root / THERMAL)
    throttled = _read_number(root / THROTTLED, base=16)
    backups = [b for b in backups_in(Path(data_dir) / "backup") if b.complete]
    uptime = _read_number(root / UPTIME)
    return Health(ts=iso_from_epoch(clock()), services=dict(sorted(services.items())), disk_free_mb=disk_free_mb,
                  mem_available_mb=_mem_available_mb(root / MEMINFO),
                  uptime_s=int(uptime) if uptime is not None else None,
                  cpu_temp_c=round(temp / 1000, 1) if temp is not None else None,
                  throttled=int(throttled) if throttled is not None else None,
                  last_backup=max((b.made for b in backups), default=None), name=name)


def _read_first_word(path: Path) -> str | None:
    try:
        return path.read_text().split()[0]
    except (OSError, IndexError, UnicodeDecodeError):
        return None


def _read_number(path: Path, base: int = 10) -> float | None:
    word = _read_first_word(path)
    if word is None:
        return None
    try:
        return float(int(word, base)) if base != 10 else float(word)
    except ValueError:
        return None


def _mem_available_mb(path: Path) -> int | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def discovery_messages(config, topics) -> list[tuple[str, dict]]:
    """Home Assistant discovery for the health's main values, unavailable while the console is offline."""
    station = config.station.id
    availability = discovery.availability(config, topics, "console")
    device = discovery.device(config, "station", "Station", "Schaufenster-Station")
    state = topics.station_health()

    def sensor(key: str, name: str, template: str, **extra) -> tuple[str, dict]:
        return topics.ha_station_config("sensor", key), {
            "name": name, "unique_id": f"{station}_station_{key}", "state_topic": state,
            "value_template": template, **availability, "device": device,
            "state_class": "measurement", **extra}

    return [
        sensor("disk_free", "Freier Speicher", "{{ value_json.disk_free_mb }}", unit_of_measurement="MB",
               device_class="data_size"),
        sensor("mem_available", "Freier Arbeitsspeicher", "{{ value_json.mem_available_mb }}",
               unit_of_measurement="MB", device_class="data_size"),
        sensor("cpu_temp", "Temperatur", "{{ value_json.cpu_temp_c | default(none) }}",
               unit_of_measurement="°C", device_class="temperature"),
        sensor("uptime", "Läuft seit", "{{ value_json.uptime_s }}", unit_of_measurement="s",
               device_class="duration"),
        (topics.ha_station_config("binary_sensor", "under_voltage"), {
            "name": "Unterspannung", "unique_id": f"{station}_station_under_voltage", "state_topic": state,
            # `throttled` is the get_throttled number (left out where the machine has none): ON while bit 0 is set.
            "value_template": "{{ 'ON' if (value_json.throttled | default(0) | int) | bitwise_and(%d) else 'OFF' }}"
                              % UNDER_VOLTAGE_NOW,
            "device_class": "problem", **availability, "device": device}),
    ]


class HealthPublisher:
    """Publishes the health retained every PUBLISH_EVERY_S and when something important changes.

    `tick()` runs on the service's loop; `services_changed()` may be called from any thread.
    """

    def __init__(self, config, bus, services: Callable[[], dict[str, str]], *,
                 root: Path = Path("/"), clock: Callable[[], float] = time.time):
        self.config = config
        self.bus = bus
        self.services = services
        self.root = root
        self.clock = clock
        self.latest: Health | None = None
        self._sent_at = float("-inf")
        self._sent_key: tuple | None = None
        self._changed = True
        bus.on_connect(self._connected)

    def _connected(self) -> None:
        discovery.publish(self.bus, discovery_messages(self.config, self.bus.topics))
        self._changed = True

    def services_changed(self) -> None:
        self._changed = True

    def tick(self) -> None:
        now = time.monotonic()
        health = measure(self.config.data_dir, self.services(), root=self.root, clock=self.clock,
                         name=self.config.station.name)
        self.latest = health
        key = (tuple(health.services.items()), health.throttled, health.last_backup)
        if not (self._changed or key != self._sent_key or now - self._sent_at >= PUBLISH_EVERY_S):
            return
        if not self.bus.connected.is_set():
            return
        self._changed = False
        self._sent_key, self._sent_at = key, now
        self.bus.publish(self.bus.topics.station_health(), health.to_payload(), qos=1, retain=True)
