"""Home Assistant MQTT discovery: an existing Home Assistant finds the bed by itself.

Published retained on every connect: a moisture sensor reading the `state` topic
and a problem binary sensor reading the `alert` topic, both unavailable whenever
`kiosk garden` says `offline` (its last will) and, on a bridged station, whenever
the link to the district's central broker is down (kiosk/station/discovery.py).
"""

from __future__ import annotations

from kiosk.station import discovery


def discovery_messages(config, topics) -> list[tuple[str, dict]]:
    station = config.station.id
    availability = discovery.availability(config, topics, "garden")
    messages = []
    for sensor in config.garden.sensors:
        device = discovery.device(config, sensor.node, sensor.name, "Kräuterbeet-Sensor")
        messages.append((topics.ha_moisture_config(sensor.node), {
            "name": "Bodenfeuchte", "unique_id": f"{station}_{sensor.node}_moisture",
            "state_topic": topics.garden_state(sensor.node),
            "value_template": "{{ value_json.moisture }}", "unit_of_measurement": "%",
            "device_class": "moisture", "state_class": "measurement",
            "json_attributes_topic": topics.garden_state(sensor.node),
            **availability, "device": device,
        }))
        messages.append((topics.ha_alert_config(sensor.node), {
            "name": "Gießalarm", "unique_id": f"{station}_{sensor.node}_alert",
            "state_topic": topics.garden_alert(sensor.node),
            "value_template": "{{ 'ON' if value_json.active else 'OFF' }}",
            "device_class": "problem", "json_attributes_topic": topics.garden_alert(sensor.node),
            **availability, "device": device,
        }))
    return messages
