"""What the garden publishes, as typed messages: one `to_payload`/`from_payload` pair each.

The garden service builds these and publishes `to_payload()` (a `Notice` it stores for
the notifier instead); the kiosk, `kiosk
doctor` and the demo read them with `from_payload`, which takes the decoded JSON
(kiosk/bus/payloads.py) and raises BadMessage on anything else, never another
error. The wire format is DESIGN.md's "MQTT topics" table; Home Assistant's
discovery (kiosk/garden/discovery.py) reads `moisture` and `active` from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.bus.fields import Fields
from kiosk.garden.spans import NAMES as SPAN_NAMES
from kiosk.garden.alerts import STATUSES

ALERT_KINDS = tuple(status for status in STATUSES if status != "ok")   # dry, stale, fault
NOTICE_EVENTS = ("raised", "reminder", "cleared")


@dataclass(frozen=True)
class BedState:
    """`garden/{node}/state` (retained): the node's moisture in % (None before a first good reading) and status."""

    ts: str
    moisture: float | None
    status: str

    def to_payload(self) -> dict[str, Any]:
        return {"ts": self.ts, "moisture": self.moisture, "status": self.status}

    @classmethod
    def from_payload(cls, payload: Any) -> "BedState":
        f = Fields(payload, "bed state")
        return cls(ts=f.time("ts"), moisture=f.number("moisture", null=True), status=f.choice("status", STATUSES))


@dataclass(frozen=True)
class BedAlert:
    """`garden/{node}/alert` (retained): whether a watering, silence or fault alert is on, and since when.

    Cleared, `kind` names what was cleared. `acknowledged`: staff saw it, no more reminders.
    """

    active: bool
    kind: str
    since: str
    moisture: float | None
    acknowledged: bool = False

    def to_payload(self) -> dict[str, Any]:
        return {"active": self.active, "kind": self.kind, "since": self.since, "moisture": self.moisture,
                "acknowledged": self.acknowledged}

    @classmethod
    def from_payload(cls, payload: Any) -> "BedAlert":
        f = Fields(payload, "bed alert")
        # `acknowledged` came later than DESIGN.md's table: an alert kept from before counts as not seen.
        return cls(active=f.flag("active"), kind=f.choice("kind", ALERT_KINDS), since=f.time("since"),
                   moisture=f.number("moisture", null=True), acknowledged=bool(f.flag("acknowledged", optional=True)))


@dataclass(frozen=True)
class BedSettings:
    """`garden/{node}/settings` (retained): the thresholds the garden goes by, staff's changes included."""

    dry_below: float
    ok_above: float
    confirm_readings: int
    stale_after_s: int

    def to_payload(self) -> dict[str, Any]:
        return {"dry_below": self.dry_below, "ok_above": self.ok_above, "confirm_readings": self.confirm_readings,
                "stale_after_s": self.stale_after_s}

    @classmethod
    def from_payload(cls, payload: Any) -> "BedSettings":
        f = Fields(payload, "bed settings")
        return cls(dry_below=f.number("dry_below"), ok_above=f.number("ok_above"),
                   confirm_readings=f.count("confirm_readings"), stale_after_s=f.count("stale_after_s"))


@dataclass(frozen=True)
class HistoryPoint:
    """Moisture in one bucket of a plot series: lowest, average, highest of `n` readings."""

    ts: str
    min: float
    avg: float
    max: float
    n: int

    def to_payload(self) -> dict[str, Any]:
        return {"ts": self.ts, "min": self.min, "avg": self.avg, "max": self.max, "n": self.n}

    @classmethod
    def read(cls, f: Fields) -> "HistoryPoint":
        return cls(ts=f.time("ts"), min=f.number("min"), avg=f.number("avg"), max=f.number("max"), n=f.count("n"))


@dataclass(frozen=True)
class History:
    """`garden/{node}/history/{span}` (retained) and the `history` command's answer: a plot series."""

    node: str
    span: str
    bucket_s: int
    points: tuple[HistoryPoint, ...] = ()

    def to_payload(self) -> dict[str, Any]:
        return {"node": self.node, "span": self.span, "bucket_s": self.bucket_s,
                "points": [point.to_payload() for point in self.points]}

    @classmethod
    def from_payload(cls, payload: Any) -> "History":
        f = Fields(payload, "bed history")
        return cls(node=f.text("node"), span=f.choice("span", SPAN_NAMES), bucket_s=f.count("bucket_s"),
                   points=tuple(HistoryPoint.read(point) for point in f.items("points")))


@dataclass(frozen=True)
class Notice:
    """One thing to tell staff about a bed by e-mail and push (a row of garden.sqlite's notices, not a bus message).

    `event` is raised, reminder or cleared; `kind` the alert's (for cleared: what was cleared);
    `since` when the status began (ISO 8601 — a notice written by an older version holds the
    local time as text); `id` its row, 0 until stored. kiosk/garden/notify.py words it.
    """

    node: str
    name: str
    kind: str
    event: str
    moisture: float | None
    since: str
    id: int = 0

    @property
    def urgent(self) -> bool:
        return self.event != "cleared"

    def to_payload(self) -> dict[str, Any]:
        payload = {"node": self.node, "name": self.name, "kind": self.kind, "event": self.event,
                   "moisture": self.moisture, "since": self.since}
        if self.id:
            payload["id"] = self.id
        return payload

    @classmethod
    def from_payload(cls, payload: Any) -> "Notice":
        f = Fields(payload, "notice")
        return cls(node=f.text("node"), name=f.text("name"), kind=f.choice("kind", ALERT_KINDS),
                   event=f.choice("event", NOTICE_EVENTS), moisture=f.number("moisture", null=True),
                   since=f.text("since"), id=f.count("id", optional=True) or 0)


__all__ = ["NOTICE_EVENTS", "Notice", "ALERT_KINDS", "BedAlert", "BedSettings", "BedState", "History", "HistoryPoint"]
