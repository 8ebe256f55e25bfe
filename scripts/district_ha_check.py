"""Two stations on a broker, as a Home Assistant at the district's centre finds them (a manual check).

    .venv/bin/python scripts/district_ha_check.py PORT HA_CONFIG_DIR

Publishes retained on the broker at 127.0.0.1:PORT what the bridges of batenbrock-1 (link up) and
welheim-1 (link down) carry to the centre — the Home Assistant discovery of the herb bed and the
health, the services' status, the bed's state and alert, the health, the link — built by the
station's own code (kiosk/garden/discovery.py, kiosk/console/health.py). Then writes a Home
Assistant configuration in HA_CONFIG_DIR: the MQTT integration on that broker, and
`mqtt_statestream`, which republishes every entity's state under `hastate/`. docs/deploy.md
(„The district's central view“) has the commands around it.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk import config as config_mod  # noqa: E402
from kiosk.bus import Bus, Topics  # noqa: E402
from kiosk.clock import iso_from_epoch  # noqa: E402
from kiosk.console.health import discovery_messages as health_discovery  # noqa: E402
from kiosk.garden.discovery import discovery_messages as garden_discovery  # noqa: E402
from kiosk.garden.messages import BedAlert, BedState  # noqa: E402
from kiosk.station.health import Health  # noqa: E402

STATIONS = {"batenbrock-1": ("Batenbrock", "1", 41.0), "welheim-1": ("Welheim", "0", 23.0)}
STATION_TOML = """
[station]
id = "{id}"
name = "{name}"
operator = "Stadtteilbüro {name}"
[mqtt]
host = "127.0.0.1"
port = {port}
[fleet]
bridged = true
[[garden.sensors]]
node = "bed-1"
name = "Kräuterbeet"
"""
HA_CONFIG = """homeassistant:
  name: Bezirk
  unit_system: metric
  time_zone: Europe/Berlin
  country: DE
mqtt_statestream:
  base_topic: hastate
  publish_attributes: false
  publish_timestamps: false
logger:
  default: warning
"""


def publish_stations(port: int) -> None:
    bus = None
    for station, (name, link, moisture) in STATIONS.items():
        config = config_mod.loads(STATION_TOML.format(id=station, name=name, port=port))
        topics, now = Topics.of(config), iso_from_epoch(time.time())
        if bus is None:
            bus = Bus(config, "district-check", announce=False).start()
            if not bus.wait_connected(10):
                raise SystemExit(f"no broker on 127.0.0.1:{port}")
        retained = garden_discovery(config, topics) + health_discovery(config, topics) + [
            (topics.status("garden"), "online"), (topics.status("console"), "online"), (topics.fleet_link(), link),
            (topics.garden_state("bed-1"), BedState(now, moisture, "ok" if moisture > 30 else "dry").to_payload()),
            (topics.garden_alert("bed-1"), BedAlert(moisture <= 30, "dry", now, moisture).to_payload()),
            (topics.station_health(), Health(now, {"garden": "online", "console": "online"}, 5120, 300, 3600,
                                             cpu_temp_c=48.5, throttled=0, name=name).to_payload())]
        for topic, payload in retained:
            bus.publish(topic, payload, qos=1, retain=True).wait_for_publish(5)
        print(f"{station}: {len(retained)} retained messages, link {link}")
    bus.stop()


def write_home_assistant_config(folder: Path, port: int) -> None:
    (folder / ".storage").mkdir(parents=True, exist_ok=True)
    (folder / "configuration.yaml").write_text(HA_CONFIG, encoding="utf-8")
    entry = {"entry_id": uuid.uuid4().hex, "version": 1, "minor_version": 1, "domain": "mqtt", "title": "127.0.0.1",
             "data": {"broker": "127.0.0.1", "port": port, "discovery": True}, "options": {},
             "pref_disable_new_entities": False, "pref_disable_polling": False, "source": "user", "unique_id": None,
             "disabled_by": None}
    entries = {"version": 1, "minor_version": 1, "key": "core.config_entries", "data": {"entries": [entry]}}
    (folder / ".storage" / "core.config_entries").write_text(json.dumps(entries, indent=2), encoding="utf-8")
    print(f"Home Assistant configuration in {folder}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    publish_stations(int(sys.argv[1]))
    write_home_assistant_config(Path(sys.argv[2]), int(sys.argv[1]))
