"""A USB serial cable made of pseudo-terminals: plug, write, pull, plug again.

The bridge opens a stable path (like /dev/serial/by-id/…) that is a symlink to
the current pty, exactly as udev does for a real node; pulling the cable closes
the pty, plugging it back makes a new one and re-points the link.
"""

from __future__ import annotations

import os
import tty
from pathlib import Path


class SerialCable:
    def __init__(self, link: Path):
        self.link = Path(link)
        self.master: int | None = None
        self._slave: int | None = None

    def plug(self) -> "SerialCable":
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)      # no echo, no line editing: a byte pipe like a USB CDC port
        if self.link.is_symlink() or self.link.exists():
            self.link.unlink()
        self.link.symlink_to(os.ttyname(self._slave))
        return self

    def write(self, data: bytes) -> None:
        assert self.master is not None, "cable is not plugged in"
        view = memoryview(data)
        while view:
            written = os.write(self.master, view)
            view = view[written:]

    def pull(self) -> None:
        for fd in (self.master, self._slave):
            if fd is not None:
                os.close(fd)
        self.master = self._slave = None
        if self.link.is_symlink():
            self.link.unlink()
