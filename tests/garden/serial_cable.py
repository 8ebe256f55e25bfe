"""A USB serial cable made of pseudo-terminals: plug, write, pull, plug again.

The bridge opens a stable path (like /dev/serial/by-id/…) that is a symlink to
the current pty, exactly as udev does for a real node; pulling the cable closes
the pty, plugging it back makes a new one and re-points the link.
"""

from __future__ import annotations

import os
import select
import time
import tty
from pathlib import Path

WRITE_TIMEOUT_S = 10.0    # a port nobody reads fills up; fail the test instead of hanging it


class SerialCable:
    def __init__(self, link: Path):
        self.link = Path(link)
        self.master: int | None = None
        self._slave: int | None = None

    def plug(self) -> "SerialCable":
        self.master, self._slave = os.openpty()
        os.set_blocking(self.master, False)
        tty.setraw(self._slave)      # no echo, no line editing: a byte pipe like a USB CDC port
        if self.link.is_symlink() or self.link.exists():
            self.link.unlink()
        self.link.symlink_to(os.ttyname(self._slave))
        return self

    def write(self, data: bytes) -> None:
        assert self.master is not None, "cable is not plugged in"
        view = memoryview(data)
        deadline = time.monotonic() + WRITE_TIMEOUT_S
        while view:
            try:
                view = view[os.write(self.master, view):]
                continue
            except BlockingIOError:
                pass
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([], [self.master], [], remaining)[1]:
                raise AssertionError(f"nobody reads the serial port: {len(view)} bytes not taken "
                                     f"within {WRITE_TIMEOUT_S:.0f} s")

    def pull(self) -> None:
        for fd in (self.master, self._slave):
            if fd is not None:
                os.close(fd)
        self.master = self._slave = None
        if self.link.is_symlink():
            self.link.unlink()
