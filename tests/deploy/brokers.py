"""Mosquitto started from the station's real configuration files, rendered into a test folder.

`LocalBroker` (kiosk.bus.broker) is by default an open test broker; these tests give it the
installed `kiosk.conf` with its password file and ACL instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.bus.broker import LocalBroker


def render_installed(conf_text: str, root: Path, port: int) -> str:
    """An installed Mosquitto config pointed at the fake root `root` and a free loopback `port`."""
    text = re.sub(r"^listener 1883 127\.0\.0\.1$", f"listener {port} 127.0.0.1", conf_text, flags=re.M)
    assert f"listener {port}" in text, "kiosk.conf no longer has the expected local listener line"
    return text.replace(" /etc/mosquitto/", f" {root}/etc/mosquitto/")


class Mosquitto(LocalBroker):
    """Mosquitto on `port` with a whole `config` of the station's own files."""

    def __init__(self, folder: Path, config: str, port: int | None = None):
        super().__init__(folder, port=port, config=config)
