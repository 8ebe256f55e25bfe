"""A PIR motion sensor in front of the shop window, through gpiozero."""

from __future__ import annotations

import logging
from typing import Callable

log = logging.getLogger(__name__)


def open_motion_sensor(pin: int, on_motion: Callable[[], None], pin_factory=None):
    """A gpiozero MotionSensor on BCM `pin` calling `on_motion()` (in gpiozero's thread) on each
    movement; None when `pin` is negative (no sensor) or GPIO is not available here (logged)."""
    if pin < 0:
        return None
    try:
        from gpiozero import MotionSensor

        sensor = MotionSensor(pin, pin_factory=pin_factory)
        sensor.when_motion = lambda *_: on_motion()
        return sensor
    except Exception as exc:  # noqa: BLE001 — gpiozero raises several kinds off a Pi
        log.warning("motion sensor on BCM %s not available (%s); waking by touch only", pin, exc)
        return None
