"""What the district may see of a station: the one list the fleet bridge forwards.

Readings, node events, state, alert, history and thresholds of each bed; the booth's
events (pseudonyms only) and summary; the kiosk's usage counters; each service's status
and faults; the station's health; and its Home Assistant discovery. Never what the
booth's emulated reader is told (`booth/simulate` carries raw card UIDs), staff commands
or their replies, nor garden's delivery confirmations. The link's own state
(`fleet/link`) is published by the bridge itself (bridge.conf.example).
"""

from __future__ import annotations

from kiosk.bus.topics import Topics


def topic_filters(topics: Topics) -> list[str]:
    """The MQTT topic filters the bridge forwards, for the station `topics` is of."""
    return [
        topics.garden_reading(),
        topics.garden_event(),
        topics.garden_state(),
        topics.garden_alert(),
        topics.garden_history(),
        topics.garden_settings(),
        topics.booth_events(),
        topics.booth_summary(),
        topics.ui_usage(),
        topics.status("+"),
        topics.faults("+"),
        topics.station_health(),
        discovery_filter(topics.station),
    ]


def discovery_filter(station: str) -> str:
    """Home Assistant discovery of one station: its node id is the station id
    (homeassistant/{component}/{station}/{object}/config)."""
    return f"homeassistant/+/{station}/#"
