"""Mosquitto started from the station's real configuration files, rendered into a test folder.

`LocalBroker` (kiosk.bus.broker) always allows anonymous clients; these tests need the
installed `kiosk.conf` with its password file and ACL, so they start Mosquitto themselves.
"""

from __future__ import annotations

import getpass
import re
import socket
import subprocess
import time
from pathlib import Path

from kiosk.bus.broker import find_mosquitto, free_port


def render_installed(conf_text: str, root: Path, port: int) -> str:
    """An installed Mosquitto config pointed at the fake root `root` and a free loopback `port`."""
    text = re.sub(r"^listener 1883 127\.0\.0\.1$", f"listener {port} 127.0.0.1", conf_text, flags=re.M)
    assert f"listener {port}" in text, "kiosk.conf no longer has the expected local listener line"
    return text.replace(" /etc/mosquitto/", f" {root}/etc/mosquitto/")


class Mosquitto:
    """Mosquitto on `port` with `config` (plus what a test folder needs), keeping its files in `folder`."""

    def __init__(self, folder: Path, config: str, port: int | None = None):
        self.folder = Path(folder)
        self.port = port or free_port()
        self.config = config
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> "Mosquitto":
        self.folder.mkdir(parents=True, exist_ok=True)
        conf = self.folder / "mosquitto.conf"
        # As root it would switch to the 'mosquitto' user and lose access to the test folder.
        conf.write_text(f"user {getpass.getuser()}\npersistence_location {self.folder}/\n"
                        f"{self.config.replace('@PORT@', str(self.port))}\n")
        log = open(self.folder / "mosquitto.log", "ab")
        self.process = subprocess.Popen([find_mosquitto(), "-c", str(conf)], stdout=log, stderr=log,
                                        stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"mosquitto exited at once:\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise AssertionError(f"mosquitto did not listen on {self.port}:\n{self.log()}")

    def log(self) -> str:
        path = self.folder / "mosquitto.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> "Mosquitto":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
