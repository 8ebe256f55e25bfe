"""A district on loopback for the fleet tests: a TLS central broker made by `kiosk fleet
central`, stations each with their installed broker and the bridge `kiosk fleet bridge`
renders, a relay that can turn into a black hole, and a recorder at the centre."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from kiosk.bus.broker import free_port
from kiosk.bus.topics import Topics
from kiosk.fleet import bridge as fleet_bridge
from kiosk.fleet.central import central_files
from tests.deploy.brokers import Mosquitto, render_installed
from tests.deploy.conftest import ROOT, credentials, install


def render(text: str, replacements: dict[str, str]) -> str:
    """The example `text` with only ports, paths and credentials changed."""
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in the example"
        text = text.replace(old, new)
    return text


class Relay:
    """A TCP relay on loopback. `hole()` makes it a black hole: it keeps every connection
    open, reads and drops what comes in and sends nothing back, also on new connections —
    a link that died without a reset. `heal()` lets new connections through again."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.holed = False
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def hole(self) -> None:
        self.holed = True

    def heal(self) -> None:
        self.holed = False

    def _accept(self) -> None:
        while True:
            try:
                incoming, _ = self._server.accept()
            except OSError:
                return
            self._sockets.append(incoming)
            if self.holed:
                threading.Thread(target=self._pipe, args=(incoming, None), daemon=True).start()
                continue
            try:
                outgoing = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                incoming.close()
                continue
            self._sockets.append(outgoing)
            for a, b in ((incoming, outgoing), (outgoing, incoming)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket | None) -> None:
        swallowed = sink is None
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                break
            if not data:
                break
            swallowed = swallowed or self.holed     # a connection once in the hole stays there
            if swallowed:
                continue
            try:
                sink.sendall(data)
            except OSError:
                break
        if not swallowed:
            for sock in (source, sink):
                try:
                    sock.close()
                except OSError:
                    pass

    def close(self) -> None:
        self._server.close()
        for sock in self._sockets:
            try:
                sock.close()
            except OSError:
                pass


@dataclass
class Arrival:
    at: float
    topic: str
    payload: object
    qos: int
    retain: bool


def decode(raw: bytes):
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


class Recorder:
    """An MQTT client at the central broker that records every message it gets on `#`."""

    def __init__(self, port: int, ca: Path, username: str, password: str, *, persistent: bool = True,
                 host: str = "localhost"):
        self.arrivals: list[Arrival] = []
        self.lock = threading.Lock()
        self.connected = threading.Event()
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id=username, protocol=paho.MQTTv311,
                                  clean_session=not persistent)
        self.client.username_pw_set(username, password)
        self.client.tls_set(ca_certs=str(ca))
        self.client.reconnect_delay_set(1, 2)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = lambda *args: self.connected.clear()
        self.client.on_message = self._on_message
        self.client.connect_async(host, port, keepalive=30)
        self.client.loop_start()

    def _on_connect(self, client, userdata, flags, reason_code, properties=None):
        if not reason_code.is_failure:
            client.subscribe("#", qos=1)
            self.connected.set()

    def _on_message(self, client, userdata, message):
        with self.lock:
            self.arrivals.append(Arrival(time.monotonic(), message.topic, decode(message.payload), message.qos,
                                         bool(message.retain)))

    def on(self, topic: str) -> list[Arrival]:
        with self.lock:
            return [arrival for arrival in self.arrivals if arrival.topic == topic]

    def wait_for(self, topic: str, predicate, timeout: float) -> Arrival | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for arrival in self.on(topic):
                if predicate(arrival):
                    return arrival
            time.sleep(0.2)
        return None

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class Publisher:
    """A station's service account on its own broker (plain MQTT on loopback)."""

    def __init__(self, port: int, username: str, password: str):
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id=username, protocol=paho.MQTTv5)
        self.client.username_pw_set(username, password)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()

    def publish(self, topic: str, payload, qos: int = 1, retain: bool = False) -> None:
        text = payload if isinstance(payload, str) else json.dumps(payload)
        info = self.client.publish(topic, text, qos=qos, retain=retain)
        if qos:
            info.wait_for_publish(10)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@dataclass
class Station:
    id: str
    topics: Topics
    broker: Mosquitto
    root: Path
    publishers: dict[str, Publisher] = field(default_factory=dict)

    def as_(self, account: str) -> Publisher:
        if account not in self.publishers:
            username, password = (account, TESTER_PASSWORD) if account == TESTER else credentials(self.root, account)
            self.publishers[account] = Publisher(self.broker.port, username, password)
        return self.publishers[account]

    def stop(self) -> None:
        for publisher in self.publishers.values():
            publisher.stop()
        self.broker.stop()


# A test-only account on each station's broker that may write what no service may: the
# emulated reader's booth/simulate with a raw card UID, to prove the bridge leaves it at
# home, and any Home Assistant discovery.
TESTER, TESTER_PASSWORD = "fleet-tester", "tester-secret"


def installed_station(tmp: Path, station_id: str, prefix: str = "batenbrock") -> Path:
    """A fake root with a station installed by install-pi.sh, with its own id and prefix."""
    root = tmp / f"root-{station_id}"
    toml = (ROOT / "config/station.toml").read_text(encoding="utf-8")
    toml = render(toml, {'id = "batenbrock-1"': f'id = "{station_id}"',
                         'topic_prefix = "batenbrock"': f'topic_prefix = "{prefix}"'})
    (root / "etc/kiosk").mkdir(parents=True)
    (root / "etc/kiosk/station.toml").write_text(toml, encoding="utf-8")
    install(root)
    return root


class District:
    """The central broker and its files; stations are added with `station()`."""

    def __init__(self, tmp: Path, stations: list[str]):
        self.tmp = tmp
        self.files = tmp / "central-etc"
        central_files(self.files, "localhost", stations)
        self.ca = self.files / "ca.crt"
        self.port = free_port()
        conf = render((ROOT / "config/fleet/central.conf.example").read_text(), {
            "listener 8883": f"listener {self.port} localhost",
            "/etc/mosquitto/central/": f"{self.files}/"})
        self.broker = Mosquitto(tmp / "central", conf, port=self.port).start()
        self.relay = Relay(self.port)
        self.stations: list[Station] = []

    def password(self, account: str) -> str:
        return (self.files / "accounts" / f"{account}.password").read_text().strip()

    def recorder(self, **kwargs) -> Recorder:
        return Recorder(self.port, self.ca, "district", self.password("district"), **kwargs)

    def station(self, station_id: str, prefix: str = "batenbrock", *, through_relay: bool = False,
                password: str | None = None) -> Station:
        root = installed_station(self.tmp, station_id, prefix)
        topics = Topics(prefix, station_id)
        port = free_port()
        kiosk_dir = self.tmp / f"mosquitto-{station_id}"
        shutil.copytree(root / "etc/mosquitto/kiosk", kiosk_dir)
        subprocess.run(["mosquitto_passwd", "-b", str(kiosk_dir / "passwd"), TESTER, TESTER_PASSWORD], check=True)
        with open(kiosk_dir / "kiosk.acl", "a") as acl:
            acl.write(f"\nuser {TESTER}\ntopic write {topics.base}/#\ntopic write homeassistant/#\n")
        station_conf = render_installed((root / "etc/mosquitto/conf.d/kiosk.conf").read_text(), root, port)
        station_conf = station_conf.replace(f"{root}/etc/mosquitto/kiosk/", f"{kiosk_dir}/")
        central_port = self.relay.port if through_relay else self.port
        bridge_conf = render(fleet_bridge.render(topics, f"localhost:{central_port}",
                                                 password or self.password(station_id)), {
            "bridge_cafile /etc/mosquitto/kiosk/fleet-ca.crt": f"bridge_cafile {self.ca}"})
        # conf.d/fleet.conf comes before conf.d/kiosk.conf, as Mosquitto reads them on the Pi.
        broker = Mosquitto(self.tmp / f"station-{station_id}", bridge_conf + "\n" + station_conf, port=port).start()
        station = Station(station_id, topics, broker, root)
        self.stations.append(station)
        return station

    def stop(self) -> None:
        for station in self.stations:
            station.stop()
        self.broker.stop()
        self.relay.close()
