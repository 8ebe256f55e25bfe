"""The watering-alert state machine of one sensor — plain data in, plain data out.

Status is one of ok, dry, stale, fault; an alert is active whenever the status
is not ok, and its kind is the status. The rules that keep staff from an alarm
storm:

- dry only after `confirm_readings` consecutive readings below `dry_below`;
  ok again only after as many consecutive readings above `ok_above`
  (hysteresis: a reading between the two keeps whatever the status is);
- a raw value outside the calibrated range counts toward `fault` the same way,
  and a node that reports a fault itself is believed at once;
- stale when no reading arrived for `stale_after_s`: a silent sensor is never
  reported as dry. The first reading after the silence restores the status it
  had before. A stale status counts from the last reading: that is when the
  silence began.

Every time here is the station's own clock — when a reading arrived, not the
time a node stamped on it: a node's clock that drifted in deep sleep must not
make the bed look silent, nor a clock in the future make it look alive forever.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

OK, DRY, STALE, FAULT = "ok", "dry", "stale", "fault"
STATUSES = (OK, DRY, STALE, FAULT)


@dataclass
class NodeState:
    """Everything the garden remembers about one sensor (persisted as JSON)."""

    node: str
    status: str = OK
    since: float = 0.0                 # epoch seconds the status began (station clock)
    moisture: float | None = None
    raw: int | None = None
    last_seen: float | None = None     # epoch seconds the last reading arrived (station clock)
    watching_since: float = 0.0        # when the garden started expecting readings
    streak: int = 0                    # consecutive readings toward `streak_to`
    streak_to: str | None = None
    before_stale: str = OK
    last_notified: float | None = None # for reminders; survives restarts
    acknowledged: bool = False         # staff saw it: no more reminders for this alert

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "NodeState":
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def alert_active(self) -> bool:
        return self.status != OK


@dataclass(frozen=True)
class Change:
    """The status of a node moved from `old` to `new`."""

    old: str
    new: str

    @property
    def raised(self) -> bool:
        return self.new != OK

    @property
    def cleared(self) -> bool:
        return self.new == OK


@dataclass(frozen=True)
class Thresholds:
    dry_below: float
    ok_above: float
    confirm_readings: int
    stale_after_s: float

    @classmethod
    def of_sensor(cls, sensor) -> "Thresholds":
        return cls(sensor.dry_below, sensor.ok_above, sensor.confirm_readings, sensor.stale_after_s)


def on_reading(state: NodeState, limits: Thresholds, moisture: float | None, raw: int,
               now: float) -> Change | None:
    """Take one reading that arrived at `now` (`moisture` None means the raw value is a fault)."""
    start = state.status
    state.last_seen = now
    state.raw = raw
    if state.status == STALE:
        _enter(state, state.before_stale, now)
    if moisture is None:
        wanted = FAULT
    else:
        state.moisture = moisture
        wanted = _wanted(state.status, limits, moisture)
    if wanted is None or wanted == state.status:
        state.streak, state.streak_to = 0, None
    else:
        if state.streak_to != wanted:
            state.streak, state.streak_to = 0, wanted
        state.streak += 1
        if state.streak >= limits.confirm_readings:
            _enter(state, wanted, now)
    return Change(start, state.status) if state.status != start else None


def on_fault_report(state: NodeState, now: float) -> Change | None:
    """The node itself says its sensor is broken."""
    start = state.status
    state.last_seen = now
    if start == FAULT:
        return None
    _enter(state, FAULT, now)
    return Change(start, FAULT)


def on_tick(state: NodeState, limits: Thresholds, now: float) -> Change | None:
    """Check for silence; call every few seconds."""
    _no_later_than(state, now)
    if state.status == STALE:
        return None
    heard = state.last_seen if state.last_seen is not None else state.watching_since
    if now - heard < limits.stale_after_s:
        return None
    start = state.status
    state.before_stale = start
    _enter(state, STALE, heard)
    return Change(start, STALE)


def reminder_due(state: NodeState, every_s: float, now: float) -> bool:
    """An active, unacknowledged alert whose last notification is `every_s` old."""
    if not state.alert_active or state.acknowledged or every_s <= 0 or state.last_notified is None:
        return False
    return now - state.last_notified >= every_s


def _wanted(status: str, limits: Thresholds, moisture: float) -> str | None:
    if status == DRY:
        return OK if moisture > limits.ok_above else None
    if status == OK:
        return DRY if moisture < limits.dry_below else None
    # Leaving a fault: where the reading sits decides.
    return DRY if moisture < limits.dry_below else OK


def _no_later_than(state: NodeState, now: float) -> None:
    """Times ahead of the station's clock would hold off the silence check until they are
    reached: the clock went back (a Pi without a battery clock before NTP), or a state was
    saved while node clocks were still believed. Count from now instead."""
    if state.last_seen is not None and state.last_seen > now:
        state.last_seen = now
    if state.watching_since > now:
        state.watching_since = now


def _enter(state: NodeState, status: str, now: float) -> None:
    if status != state.status:
        state.status = status
        state.since = now
        state.acknowledged = False
    state.streak, state.streak_to = 0, None


__all__ = ["NodeState", "Change", "Thresholds", "on_reading", "on_fault_report", "on_tick",
           "reminder_due", "OK", "DRY", "STALE", "FAULT", "STATUSES"]
