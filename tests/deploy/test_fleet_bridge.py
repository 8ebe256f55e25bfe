"""The fleet link: a station's broker forwards its topics to a central broker over TLS,
and queues them while the link is down (config/fleet/*.example, rendered for loopback)."""

from __future__ import annotations

import subprocess

import pytest

from kiosk.bus import Bus
from kiosk.bus.broker import free_port
from tests.deploy.brokers import Mosquitto, render_installed
from tests.deploy.conftest import ROOT
from tests.deploy.test_broker_acl import BASE, Client, station_config


def render(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in the example"
        text = text.replace(old, new)
    return text


@pytest.fixture
def fleet(installed_root, tmp_path):
    """(station broker, central broker, district client on the central broker)."""
    import trustme   # a declared test dependency: missing is a broken set-up, never a skip
    ca = trustme.CA()
    cert = ca.issue_cert("localhost")
    central_dir = tmp_path / "central-etc"
    central_dir.mkdir()
    ca.cert_pem.write_to_path(str(central_dir / "ca.crt"))
    cert.cert_chain_pems[0].write_to_path(str(central_dir / "server.crt"))
    cert.private_key_pem.write_to_path(str(central_dir / "server.key"))
    passwd = central_dir / "passwd"
    subprocess.run(["mosquitto_passwd", "-c", "-b", str(passwd), "batenbrock-1", "station-secret"], check=True)
    subprocess.run(["mosquitto_passwd", "-b", str(passwd), "district", "district-secret"], check=True)
    (central_dir / "central.acl").write_text((ROOT / "config/fleet/central.acl.example").read_text())

    central_port = free_port()
    central_conf = render((ROOT / "config/fleet/central.conf.example").read_text(), {
        "listener 8883": f"listener {central_port} localhost", "/etc/mosquitto/central/": f"{central_dir}/"})
    central = Mosquitto(tmp_path / "central", central_conf, port=central_port).start()

    station_port = free_port()
    bridge_conf = render((ROOT / "config/fleet/bridge.conf.example").read_text(), {
        "address central.example.org:8883": f"address localhost:{central_port}",
        "remote_password CHANGE-ME": "remote_password station-secret",
        "bridge_cafile /etc/mosquitto/kiosk/fleet-ca.crt": f"bridge_cafile {central_dir}/ca.crt",
        "restart_timeout 5 120": "restart_timeout 1 2"})      # retry fast in the test
    station_conf = render_installed((installed_root / "etc/mosquitto/conf.d/kiosk.conf").read_text(),
                                    installed_root, station_port)
    station = Mosquitto(tmp_path / "station", station_conf + "\n" + bridge_conf, port=station_port).start()

    config = station_config(central_port, "district", "district-secret", tls_ca=str(central_dir / "ca.crt"),
                            host="localhost")
    # A persistent session at the central broker, like a district dashboard's.
    district = Client.around(Bus(config, "district", persistent=True, client_id="district-dashboard", announce=False))
    district.start(f"{BASE}/#")
    assert district.bus.wait_connected(10), central.log()
    try:
        yield station, central, district
    finally:
        district.stop()
        station.stop()
        central.stop()


def test_readings_and_alerts_reach_the_central_broker_and_wait_out_a_broken_link(fleet, installed_root):
    station, central, district = fleet
    link = district.next_on(f"{BASE}/fleet/link", timeout=10, skip=lambda p: p != "1")
    assert link == "1", station.log() + central.log()
    bridge = Client(station.port, "bridge", installed_root).start()
    garden = Client(station.port, "garden", installed_root).start()
    try:
        assert bridge.bus.wait_connected(10) and garden.bus.wait_connected(10)
        reading = f"{BASE}/garden/bed-1/reading"
        alert = f"{BASE}/garden/bed-1/alert"
        bridge.publish(reading, {"node": "bed-1", "seq": 1, "raw": 40000})
        assert district.next_on(reading)["seq"] == 1
        garden.publish(alert, {"active": False, "kind": "dry"}, retain=True)
        assert district.next_on(alert) == {"active": False, "kind": "dry"}

        central.stop()                                   # the district's link is down
        for seq in range(2, 7):
            bridge.publish(reading, {"node": "bed-1", "seq": seq, "raw": 47000})
        garden.publish(alert, {"active": True, "kind": "dry"}, retain=True)
        central.start()                                  # ... and back: the station sends what it queued

        assert [district.next_on(reading, timeout=15)["seq"] for _ in range(5)] == [2, 3, 4, 5, 6], station.log()
        assert district.next_on(alert, skip=lambda p: not p["active"]) == {"active": True, "kind": "dry"}
    finally:
        bridge.stop()
        garden.stop()
