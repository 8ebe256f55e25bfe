"""A sensor's alert thresholds, changed by staff at run time with station.toml's own rules.

`dry_below`, `ok_above`, `confirm_readings` and `stale_after_s` start as station.toml
says; staff may change them from the console (the garden's `thresholds` command). Every
change is checked by kiosk/config.py itself (`rebuilt`: the same types, ranges and the
ok_above ≥ dry_below cross-check as at start-up), and a refusal is worded here once,
for every face, with the limits read from those same checks.
"""

from __future__ import annotations

import logging

from kiosk import config as station_config
from kiosk.errors import BadValue, ConfigError
from kiosk.staff_requests import Outcome
from kiosk.translation import N_

log = logging.getLogger(__name__)

KEYS = ("dry_below", "ok_above", "confirm_readings", "stale_after_s")

PERCENT = N_("The moisture levels are percentages from {low} to {high}.")
READINGS = N_("Readings until it counts: a whole number from {low} to {high}.")
SILENCE = N_("A sensor can count as silent after {low} seconds at the earliest.")
ORDER = N_("The alert can only end above where it starts: the level that ends it must not be "
           "below the level that starts it.")
WORDS = {"dry_below": PERCENT, "ok_above": PERCENT, "confirm_readings": READINGS, "stale_after_s": SILENCE}


class BadThresholds(BadValue):
    """Thresholds station.toml would refuse; `outcome` says why in words staff read."""

    def __init__(self, problem: ConfigError):
        key = problem.key.rpartition(".")[2]
        ordered = key == "ok_above" and "dry_below" in problem.problem
        message = ORDER if ordered else WORDS.get(key, PERCENT)
        low, high = station_config.bounds(station_config.SensorConfig, key) if key in KEYS else (0, 100)
        self.outcome = Outcome(False, message, {"low": _plain(low), "high": _plain(high)}, detail=str(problem))
        super().__init__(str(problem))


def checked(sensor, changes: object):
    """`sensor` (a SensorConfig) with `changes` to its thresholds; raises BadThresholds (or
    BadValue for keys that are no thresholds) when station.toml would refuse the result."""
    if not isinstance(changes, dict) or not changes or not set(changes) <= set(KEYS):
        raise BadValue("change one or more of " + ", ".join(KEYS))
    try:
        return station_config.rebuilt(sensor, changes, f"garden.sensors[{sensor.node}]")
    except ConfigError as exc:
        raise BadThresholds(exc) from None


def values(sensor) -> dict:
    """The thresholds in force for `sensor`, as stored and published."""
    return {key: getattr(sensor, key) for key in KEYS}


def in_force(sensor, override: dict | None):
    """The sensor as station.toml says, with staff's stored thresholds where they still pass its rules."""
    if not override:
        return sensor
    try:
        return checked(sensor, {key: value for key, value in override.items() if key in KEYS})
    except BadValue as exc:
        # station.toml changed under the override (e.g. a new dry_below above it): its values win.
        log.warning("ignoring the thresholds set for %s from the console: %s", sensor.node, exc)
        return sensor


def _plain(number: float | None) -> str:
    return "" if number is None else f"{number:g}"
