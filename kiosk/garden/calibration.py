"""Raw ADC value → soil moisture in percent, with a two-point calibration.

A capacitive sensor reads high in dry soil and low in wet soil; `raw_dry` maps to
0 % and `raw_wet` to 100 %, linearly, clamped. A raw value far outside that span
means a broken or unplugged sensor, which must be reported as a fault — never as
"dry", or staff would water a bed whose sensor lies in the grass.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import BadValue, NotFoundError

POINTS = ("dry", "wet")


@dataclass(frozen=True)
class Calibration:
    """The two points of one sensor plus how far outside them a reading is a fault."""

    raw_dry: int
    raw_wet: int
    fault_margin: float = 25.0   # percent of the dry–wet span

    def moisture(self, raw: int) -> float | None:
        """Percent 0–100, or None when the raw value means a sensor fault."""
        span = self.raw_dry - self.raw_wet
        percent = (self.raw_dry - raw) * 100.0 / span
        if percent < -self.fault_margin or percent > 100 + self.fault_margin:
            return None
        if raw in (0, 65535):     # rail values: the sensor's output is open or shorted
            return None
        return round(min(100.0, max(0.0, percent)), 1)


def of_sensor(sensor, override: dict | None = None) -> Calibration:
    """The calibration in force: station.toml's values unless staff re-calibrated."""
    override = override or {}
    return Calibration(raw_dry=override.get("raw_dry", sensor.raw_dry),
                       raw_wet=override.get("raw_wet", sensor.raw_wet),
                       fault_margin=sensor.fault_margin)


def calibrate_node(config, store, node: str, point: str, now: float) -> int:
    """Take the node's newest raw reading as its "dry" or "wet" point; returns that raw value.

    The one calibration task, for the staff screen (through `kiosk garden`) and `kiosk admin`:
    `store` is the GardenStore of garden.sqlite. Raises NotFoundError for a node that is not
    configured or has sent no reading yet, BadValue for a point other than "dry" or "wet".
    """
    sensor = config.garden.sensor(node)
    if sensor is None:
        raise NotFoundError(f"unknown sensor node {node!r}; known: "
                            + ", ".join(s.node for s in config.garden.sensors))
    check_point(point)
    raw = store.latest_raw(node)
    current = of_sensor(sensor, store.calibration_overrides().get(node))
    other = current.raw_wet if point == "dry" else current.raw_dry
    store.set_calibration_point(node, point, raw, other, now)
    return raw


def check_point(point: str) -> str:
    """`point` when it is "dry" or "wet"; raises BadValue in words a staff member understands."""
    if point not in POINTS:
        raise BadValue(f"a sensor is calibrated at its dry point (in dry air) or its wet point (in water), "
                       f"not {str(point)[:20]!r}")
    return point
