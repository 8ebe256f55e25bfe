"""What the units rely on from the services: sd_notify READY=1 and WATCHDOG=1, and the broker
account from the credentials file (EnvironmentFile=) the installer wrote."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from kiosk.bus.broker import free_port
from tests.deploy.brokers import Mosquitto, render_installed
from tests.deploy.conftest import credentials
from tests.deploy.test_broker_acl import BASE, Client


def station_toml(tmp_path, port: int) -> str:
    path = tmp_path / "station.toml"
    path.write_text(f'[station]\nid = "batenbrock-1"\ndata_dir = "{tmp_path}/data"\n'
                    f'[mqtt]\nhost = "127.0.0.1"\nport = {port}\n'
                    f'[bridge]\nport = "{tmp_path}/no-port"\n[[garden.sensors]]\nnode = "bed-1"\n')
    return str(path)


def start_service(command: str, config: str, notify: str, extra_env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "KIOSK_CONFIG": config, "NOTIFY_SOCKET": notify, **(extra_env or {})}
    return subprocess.Popen([sys.executable, "-m", "kiosk", command], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        _, err = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err or ""


@pytest.mark.parametrize("command", ["garden", "bridge"])
def test_service_tells_systemd_it_is_ready_and_alive(command, broker, tmp_path):
    notify = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(notify)
        sock.settimeout(0.5)
        process = start_service(command, station_toml(tmp_path, broker.port), notify)
        got: list[str] = []
        try:
            deadline = time.monotonic() + 15        # WatchdogSec=30: several pings well within it
            while time.monotonic() < deadline and got.count("WATCHDOG=1") < 3:
                try:
                    got.append(sock.recv(256).decode())
                except socket.timeout:
                    assert process.poll() is None, process.stderr.read()
        finally:
            err = stop(process)
    assert "READY=1" in got, err[-2000:]
    assert got.count("WATCHDOG=1") >= 3 and got.index("READY=1") < got.index("WATCHDOG=1"), got


def test_a_service_logs_in_with_the_account_from_its_credentials_file(installed_root, tmp_path):
    """kiosk-garden.service passes /etc/kiosk/credentials/garden.env (KIOSK_MQTT_USERNAME and
    KIOSK_MQTT_PASSWORD) to `kiosk garden`; the broker accepts nobody without an account."""
    port = free_port()
    conf = render_installed((installed_root / "etc/mosquitto/conf.d/kiosk.conf").read_text(), installed_root, port)
    username, password = credentials(installed_root, "garden")
    with Mosquitto(tmp_path / "broker", conf, port=port):
        observer = Client(port, "homeassistant", installed_root).start(f"{BASE}/garden/status")
        process = start_service("garden", station_toml(tmp_path, port), str(tmp_path / "no-notify.sock"),
                                {"KIOSK_MQTT_USERNAME": username, "KIOSK_MQTT_PASSWORD": password})
        try:
            status = observer.next_on(f"{BASE}/garden/status", timeout=10, skip=lambda p: p != "online")
        finally:
            err = stop(process)
            observer.stop()
    assert status == "online", "kiosk garden did not log in with KIOSK_MQTT_USERNAME/PASSWORD:\n" + err[-1500:]
