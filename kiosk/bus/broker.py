"""A private Mosquitto on a free loopback port, for `kiosk demo` and the tests.

It is the real broker, started as a child process with its own configuration
and persistence folder, so sessions survive a restart the way they do on the Pi.
"""

from __future__ import annotations

import getpass
import shutil
import socket
import subprocess
import time
from pathlib import Path

from kiosk.errors import BusError

INSTALL_HINT = "install it with: sudo apt-get install mosquitto"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_mosquitto() -> str:
    """Path of the mosquitto binary; raises BusError with the install command when missing."""
    for candidate in (shutil.which("mosquitto"), "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"):
        if candidate and Path(candidate).exists():
            return candidate
    raise BusError("Mosquitto is not installed; " + INSTALL_HINT)


class LocalBroker:
    """Mosquitto listening on 127.0.0.1:`port`, keeping its files in `folder`.

    By default it is the open, persistent test broker; `config` replaces that with a
    whole configuration of one's own (`@PORT@` stands for the port), e.g. the
    station's installed kiosk.conf with its accounts and ACL.
    """

    def __init__(self, folder: str | Path, port: int | None = None, extra_config: str = "",
                 config: str | None = None):
        self.folder = Path(folder)
        self.port = port or free_port()
        self.extra_config = extra_config
        self.config = config
        self.process: subprocess.Popen | None = None

    @property
    def config_path(self) -> Path:
        return self.folder / "mosquitto.conf"

    def _config_text(self) -> str:
        # Started as root, mosquitto would switch to the 'mosquitto' user and then
        # fail to write its persistence file here; stay who we are.
        head = f"user {getpass.getuser()}\npersistence_location {self.folder}/\n"
        if self.config is not None:
            return head + self.config.replace("@PORT@", str(self.port)) + "\n" + self.extra_config + "\n"
        return (head + f"listener {self.port} 127.0.0.1\n"
                "allow_anonymous true\n"
                "set_tcp_nodelay true\n"
                "persistence true\n"
                "autosave_interval 5\n"
                "max_queued_messages 100000\n"
                f"{self.extra_config}\n")

    def log(self) -> str:
        path = self.folder / "mosquitto.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def start(self, timeout: float = 10.0) -> "LocalBroker":
        binary = find_mosquitto()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(self._config_text())
        log = open(self.folder / "mosquitto.log", "ab")
        self.process = subprocess.Popen([binary, "-c", str(self.config_path)], stdout=log, stderr=log,
                                        stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BusError(f"mosquitto exited at once:\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise BusError(f"mosquitto did not listen on port {self.port} within {timeout:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        """Stop gracefully (it saves its persistence file), killing it if it hangs."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> "LocalBroker":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
