"""The fleet link (docs/deploy.md, "A district-wide fleet"): two stations bridged to a TLS
central broker on loopback, with the files `kiosk fleet central` and `kiosk fleet bridge`
make from config/fleet/*.example (only ports, paths and passwords changed).

What crosses: only what the district may see — never a card UID, a staff command or a
reply. Who may log in: a station neither takes over another's session nor writes its
topics; a central broker with another CA or another name is refused. The link's behaviour
through an outage and a silent cut: test_fleet_cuts.py.
"""

from __future__ import annotations

import ssl
import subprocess
import time

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from tests.deploy.fleet import TESTER, District

UID = "04a1b2c3"


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    district = District(tmp_path_factory.mktemp("fleet"), ["batenbrock-1", "welheim-1"])
    district.watch = recorder = district.recorder()
    try:
        assert recorder.connected.wait(10), district.broker.log()
        district.batenbrock = district.station("batenbrock-1")
        district.welheim = district.station("welheim-1", prefix="welheim")   # another office's prefix
        for station in (district.batenbrock, district.welheim):
            link = recorder.wait_for(station.topics.base + "/fleet/link", lambda a: a.payload == 1, 20)
            assert link is not None, station.broker.log() + district.broker.log()
        yield district
    finally:
        district.watch.stop()
        district.stop()


def marker(station, recorder, n: int) -> None:
    """Publish an allowed message after the others and wait for it at the centre: the bridge
    keeps the order of what it forwards, so whatever was published before had its chance."""
    topic = station.topics.booth_summary()
    station.as_("booth").publish(topic, {"marker": n}, retain=True)
    assert recorder.wait_for(topic, lambda a: a.payload == {"marker": n}, 20), station.broker.log()


def test_only_what_the_district_may_see_reaches_the_centre(district):
    recorder, station = district.watch, district.batenbrock
    t = station.topics
    allowed = {
        t.garden_reading("bed-1"): ("bridge", {"node": "bed-1", "seq": 1, "raw": 40000}),
        t.garden_state("bed-1"): ("garden", {"ts": "2026-01-01T00:00:00Z", "moisture": 40, "status": "ok"}),
        t.garden_alert("bed-1"): ("garden", {"active": False, "kind": "dry"}),
        t.garden_history("bed-1", "24h"): ("garden", {"points": []}),
        t.booth_events(): ("booth", {"type": "checkout", "card": "Lesefuchs 17", "book": {"id": 1, "title": "Das Sams"}}),
        t.ui_usage(): ("ui", {"screens": {"home": 3}}),
        t.station_health(): ("console", {"ts": "2026-01-01T00:00:00Z", "services": {"garden": "online"}}),
        t.status("garden"): ("garden", "online"),
        # discovery with the station id as Home Assistant's node id
        "homeassistant/sensor/batenbrock-1/bed-1_moisture/config": (TESTER, {"name": "Feuchte"}),
    }
    forbidden = {
        t.booth_simulate(): (TESTER, {"uid": UID, "present": True}),
        t.command("booth", "block"): ("ui", {"card": UID}),
        t.command("garden", "ack"): ("ui", {"node": "bed-1"}),
        t.reply("garden", "ui", "kiosk-ui"): ("garden", {"ok": True, "uid": UID}),
        t.garden_stored("bed-1"): ("garden", {"origin": "bridge", "id": 1}),
        t.demo_water(): (TESTER, "1"),
        "homeassistant/sensor/welheim-1/bed-1_moisture/config": (TESTER, {"name": "not this station's"}),
        # the station's own ACL still holds with the bridge in its configuration
        t.garden_alert("bed-2"): ("booth", {"active": True, "kind": "forged"}),
    }
    for topic, (account, payload) in {**forbidden, **allowed}.items():
        station.as_(account).publish(topic, payload, retain=topic == t.garden_alert("bed-1"))
    marker(station, recorder, 1)

    seen = {arrival.topic for arrival in recorder.arrivals}
    assert set(allowed) <= seen, sorted(set(allowed) - seen)
    assert not seen & set(forbidden), sorted(seen & set(forbidden))
    for arrival in recorder.arrivals:
        assert "/cmd/" not in arrival.topic and "/reply/" not in arrival.topic and "simulate" not in arrival.topic
        assert UID not in str(arrival.payload), arrival


def test_stations_stay_apart_and_keep_their_own_prefix(district):
    recorder = district.watch
    welheim = district.welheim
    welheim.as_("garden").publish(welheim.topics.garden_alert("bed-1"), {"active": True, "kind": "dry"}, retain=True)
    arrived = recorder.wait_for("welheim/welheim-1/garden/bed-1/alert", lambda a: a.payload["active"], 20)
    assert arrived is not None


def test_a_station_cannot_take_over_another_or_write_its_topics(district):
    """welheim-1's account logs in with batenbrock-1's client id: the central broker uses the
    account as client id, so batenbrock-1's bridge stays connected, and welheim-1's writes
    below batenbrock-1 are refused."""
    recorder, batenbrock = district.watch, district.batenbrock
    link = batenbrock.topics.base + "/fleet/link"
    before = len(recorder.on(link))
    intruder = paho.Client(CallbackAPIVersion.VERSION2, client_id="batenbrock-1", protocol=paho.MQTTv311,
                           clean_session=False)
    intruder.username_pw_set("welheim-1", district.password("welheim-1"))
    intruder.tls_set(ca_certs=str(district.ca))
    intruder.connect("localhost", district.port)
    intruder.loop_start()
    try:
        forged = intruder.publish(batenbrock.topics.garden_alert("bed-1"), '{"active": true, "kind": "forged"}',
                                  qos=1, retain=True)
        forged.wait_for_publish(10)
        marker(batenbrock, recorder, 2)
    finally:
        intruder.disconnect()
        intruder.loop_stop()
    assert all(arrival.payload == 1 for arrival in recorder.on(link)[before:]), "batenbrock-1's link was cut"
    assert not [a for a in recorder.arrivals if isinstance(a.payload, dict) and a.payload.get("kind") == "forged"]
    # (its own bridge, logged in with the same account, is what it pushed off)
    assert "batenbrock-1 already connected" not in district.broker.log()


def connects(port: int, ca, host: str, username: str, password: str) -> bool:
    client = paho.Client(CallbackAPIVersion.VERSION2, protocol=paho.MQTTv311)
    client.username_pw_set(username, password)
    client.tls_set(ca_certs=str(ca))
    try:
        client.connect(host, port, keepalive=10)
    except (ssl.SSLError, OSError):
        return False
    result = {}
    client.on_connect = lambda c, u, f, rc, p=None: result.setdefault("rc", rc)
    client.loop_start()
    deadline = time.monotonic() + 5
    while "rc" not in result and time.monotonic() < deadline:
        time.sleep(0.05)
    client.disconnect()
    client.loop_stop()
    return "rc" in result and not result["rc"].is_failure


def test_tls_is_verified_and_accounts_are_checked(district, tmp_path):
    password = district.password("district")
    assert connects(district.port, district.ca, "localhost", "district", password)
    other_ca = tmp_path / "other-ca.crt"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=other",
                    "-keyout", str(tmp_path / "other.key"), "-out", str(other_ca)], check=True, capture_output=True)
    assert not connects(district.port, other_ca, "localhost", "district", password)            # another CA
    assert not connects(district.port, district.ca, "127.0.0.1", "district", password)         # another name
    assert not connects(district.port, district.ca, "localhost", "district", "wrong-password")


def test_a_bridge_with_a_wrong_password_never_shows_as_up(district):
    recorder = district.watch
    stranger = district.station("stranger-1", password="not-its-password")
    try:
        time.sleep(8)
        assert not recorder.on(stranger.topics.base + "/fleet/link")
        assert "not authorised" in stranger.broker.log() or "Connection Refused" in stranger.broker.log()
    finally:
        district.stations.remove(stranger)
        stranger.stop()
