"""The display's backlight, through Linux sysfs (`/sys/class/backlight/*/brightness`).

The official 7" display and most DSI panels have one; HDMI screens do not. Where there
is none, or it is not writable by this user, the kiosk dims with its veil only.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

SYSFS = Path("/sys/class/backlight")
DIM_FRACTION = 10        # dimmed: a tenth of the maximum (never 0: some panels switch off)


class Backlight:
    """One writable backlight: turned down while the kiosk is dimmed, back to where it was after.

    A write that fails (the panel went away, a driver that refuses) is logged once; from then on
    the backlight is left alone.
    """

    def __init__(self, brightness: Path):
        self.path = Path(brightness)
        self._bright: str | None = None
        self._broken = False

    @classmethod
    def find(cls, root: Path = SYSFS) -> "Backlight | None":
        """The first backlight under `root` this process may write to, or None."""
        for path in sorted(Path(root).glob("*/brightness")):
            try:
                with open(path, "a"):
                    return cls(path)
            except OSError:
                continue
        return None

    def set_dim(self, dim: bool) -> None:
        """Turn the light down (remembering its level) or back to the level it had."""
        if self._broken:
            return
        try:
            if dim:
                self._bright = self.path.read_text().strip()
                maximum = int((self.path.parent / "max_brightness").read_text())
                self.path.write_text(str(max(1, maximum // DIM_FRACTION)))
            elif self._bright:
                self.path.write_text(self._bright)
        except (OSError, ValueError) as exc:
            log.info("backlight %s not adjustable (%s); leaving it as it is", self.path.parent.name, exc)
            self._broken = True

    def __repr__(self) -> str:
        return f"<Backlight {self.path.parent.name}{' broken' if self._broken else ''}>"
