"""The station's one MQTT client wrapper (paho-mqtt 2.x, MQTT v5).

A service makes one `Bus`, subscribes with plain callbacks and publishes plain
data. The wrapper handles what every service needs and none should repeat:
reconnect with backoff, resubscribe after every connect, the retained `online`
birth and `offline` last will on `{p}/{s}/{service}/status`, callbacks that
never take the network thread down on a bad payload, and a reply to every command.

Callbacks run on paho's network thread: do little there, or hand work over
(a queue, or Kivy's Clock in the UI). While a callback runs, no other message and
no acknowledgement moves, so commands that touch a service's state go to its
worker (`serve(..., worker=inbox.put)`) and are answered from there.
"""

from __future__ import annotations

import itertools
import json
import logging
import socket
import ssl
import threading
import traceback
import uuid
from dataclasses import dataclass
from typing import Any, Callable

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from kiosk.bus.faults import Faults
from kiosk.bus.payloads import MAX_PAYLOAD_BYTES, decode_json, decode_json_object
from kiosk.bus.topics import Topics
from kiosk.errors import BusError, KioskError, ProtocolError
from kiosk.logs import Throttled

log = logging.getLogger(__name__)

INTERNAL_ERROR = "internal error; the service logged it"   # the reply when a handler has a bug
ROUTE_CACHE_SIZE = 4096            # topics whose matching callbacks are remembered
SESSION_EXPIRY_S = 7 * 24 * 3600   # a persistent session outlives a week-long outage
RECONNECT_MIN_S, RECONNECT_MAX_S = 1, 120


@dataclass(frozen=True)
class Message:
    """One received MQTT message, free of paho types."""

    topic: str
    payload: bytes
    qos: int = 0
    retain: bool = False
    response_topic: str | None = None
    correlation: bytes | None = None

    def text(self) -> str:
        try:
            return self.payload.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(f"{self.topic}: payload is not UTF-8 text") from None

    def json(self) -> Any:
        """The payload as JSON within the station's rules (kiosk/bus/payloads.py); raises ProtocolError."""
        return decode_json(self.payload, f"{self.topic}: payload")

    def json_object(self) -> dict[str, Any]:
        """The payload as a JSON object; raises ProtocolError when it is anything else."""
        return decode_json_object(self.payload, f"{self.topic}: payload")


Callback = Callable[[Message], None]


class Command:
    """One request to a served command, handed from paho's thread to whoever answers it.

    `run()` reads the request, calls the handler and publishes the reply, always:
    {"ok": true, ...} with the handler's result; {"ok": false, "error": message} when
    the request is not a JSON object or the handler raises a KioskError (bad input);
    {"ok": false, "error": INTERNAL_ERROR} when it raises anything else — a bug, logged
    with its traceback (throttled). It never raises.
    """

    def __init__(self, bus: "Bus", name: str, handler: Callable[[dict], dict | None], message: Message):
        self.bus = bus
        self.name = name
        self.handler = handler
        self.message = message

    def run(self) -> None:
        try:
            reply = {"ok": True, **(self.handler(self.message.json_object()) or {})}
        except KioskError as exc:
            reply = {"ok": False, "error": str(exc)}
        except Exception:  # noqa: BLE001 — a bug must cost one request, not the service
            self.bus.log_bug(f"command {self.name}")
            reply = {"ok": False, "error": INTERNAL_ERROR}
        self.bus.reply(self.message, reply)


def _send_small_packets_at_once(client: paho.Client) -> None:
    """TCP_NODELAY: paho leaves Nagle's algorithm on, and with the peer's delayed ACKs a
    small publish after a PUBACK waits ~40 ms — a third of a child's patience per tap."""
    sock = client.socket()
    if isinstance(sock, socket.socket):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass


def encode(payload: Any) -> bytes:
    """Bytes on the wire: text as UTF-8, dicts and lists as compact JSON."""
    if payload is None:
        return b""
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, str):
        return payload.encode("utf-8")
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def probe(mqtt, timeout: float = 5.0) -> str | None:
    """Log in once with `mqtt`'s account; None when the broker accepts it, else why not."""
    outcome: list[str | None] = []
    done = threading.Event()

    def connected(client, userdata, flags, reason_code, properties) -> None:
        outcome.append(None if not reason_code.is_failure else str(reason_code))
        done.set()

    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"kiosk-doctor-{uuid.uuid4().hex[:8]}",
                         protocol=paho.MQTTv5)
    if mqtt.username:
        client.username_pw_set(mqtt.username, mqtt.password or None)
    if mqtt.tls_ca:
        client.tls_set(ca_certs=mqtt.tls_ca, tls_version=ssl.PROTOCOL_TLS_CLIENT)
    client.on_connect = connected
    try:
        client.connect(mqtt.host, mqtt.port, keepalive=10)
    except (OSError, ValueError, ssl.SSLError) as exc:
        return str(exc)
    client.loop_start()
    try:
        if not done.wait(timeout):
            return "no answer to the login"
        return outcome[0]
    finally:
        client.disconnect()
        client.loop_stop()


class Bus:
    """A service's connection to the broker.

    `service` names the status topic; `persistent=True` keeps the broker-side
    session (subscriptions and queued QoS 1 messages) across disconnects, for
    services that must not miss a message while they or the broker restart.
    """

    def __init__(self, config, service: str, *, persistent: bool = False, client_id: str | None = None,
                 announce: bool = True):
        self.topics = Topics.of(config)
        self.service = service
        self._mqtt = config.mqtt
        self._persistent = persistent
        self._announce = announce
        self.client_id = client_id or (f"kiosk-{config.station.id}-{service}" if persistent
                                       else f"kiosk-{config.station.id}-{service}-{uuid.uuid4().hex[:8]}")
        self._subscriptions: dict[str, list[Callback]] = {}
        # Matching a topic against every filter costs more than handling the message;
        # a busy topic's callbacks are looked up once and remembered.
        self._routes: dict[str, list[Callback]] = {}
        self._lock = threading.RLock()
        self.connected = threading.Event()
        self._on_connect_hooks: list[Callable[[], None]] = []
        self._on_publish_hooks: list[Callable[[int], None]] = []
        self._trouble = Throttled(log)
        self._replies: dict[bytes, tuple[str, threading.Event, list]] = {}
        self._reply_topic: str | None = None
        self._served: set[str] = set()          # command topics this bus answers
        self._correlations = itertools.count(1)
        self._started = False
        self._subscribing: int | None = None     # mid of the subscribe sent on connect, until acknowledged
        self._client = self._make_client()
        # What this service cannot do right now, retained for staff (kiosk/bus/faults.py).
        self.faults = Faults(self.topics.faults(service), self.publish)

    def _make_client(self) -> paho.Client:
        client = paho.Client(CallbackAPIVersion.VERSION2, client_id=self.client_id,
                             protocol=paho.MQTTv5, reconnect_on_failure=True)
        if self._mqtt.username:
            client.username_pw_set(self._mqtt.username, self._mqtt.password or None)
        if self._mqtt.tls_ca:
            client.tls_set(ca_certs=self._mqtt.tls_ca, tls_version=ssl.PROTOCOL_TLS_CLIENT)
        if self._announce:
            client.will_set(self.topics.status(self.service), "offline", qos=1, retain=True)
        client.reconnect_delay_set(RECONNECT_MIN_S, RECONNECT_MAX_S)
        client.on_connect = self._handle_connect
        client.on_connect_fail = self._handle_connect_fail
        client.on_subscribe = self._handle_subscribe
        client.on_disconnect = self._handle_disconnect
        client.on_message = self._handle_message
        client.on_publish = self._handle_publish
        return client

    # --- life cycle ----------------------------------------------------------------

    def start(self) -> "Bus":
        """Connect in the background; reconnects by itself for as long as it runs."""
        properties = None
        clean_start: Any = True
        if self._persistent:
            properties = Properties(PacketTypes.CONNECT)
            properties.SessionExpiryInterval = SESSION_EXPIRY_S
            clean_start = False
        try:
            self._client.connect_async(self._mqtt.host, self._mqtt.port, keepalive=self._mqtt.keepalive_s,
                                       clean_start=clean_start, properties=properties)
        except (OSError, ValueError) as exc:
            raise BusError(f"cannot reach the broker at {self._mqtt.host}:{self._mqtt.port}: {exc}") from exc
        self._client.loop_start()
        self._started = True
        return self

    def wait_connected(self, timeout: float) -> bool:
        """Wait until connected with every subscription in place; False after `timeout` seconds."""
        return self.connected.wait(timeout)

    def stop(self, timeout: float = 2.0) -> None:
        """Say `offline`, disconnect and stop the network thread."""
        if not self._started:
            return
        self._started = False
        if self.connected.is_set() and self._announce:
            info = self._client.publish(self.topics.status(self.service), "offline", qos=1, retain=True)
            try:
                info.wait_for_publish(timeout)
            except (RuntimeError, ValueError):
                pass
        self.connected.clear()       # a wanted disconnect is not "lost the broker"
        self._client.disconnect()
        self._client.loop_stop()

    def __enter__(self) -> "Bus":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def on_connect(self, hook: Callable[[], None]) -> None:
        """Run `hook` (on the network thread) after every successful connect, once subscribed."""
        self._on_connect_hooks.append(hook)

    def on_publish(self, hook: Callable[[int], None]) -> None:
        """Run `hook(mid)` when the broker acknowledged a QoS 1 publish."""
        self._on_publish_hooks.append(hook)

    # --- publishing ------------------------------------------------------------------

    def publish(self, topic: str, payload: Any, qos: int = 1, retain: bool = False,
                properties: Properties | None = None) -> paho.MQTTMessageInfo:
        """Queue a message; paho sends it now or after the next reconnect."""
        return self._client.publish(topic, encode(payload), qos=qos, retain=retain, properties=properties)

    # --- subscribing ------------------------------------------------------------------

    def subscribe(self, topic_filter: str, callback: Callback, qos: int = 1) -> Callable[[], None]:
        """Call `callback(Message)` for every message matching the filter; returns an unsubscribe."""
        with self._lock:
            first = topic_filter not in self._subscriptions
            self._subscriptions.setdefault(topic_filter, []).append(callback)
            self._routes.clear()
        if first and self.connected.is_set():
            self._client.subscribe(topic_filter, qos=qos)

        def unsubscribe() -> None:
            with self._lock:
                callbacks = self._subscriptions.get(topic_filter, [])
                if callback in callbacks:
                    callbacks.remove(callback)
                self._routes.clear()
                if not callbacks:
                    self._subscriptions.pop(topic_filter, None)
                    if self.connected.is_set():
                        self._client.unsubscribe(topic_filter)
        return unsubscribe

    def subscriptions(self) -> list[str]:
        """Every topic filter this bus subscribes to, commands included (what a service listens to)."""
        with self._lock:
            return list(self._subscriptions)

    # --- commands (MQTT v5 request / response) ---------------------------------------

    def serve(self, name: str, handler: Callable[[dict], dict | None],
              worker: Callable[[Command], None] | None = None) -> Callable[[], None]:
        """Answer `{p}/{s}/{service}/cmd/{name}` requests with handler(request) -> reply dict.

        Every request gets an answer (see `Command`). With `worker` — a service's
        `inbox.put` — paho's thread only hands each request over as a `Command`, and the
        service's worker calls `command.run()`, which runs the handler there and replies
        from there. Without it the handler runs on paho's thread: only for quick ones
        that touch no service state.
        """
        def on_request(message: Message) -> None:
            command = Command(self, name, handler, message)
            if worker is None:
                command.run()
            else:
                worker(command)
        topic = self.topics.command(self.service, name)
        self._served.add(topic)
        return self.subscribe(topic, on_request)

    def reply(self, request: Message, reply: dict) -> None:
        """Publish `reply` to a request's response topic, with its correlation data."""
        if not request.response_topic:
            return
        props = Properties(PacketTypes.PUBLISH)
        if request.correlation is not None:
            props.CorrelationData = request.correlation
        self.publish(request.response_topic, reply, qos=1, properties=props)

    def request(self, service: str, name: str, payload: dict, timeout: float = 5.0) -> dict:
        """Send a command to another service and wait for its reply; raises BusError on time-out."""
        with self._lock:
            if self._reply_topic is None:
                # One subscription for the replies of every service asked (the `+`).
                self._reply_topic = self.topics.reply("+", self.service, self.client_id)
                self.subscribe(self._reply_topic, self._handle_reply)
        if not self.connected.wait(timeout):
            raise BusError("the broker is not reachable right now")
        correlation = f"{self.client_id}-{next(self._correlations)}".encode()
        done, box = threading.Event(), []
        response_topic = self.topics.reply(service, self.service, self.client_id)
        self._replies[correlation] = (response_topic, done, box)
        props = Properties(PacketTypes.PUBLISH)
        props.ResponseTopic = response_topic
        props.CorrelationData = correlation
        try:
            self.publish(self.topics.command(service, name), payload, qos=1, properties=props)
            if not done.wait(timeout):
                raise BusError(f"{service} did not answer '{name}' within {timeout:.0f} s; is it running?")
            return box[0]
        finally:
            self._replies.pop(correlation, None)

    def _handle_reply(self, message: Message) -> None:
        waiting = self._replies.get(message.correlation or b"")
        # Only the service asked may write its reply topic (the broker's ACL): an answer
        # on another service's reply topic is not the answer, whatever its correlation.
        if waiting and message.topic == waiting[0]:
            waiting[2].append(message.json_object())
            waiting[1].set()

    # --- paho callbacks (network thread) -----------------------------------------------

    def _handle_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            self._trouble.warning("connect", "broker refused the connection: %s", reason_code)
            return
        log.info("connected to %s:%s", self._mqtt.host, self._mqtt.port)
        _send_small_packets_at_once(client)
        with self._lock:
            filters = list(self._subscriptions)
        if filters:
            # Online once the broker confirms the subscriptions: a command sent on seeing
            # `online` (or after wait_connected) must not arrive before anyone listens.
            self._subscribing = client.subscribe([(f, 1) for f in filters])[1]
        else:
            self._ready(client)

    def _handle_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        refused = [str(code) for code in reason_codes if code.is_failure]
        if refused:
            self._trouble.warning("subscribe", "the broker refused a subscription: %s", ", ".join(refused))
        if mid == self._subscribing:
            self._subscribing = None
            self._ready(client)

    def _ready(self, client: paho.Client) -> None:
        if self._announce:
            client.publish(self.topics.status(self.service), "online", qos=1, retain=True)
            self.faults.announce()
        self.connected.set()
        for hook in list(self._on_connect_hooks):
            self._guarded(hook)

    def _handle_connect_fail(self, client, userdata) -> None:
        # paho retries by itself with backoff; without this line a first boot whose broker
        # is not up (yet) would be minutes of silence.
        self._trouble.warning("connect", "cannot reach the broker at %s:%s; retrying every %d-%d s",
                              self._mqtt.host, self._mqtt.port, RECONNECT_MIN_S, RECONNECT_MAX_S)

    def _handle_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        if self.connected.is_set():
            log.warning("lost the broker (%s); reconnecting with backoff", reason_code)
        self.connected.clear()

    def _handle_publish(self, client, userdata, mid, reason_code, properties) -> None:
        for hook in self._on_publish_hooks:
            self._guarded(hook, mid)

    def _handle_message(self, client, userdata, msg: paho.MQTTMessage) -> None:
        props = getattr(msg, "properties", None)
        oversized = len(msg.payload) > MAX_PAYLOAD_BYTES
        message = Message(
            topic=msg.topic, payload=b"" if oversized else msg.payload, qos=msg.qos, retain=bool(msg.retain),
            response_topic=getattr(props, "ResponseTopic", None),
            correlation=getattr(props, "CorrelationData", None),
        )
        if oversized:
            # Dropped unread, before it can queue up anywhere; a request still gets its answer.
            self._trouble.warning("oversized", "dropped a %d-byte message on %s (limit %d)",
                                  len(msg.payload), msg.topic, MAX_PAYLOAD_BYTES)
            if msg.topic in self._served:
                self.reply(message, {"ok": False, "error": f"the request has {len(msg.payload)} bytes, "
                                                           f"more than {MAX_PAYLOAD_BYTES}"})
            return
        with self._lock:
            matching = self._routes.get(msg.topic)
            if matching is None:
                matching = [cb for f, cbs in self._subscriptions.items()
                            if paho.topic_matches_sub(f, msg.topic) for cb in cbs]
                if len(self._routes) >= ROUTE_CACHE_SIZE:
                    self._routes.clear()
                self._routes[msg.topic] = matching
        for callback in matching:
            self._guarded(callback, message)

    def _guarded(self, fn: Callable, *args: Any) -> None:
        try:
            fn(*args)
        except ProtocolError as exc:
            self._trouble.warning(f"protocol:{_name_of(fn)}", "ignored a bad message: %s", exc)
        except Exception:  # noqa: BLE001 — a bug in one handler must not kill the network thread
            self.log_bug(f"handler {_name_of(fn)}")

    def log_bug(self, what: str) -> None:
        """Log the exception being handled, with its traceback, at most once a minute per `what`."""
        self._trouble.warning(f"bug:{what}", "%s failed:\n%s", what, traceback.format_exc().rstrip())


def _name_of(fn: Callable) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)
