"""Home Assistant MQTT discovery: an existing Home Assistant finds the bed by itself.

Published retained on every connect: a moisture sensor reading the `state` topic
and a problem binary sensor reading the `alert` topic, both unavailable whenever
`kiosk garden` says `offline` (its last will).
"""

from __future__ import annotations

from kiosk import __version__


def discovery_messages(config, topics) -> list[tuple[str, dict]]:
    station = config.station.id
    availability = {"topic": topics.status("garden"), "payload_available": "online",
                    "payload_not_available": "offline"}
    messages = []
    for sensor in config.garden.sensors:
        device = {"identifiers": [f"{station}_{sensor.node}"], "name": f"{sensor.name} ({sensor.node})",
                  "manufacturer": "Stadtteilbüro Batenbrock", "model": "Kräuterbeet-Sensor",
                  "sw_version": __version__}
        messages.append((topics.ha_moisture_config(sensor.node), {
            "name": "Bodenfeuchte", "unique_id": f"{station}_{sensor.node}_moisture",
            "state_topic": topics.garden_state(sensor.node),
            "value_template": "{{ value_json.moisture }}", "unit_of_measurement": "%",
            "device_class": "moisture", "state_class": "measurement",
            "json_attributes_topic": topics.garden_state(sensor.node),
            "availability": [availability], "device": device,
        }))
        messages.append((topics.ha_alert_config(sensor.node), {
            "name": "Gießalarm", "unique_id": f"{station}_{sensor.node}_alert",
            "state_topic": topics.garden_alert(sensor.node),
            "value_template": "{{ 'ON' if value_json.active else 'OFF' }}",
            "device_class": "problem", "json_attributes_topic": topics.garden_alert(sensor.node),
            "availability": [availability], "device": device,
        }))
    return messages
