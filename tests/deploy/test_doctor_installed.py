"""`kiosk doctor` against the installed broker, logged in as the installed `kiosk` command does:
with the account admin (from /etc/kiosk/credentials/admin.env), never a service's."""

from __future__ import annotations

import os
import subprocess
import sys

from kiosk.bus.broker import free_port
from tests.deploy.brokers import Mosquitto, render_installed
from tests.deploy.conftest import credentials
from tests.deploy.test_broker_acl import Client


def doctor(tmp_path, port: int, account: tuple[str, str] | None) -> subprocess.CompletedProcess:
    config = tmp_path / "station.toml"
    config.write_text(f'[station]\nid = "batenbrock-1"\ndata_dir = "{tmp_path}"\n'
                      f'[mqtt]\nhost = "127.0.0.1"\nport = {port}\n[booth]\nreader = "emulated"\n')
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_MQTT_")}
    if account:
        env.update(KIOSK_MQTT_USERNAME=account[0], KIOSK_MQTT_PASSWORD=account[1])
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "doctor"],
                          capture_output=True, text=True, timeout=60, env=env)


def test_doctor_reports_each_service_and_its_faults_with_the_admin_account(installed_root, tmp_path):
    port = free_port()
    conf = render_installed((installed_root / "etc/mosquitto/conf.d/kiosk.conf").read_text(), installed_root, port)
    with Mosquitto(tmp_path / "broker", conf, port=port):
        garden = Client(port, "garden", installed_root).start()
        booth = Client(port, "booth", installed_root).start()
        try:
            assert garden.bus.wait_connected(10) and booth.bus.wait_connected(10)
            booth.bus.faults.raise_fault("disk", "the disk is full; loans wait in memory")
            booth.stop()                             # says "offline"; its faults stay retained
            anonymous = doctor(tmp_path, port, None).stdout
            out = doctor(tmp_path, port, credentials(installed_root, "admin")).stdout
            # The doctor's login did not throw garden off: garden's account is garden's alone.
            assert garden.bus.connected.is_set()
        finally:
            garden.stop()
    assert "PROBLEM  the broker refuses the anonymous login" in anonymous
    assert "/etc/kiosk/credentials/admin.env" in anonymous
    assert "ok       the broker accepts the account 'admin'" in out, out
    assert "ok       service garden is connected to the broker" in out, out
    assert "PROBLEM  service booth is not connected to the broker (offline)" in out, out
    assert "PROBLEM  service booth: the disk is full; loans wait in memory (since 20" in out, out
