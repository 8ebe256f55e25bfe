"""The installed Mosquitto configuration: accounts, the ACL, and the TLS listener for a second Pi."""

from __future__ import annotations

import json
import queue
import threading

import pytest

from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from kiosk import config as config_mod
from kiosk.bus import Bus
from kiosk.bus.broker import free_port
from tests.deploy.brokers import Mosquitto, render_installed
from tests.deploy.conftest import ROOT, credentials

BASE = "batenbrock/batenbrock-1"          # the default station.toml the installer copied
ALERT = f"{BASE}/garden/bed-1/alert"


def station_config(port: int, username: str = "", password: str = "", tls_ca: str = "", host: str = "127.0.0.1"):
    return config_mod.loads(f'[station]\nid = "batenbrock-1"\n[mqtt]\nhost = "{host}"\nport = {port}\n'
                            f'username = "{username}"\npassword = "{password}"\ntls_ca = "{tls_ca}"\n')


class Client:
    """A Bus logged in as one account, recording what it receives."""

    def __init__(self, port: int, account: str | None, root, service: str | None = None, password: str | None = None,
                 **config):
        username, secret = credentials(root, account) if account else ("", "")
        self.received: "queue.Queue" = queue.Queue()
        self.seen: list[tuple[str, object]] = []        # everything next_on went through
        self.bus = Bus(station_config(port, username, password if password is not None else secret, **config),
                       service or account or "anonymous", announce=bool(account))

    @classmethod
    def around(cls, bus: Bus) -> "Client":
        """A Client for a Bus made elsewhere (another broker, a persistent session)."""
        client = cls.__new__(cls)
        client.received, client.seen, client.bus = queue.Queue(), [], bus
        return client

    def start(self, *filters: str) -> "Client":
        for topic_filter in filters:
            self.bus.subscribe(topic_filter, self.received.put)
        self.bus.start()
        return self

    def publish(self, topic: str, payload, retain: bool = False) -> None:
        self.bus.publish(topic, payload, qos=1, retain=retain).wait_for_publish(5)

    def next_on(self, topic: str, timeout: float = 5.0, skip=lambda payload: False):
        """The next payload received on `topic` (others, and those `skip` says, are passed over);
        None after `timeout`."""
        try:
            while True:
                message = self.received.get(timeout=timeout)
                payload = message.payload
                payload = json.loads(payload) if payload[:1] in b"{[" else payload.decode()
                self.seen.append((message.topic, payload))
                if message.topic == topic and not skip(payload):
                    return payload
        except queue.Empty:
            return None

    def stop(self) -> None:
        self.bus.stop()


@pytest.fixture(scope="module")
def station_broker(installed_root, tmp_path_factory):
    port = free_port()
    conf = render_installed((installed_root / "etc/mosquitto/conf.d/kiosk.conf").read_text(), installed_root, port)
    with Mosquitto(tmp_path_factory.mktemp("station-broker"), conf, port=port) as broker:
        yield broker


@pytest.fixture
def login(station_broker, installed_root):
    made: list[Client] = []

    def make(account: str | None, *filters: str, **kwargs) -> Client:
        client = Client(station_broker.port, account, installed_root, **kwargs).start(*filters)
        made.append(client)
        if account and kwargs.get("password") is None:
            assert client.bus.wait_connected(10), f"{account} could not log in:\n{station_broker.log()}"
        return client
    yield make
    for client in made:
        client.stop()


def proves_order(sender: Client, observer: Client, marker_topic: str) -> None:
    """Publish an allowed marker after a refused message: once it arrives, the refused one would have too."""
    sender.publish(marker_topic, {"marker": True})
    assert observer.next_on(marker_topic) == {"marker": True}


def test_only_accounts_log_in(login):
    for account, password in ((None, None), ("garden", "wrong-password")):
        client = login(account, password=password, service="intruder")
        assert not client.bus.wait_connected(1.5)


def test_only_the_garden_writes_alerts(login, installed_root):
    garden = login("garden")
    ui = login("ui", f"{BASE}/#")
    garden.publish(ALERT, {"active": False, "kind": "dry"}, retain=True)
    assert ui.next_on(ALERT) == {"active": False, "kind": "dry"}

    booth = login("booth")
    booth.publish(ALERT, {"active": True, "kind": "dry"}, retain=True)       # refused by the ACL
    proves_order(booth, ui, f"{BASE}/booth/events")
    homeassistant = login("homeassistant")
    homeassistant.publish(ALERT, {"active": True, "kind": "fault"}, retain=True)
    proves_order(garden, ui, f"{BASE}/garden/bed-1/state")
    assert [payload for topic, payload in ui.seen if topic == ALERT] == [{"active": False, "kind": "dry"}]
    # A fresh subscriber gets the retained alert: still the garden's.
    late = login("admin", ALERT)
    assert late.next_on(ALERT) == {"active": False, "kind": "dry"}


def test_readings_come_only_from_the_bridge_and_each_node_for_itself(login):
    garden = login("garden", f"{BASE}/garden/+/reading")
    bridge = login("bridge")
    bridge.publish(f"{BASE}/garden/bed-1/reading", {"node": "bed-1", "seq": 1, "raw": 40000})
    assert garden.next_on(f"{BASE}/garden/bed-1/reading")["seq"] == 1

    node = login("node-bed-2", service="node")
    node.publish(f"{BASE}/garden/bed-1/reading", {"node": "bed-1", "seq": 99, "raw": 1})    # not its own node
    node.publish(f"{BASE}/garden/bed-2/reading", {"node": "bed-2", "seq": 7, "raw": 40000})
    assert garden.next_on(f"{BASE}/garden/bed-2/reading")["seq"] == 7
    login("booth").publish(f"{BASE}/garden/bed-1/reading", {"node": "bed-1", "seq": 98, "raw": 1})
    bridge.publish(f"{BASE}/garden/bed-1/reading", {"node": "bed-1", "seq": 2, "raw": 40000})
    assert garden.next_on(f"{BASE}/garden/bed-1/reading")["seq"] == 2       # 98 and 99 never arrived


def test_only_the_staff_facing_ui_sends_commands(login):
    booth = login("booth", f"{BASE}/booth/cmd/#")
    garden = login("garden")
    garden.publish(f"{BASE}/booth/cmd/block", {"card": "Lesefuchs 17", "from": "garden"})
    login("homeassistant").publish(f"{BASE}/booth/cmd/block", {"card": "Lesefuchs 17", "from": "ha"})
    ui = login("ui")
    ui.publish(f"{BASE}/booth/cmd/block", {"card": "Lesefuchs 17", "from": "ui"})
    assert booth.next_on(f"{BASE}/booth/cmd/block") == {"card": "Lesefuchs 17", "from": "ui"}


def test_no_account_takes_over_the_garden_session_and_its_queued_readings(login, station_broker, installed_root):
    """The ESP32 node's account (its password sits in a flower bed) logs in with kiosk garden's
    client id while garden is away: the readings the broker keeps for garden stay garden's."""
    garden_config = station_config(station_broker.port, *credentials(installed_root, "garden"))
    garden = Client.around(Bus(garden_config, "garden", persistent=True)).start(f"{BASE}/garden/+/reading")
    assert garden.bus.wait_connected(10)
    garden.stop()                                   # away; its session keeps QoS 1 readings for it
    login("bridge").publish(f"{BASE}/garden/bed-1/reading", {"node": "bed-1", "seq": 1, "raw": 40000})

    node_config = station_config(station_broker.port, *credentials(installed_root, "node-bed-2"))
    intruder = Bus(node_config, "garden", persistent=True, client_id=garden.bus.client_id, announce=False)
    intruder.start()
    assert intruder.wait_connected(10)
    intruder.stop()

    garden = Client.around(Bus(garden_config, "garden", persistent=True)).start(f"{BASE}/garden/+/reading")
    try:
        assert garden.next_on(f"{BASE}/garden/bed-1/reading", timeout=10) == {"node": "bed-1", "seq": 1, "raw": 40000}
    finally:
        garden.stop()


def test_a_reply_comes_only_from_the_service_asked(login, station_broker, installed_root):
    """The booth learns the kiosk's response topic and correlation from a command it answers,
    and tries to answer the kiosk's next command to the garden in the garden's place."""
    seen: list = []

    def booth_answers(request: dict) -> dict:
        return {"who": "booth"}

    booth = login("booth")
    booth.bus.subscribe(f"{BASE}/booth/cmd/ping", lambda message: seen.append(message))
    booth.bus.serve("ping", booth_answers)
    garden_may_answer = threading.Event()

    def garden_answers(request: dict) -> dict:
        garden_may_answer.wait(10)
        return {"who": "garden"}

    garden = login("garden")
    garden.bus.serve("ping", garden_answers)
    homeassistant = login("homeassistant", f"{BASE}/#")
    ui = login("ui")
    assert ui.bus.request("booth", "ping", {}, timeout=10) == {"ok": True, "who": "booth"}
    learned = seen[0]

    answers: "queue.Queue" = queue.Queue()
    asking = threading.Thread(target=lambda: answers.put(ui.bus.request("garden", "ping", {}, timeout=15)))
    asking.start()
    # The kiosk's next correlation, on the topic the booth learned and on the garden's.
    number = int(learned.correlation.rsplit(b"-", 1)[1])
    forged_correlation = learned.correlation.rsplit(b"-", 1)[0] + b"-%d" % (number + 1)
    properties = Properties(PacketTypes.PUBLISH)
    properties.CorrelationData = forged_correlation
    for topic in (learned.response_topic, learned.response_topic.replace("/booth/reply/", "/garden/reply/")):
        booth.bus.publish(topic, {"ok": True, "who": "booth, as the garden"}, properties=properties).wait_for_publish(5)
    garden_may_answer.set()
    asking.join(20)
    assert answers.get(timeout=1) == {"ok": True, "who": "garden"}
    # Home Assistant reads the whole station, but nobody's replies.
    proves_order(login("bridge"), homeassistant, f"{BASE}/garden/bed-1/reading")
    assert [topic for topic, _ in homeassistant.seen if "/reply/" in topic] == []


def test_home_assistant_status_is_home_assistants_own(login):
    observer = login("homeassistant", "homeassistant/#")
    garden = login("garden")
    garden.publish("homeassistant/status", "offline")
    garden_discovery = "homeassistant/sensor/batenbrock-1/bed-1_moisture/config"
    # Only its own station's discovery; the configs from before the fleet it may clear.
    garden.publish("homeassistant/sensor/welheim-1/bed-1_moisture/config", {"name": "fremd"})
    garden.publish("homeassistant/sensor/batenbrock-1_bed-1_moisture/config", {"cleared": True})
    garden.publish(garden_discovery, {"name": "Kräuterbeet"})
    assert observer.next_on(garden_discovery) == {"name": "Kräuterbeet"}
    assert ("homeassistant/status", "offline") not in observer.seen
    assert ("homeassistant/sensor/batenbrock-1_bed-1_moisture/config", {"cleared": True}) in observer.seen
    assert [topic for topic, _ in observer.seen if "welheim-1" in topic] == []
    console = login("console")
    station_config = "homeassistant/sensor/batenbrock-1/station_disk_free/config"
    console.publish("homeassistant/sensor/batenbrock-1_station_disk_free/config", {"cleared": True})
    console.publish(station_config, {"name": "Freier Speicher"})
    assert observer.next_on(station_config) == {"name": "Freier Speicher"}
    assert ("homeassistant/sensor/batenbrock-1_station_disk_free/config", {"cleared": True}) in observer.seen


def test_every_service_announces_its_status(login):
    observer = login("homeassistant", f"{BASE}/+/status")
    for service in ("garden", "bridge", "booth", "ui"):
        login(service)
        # An earlier test's retained 'offline' may come first.
        assert observer.next_on(f"{BASE}/{service}/status", skip=lambda p: p == "offline") == "online"


def test_a_booth_on_a_second_pi_reaches_the_broker_over_tls(installed_root, tmp_path):
    import trustme   # a declared test dependency: missing is a broken set-up, never a skip
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    files = {"ca.crt": ca.cert_pem, "server.crt": cert.cert_chain_pems[0], "server.key": cert.private_key_pem}
    for name, blob in files.items():
        blob.write_to_path(str(tmp_path / name))
    tls_port = free_port()
    listener = (ROOT / "config/mosquitto/tls-listener.conf.example").read_text()
    assert "listener 8883 0.0.0.0" in listener
    listener = listener.replace("listener 8883 0.0.0.0", f"listener {tls_port} 127.0.0.1")
    listener = listener.replace("/etc/mosquitto/kiosk/", f"{tmp_path}/")
    port = free_port()
    conf = render_installed((installed_root / "etc/mosquitto/conf.d/kiosk.conf").read_text(), installed_root, port)
    with Mosquitto(tmp_path / "broker", conf + "\n" + listener, port=port) as broker:
        plain_ui = Client(broker.port, "ui", installed_root).start(f"{BASE}/booth/events")
        booth = Client(tls_port, "booth", installed_root, tls_ca=str(tmp_path / "ca.crt"))
        try:
            assert plain_ui.bus.wait_connected(10)
            booth.start()
            assert booth.bus.wait_connected(10), broker.log()
            booth.publish(f"{BASE}/booth/events", {"type": "return"})
            assert plain_ui.next_on(f"{BASE}/booth/events") == {"type": "return"}
            # Without the CA the booth does not trust the broker and never logs in.
            stranger = Client(tls_port, "booth", installed_root, service="booth-2").start()
            assert not stranger.bus.wait_connected(1.5)
            stranger.stop()
        finally:
            booth.stop()
            plain_ui.stop()


def test_the_console_sends_only_its_commands_and_publishes_the_health(login):
    """The staff console's account: the garden's acknowledge and the health go through; a
    command it does not offer and the garden's own alert topic do not."""
    garden = login("garden", f"{BASE}/garden/cmd/#")
    watcher = login("admin", f"{BASE}/#")
    console = login("console", f"{BASE}/+/status")
    console.publish(f"{BASE}/garden/cmd/history", {"from": "console"})       # not one it needs: refused
    console.publish(f"{BASE}/garden/cmd/ack", {"node": "bed-1"})
    assert garden.next_on(f"{BASE}/garden/cmd/ack") == {"node": "bed-1"}
    console.publish(ALERT, {"active": False, "kind": "forged"}, retain=True)  # refused
    console.publish(f"{BASE}/station/health", {"services": {}})
    assert watcher.next_on(f"{BASE}/station/health") == {"services": {}}
    assert all(topic != ALERT or payload.get("kind") != "forged" for topic, payload in watcher.seen)
    assert [t for t, _ in garden.seen if t.endswith("/history")] == []


def test_the_console_changes_thresholds_and_reads_those_in_force(login):
    """The Kräuterbeet page changes the bed's thresholds through the garden's command and shows
    the garden's retained settings; only the garden may publish those."""
    settings = f"{BASE}/garden/bed-1/settings"
    garden = login("garden", f"{BASE}/garden/cmd/#")
    console = login("console", settings)
    console.publish(f"{BASE}/garden/cmd/thresholds", {"node": "bed-1", "values": {"dry_below": 25}})
    assert garden.next_on(f"{BASE}/garden/cmd/thresholds") == {"node": "bed-1", "values": {"dry_below": 25}}
    console.publish(settings, {"dry_below": 0}, retain=True)                    # refused: the garden's topic
    garden.publish(settings, {"dry_below": 25}, retain=True)
    assert console.next_on(settings) == {"dry_below": 25}
    assert all(payload != {"dry_below": 0} for _topic, payload in console.seen)


def test_the_console_retires_books_at_the_booth(login):
    booth = login("booth", f"{BASE}/booth/cmd/#")
    login("console").publish(f"{BASE}/booth/cmd/retire", {"book": 3})
    assert booth.next_on(f"{BASE}/booth/cmd/retire") == {"book": 3}


def test_the_console_registers_books_at_the_booth_desk(login):
    """„Bücher annehmen“: the desk's commands reach the booth; the admin account (kiosk admin on the
    Pi, which writes booth.sqlite itself) sends none."""
    booth = login("booth", f"{BASE}/booth/cmd/#")
    for name, payload in (("add_book", {"book": {"title": "Das Sams"}}), ("pending", {"ticket": "t"}),
                          ("undo", {"book": 3}), ("same_isbn", {"isbn": "9783789142062"})):
        login("admin").publish(f"{BASE}/booth/cmd/{name}", {"from": "admin"})      # refused
        login("console").publish(f"{BASE}/booth/cmd/{name}", payload)
        assert booth.next_on(f"{BASE}/booth/cmd/{name}") == payload
    assert all(payload != {"from": "admin"} for _topic, payload in booth.seen)


def test_the_console_reads_the_garden_history_it_plots(login):
    """The Kräuterbeet page draws the garden's retained plot series: the console may read them."""
    history = f"{BASE}/garden/bed-1/history/24h"
    garden = login("garden")
    garden.publish(history, {"node": "bed-1", "span": "24h"}, retain=True)
    console = login("console", f"{BASE}/garden/+/history/+")
    assert console.next_on(history) == {"node": "bed-1", "span": "24h"}
