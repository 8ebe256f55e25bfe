"""When the kiosk goes back to the start and when it dims.

A passer-by who walks away leaves nothing behind: `ui.idle_reset_s` after the last touch
the kiosk returns home and forgets what was typed. For the last `WARN_S` seconds before that it
warns, with a countdown, whenever something would be lost (WCAG 2.2.1): a touch keeps it all
and starts the minute again. The screen dims `ui.dim_after_s` after
the last touch or motion; outside the opening hours already after `ui.idle_reset_s`.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Callable

from kiosk.config import UiConfig


WARN_S = 15.0        # how long before the reset the kiosk asks "are you still there?"


class Idle:
    """The kiosk's idle clock: touches and motion in, "reset now" and "dim now" out."""

    def __init__(self, settings: UiConfig, clock: Callable[[], float]):
        self.settings = settings
        self.clock = clock
        self.last_touch = clock()
        self.last_motion = float("-inf")
        self.at_rest = True          # reset and untouched since: nothing to forget

    def touched(self) -> None:
        """Someone uses the kiosk (a touch, a staff login, a booth tap that opens a screen)."""
        self.last_touch = self.clock()
        self.at_rest = False

    def moved(self) -> None:
        """Someone is in front of the window (PIR, a booth tap): keeps the screen bright only."""
        self.last_motion = self.clock()

    def rested(self) -> None:
        self.at_rest = True

    def reset_due(self) -> bool:
        return not self.at_rest and self.clock() - self.last_touch >= self.settings.idle_reset_s

    def warning_left(self, losing: bool) -> int | None:
        """Whole seconds until the reset while the kiosk should warn of it, else None.

        `losing`: the reset would throw something away (a half-typed idea, the language, large text,
        a screen other than home). Warns for WARN_S, or the last half of a shorter idle time.
        """
        if self.at_rest or not losing:
            return None
        left = self.settings.idle_reset_s - (self.clock() - self.last_touch)
        if 0 < left <= min(WARN_S, self.settings.idle_reset_s / 2):
            return math.ceil(left)
        return None

    def dim_due(self, local: datetime) -> bool:
        """True once the screen has been quiet long enough (`local`: the station's local time)."""
        ui = self.settings
        quiet = self.clock() - max(self.last_touch, self.last_motion)
        limit = ui.dim_after_s if ui.opening_hours.is_open(local) else min(ui.dim_after_s, ui.idle_reset_s)
        return quiet >= limit
