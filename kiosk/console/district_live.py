"""What the district's console knows of every station on the central broker, from their retained topics.

Each station's broker forwards what the district may see (config/fleet/bridge.conf.example); the
console in district mode ([console] mode = "district") subscribes with wildcards for prefix and
station and keeps, per station, its health, the bridge's link state, its garden alerts, the booth's
summary and the kiosk's month counters — each read with the typed message's `from_payload`, the same
the station's own faces use. Everything here comes from other machines: a message that cannot be
read empties that part of that station and marks it unreadable, until a readable one comes; it never
touches another station. paho's thread only updates the table; the page reads a copy.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import Callable

from kiosk.booth.messages import Summary
from kiosk.bus import Message, Topics
from kiosk.errors import BadMessage, ProtocolError
from kiosk.garden.messages import BedAlert
from kiosk.station.discovery import LINK_DOWN, LINK_UP
from kiosk.station.health import Health
from kiosk.usage.messages import UsageSummary

MAX_STATIONS = 200          # a district has a handful; beyond this a flood of made-up station ids is ignored
MAX_NODES = 50              # herb beds per station, likewise
HEALTH, LINK, SUMMARY, USAGE = "health", "link", "summary", "usage"


@dataclass(frozen=True)
class StationSeen:
    """One station as the central broker shows it. `unreadable` names the parts whose last message could not
    be read ("health", "link", "summary", "usage", or "alert/<node>")."""

    prefix: str
    station: str
    health: Health | None = None
    link: str | None = None                 # LINK_UP, LINK_DOWN, or None: no bridge has said anything
    alerts: dict[str, BedAlert] = field(default_factory=dict)      # node -> its alert
    summary: Summary | None = None
    usage: UsageSummary | None = None
    unreadable: frozenset[str] = frozenset()


def _link(message: Message) -> str:
    text = message.text()
    if text not in (LINK_UP, LINK_DOWN):
        raise BadMessage(f"{message.topic}: the link is '1' or '0'")
    return text


# kind (kiosk/bus/topics.py) -> (the part it fills, how it is read)
READERS: dict[str, tuple[str, Callable]] = {
    "station_health": (HEALTH, lambda message: Health.from_payload(message.json_object())),
    "fleet_link": (LINK, _link),
    "booth_summary": (SUMMARY, lambda message: Summary.from_payload(message.json_object())),
    "ui_usage": (USAGE, lambda message: UsageSummary.from_payload(message.json_object())),
    "garden_alert": ("alerts", lambda message: BedAlert.from_payload(message.json_object())),
}


class DistrictView:
    """A thread-safe table of every station seen on the central broker."""

    def __init__(self):
        self._lock = threading.Lock()
        self._stations: dict[tuple[str, str], StationSeen] = {}

    def attach(self, bus) -> None:
        every = Topics("+", "+")
        for topic_filter in (every.station_health(), every.fleet_link(), every.garden_alert("+"),
                             every.booth_summary(), every.ui_usage()):
            bus.subscribe(topic_filter, self.receive)

    def stations(self) -> list[StationSeen]:
        with self._lock:
            return sorted(self._stations.values(), key=lambda seen: (seen.station, seen.prefix))

    # --- paho's thread -------------------------------------------------------------------

    def receive(self, message: Message) -> None:
        """Take one message of any station; raises ProtocolError (after marking it) for one that cannot be read."""
        found = Topics.split(message.topic)
        if found is None or found[1].kind not in READERS:
            return
        topics, parsed = found
        part, read = READERS[parsed.kind]
        key = part if parsed.kind != "garden_alert" else f"alert/{parsed.node}"
        try:
            value = read(message) if message.payload else None      # empty: a retained message deleted
        except ProtocolError:
            self._update(topics, key, part, parsed.node, None, unreadable=True)
            raise
        self._update(topics, key, part, parsed.node, value, unreadable=False)

    def _update(self, topics: Topics, key: str, part: str, node: str | None, value, *, unreadable: bool) -> None:
        with self._lock:
            seen = self._stations.get((topics.prefix, topics.station))
            if seen is None:
                if len(self._stations) >= MAX_STATIONS:
                    return
                seen = StationSeen(topics.prefix, topics.station)
            if part == "alerts":
                alerts = dict(seen.alerts)
                if value is None:
                    alerts.pop(node, None)
                elif node in alerts or len(alerts) < MAX_NODES:
                    alerts[node] = value
                changes = {"alerts": alerts}
            else:
                changes = {part: value}
            if not unreadable:
                marks = seen.unreadable - {key}
            elif len(seen.unreadable) < MAX_NODES:
                marks = seen.unreadable | {key}
            else:
                marks = seen.unreadable
            self._stations[(topics.prefix, topics.station)] = replace(seen, **changes, unreadable=frozenset(marks))
