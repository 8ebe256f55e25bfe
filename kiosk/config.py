"""station.toml: read once at start-up, checked completely, then frozen.

Each section is a frozen dataclass; every field is declared with `setting()`, which
carries its help text and an optional check. The loader walks the dataclasses, so
an unknown key, a wrong type or an impossible value stops start-up with one
`ConfigError` naming the key and the fix — never a traceback, never a half-read
configuration.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import tomllib
import types
import typing
import urllib.parse
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kiosk.errors import ConfigError
from kiosk.hours import OpeningHours
from kiosk.languages import CODES as LANGUAGES

DEFAULT_PATH = Path("config/station.toml")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
# Each service logs in to the broker with its own account; systemd hands it over from
# /etc/kiosk/credentials/<service>.env, since station.toml has one [mqtt] for all.
MQTT_ENV = {"KIOSK_MQTT_USERNAME": "username", "KIOSK_MQTT_PASSWORD": "password"}


def setting(default: Any = dataclasses.MISSING, help: str = "", check: Callable | None = None):
    """Declare one key of station.toml: its default, its help text, an optional check.

    `check(value)` returns an error text (what is wrong and how to fix it) or None.
    """
    kwargs: dict[str, Any] = {"metadata": {"help": help, "check": check}}
    if isinstance(default, list):
        # Lists in the schema are tuples in the frozen result.
        kwargs["default_factory"] = (lambda d=tuple(default): d)
    elif default is not dataclasses.MISSING:
        kwargs["default"] = default
    return field(**kwargs)


# --- reusable checks -------------------------------------------------------------

def name_like(value: str) -> str | None:
    if not NAME_PATTERN.match(value):
        return "use 1–32 characters of a-z, 0-9 and '-', starting with a letter or digit"
    return None


def between(low: float, high: float) -> Callable[[float], str | None]:
    def check(value: float) -> str | None:
        if not low <= value <= high:
            return f"must be between {low} and {high}"
        return None
    check.bounds = (low, high)      # for a face that words the rule itself (kiosk/garden/thresholds.py)
    return check


def at_least(low: float) -> Callable[[float], str | None]:
    def check(value: float) -> str | None:
        if value < low:
            return f"must be at least {low}"
        return None
    check.bounds = (low, None)
    return check


def one_of(*choices: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if value not in choices:
            return "must be one of " + ", ".join(repr(c) for c in choices)
        return None
    return check


def valid_timezone(value: str) -> str | None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "is not a known time zone; use a name like 'Europe/Berlin'"
    return None


def known_languages(value: tuple[str, ...]) -> str | None:
    unknown = [code for code in value if code not in LANGUAGES]
    if unknown:
        return f"unknown language {unknown[0]!r}; choose from {', '.join(LANGUAGES)}"
    if not value:
        return "name at least one language, e.g. [\"de\"]"
    return None


def topic_safe(value: str) -> str | None:
    if not value or any(c in value for c in "#+\0") or value.startswith("/") or value.endswith("/"):
        return "must be a plain MQTT topic level without '#', '+' or leading/trailing '/'"
    return None


# --- the sections ----------------------------------------------------------------

@dataclass(frozen=True)
class StationConfig:
    id: str = setting("batenbrock-1", "Names this station; part of every MQTT topic.", name_like)
    data_dir: str = setting("/var/lib/kiosk", "Folder for the SQLite files (relative to station.toml).")
    timezone: str = setting("Europe/Berlin", "Local time zone for opening hours and dates.", valid_timezone)
    languages: tuple[str, ...] = setting(list(LANGUAGES), "Languages offered on the kiosk, the first is the default.", known_languages)


@dataclass(frozen=True)
class MqttConfig:
    host: str = setting("localhost", "Host name of the MQTT broker.")
    port: int = setting(1883, "TCP port of the MQTT broker.", between(1, 65535))
    topic_prefix: str = setting("batenbrock", "First level of every topic.", topic_safe)
    username: str = setting("", "Broker account of this service, if the broker asks for one.")
    password: str = setting("", "Password of that account.")
    tls_ca: str = setting("", "CA certificate file; setting it turns TLS on.")
    keepalive_s: int = setting(30, "Seconds between keep-alive pings.", between(5, 600))


@dataclass(frozen=True)
class BridgeConfig:
    port: str = setting("/dev/serial/by-id/usb-MicroPython_Board-if00", "Serial port of the sensor node.")
    baud: int = setting(115200, "Serial speed; the Pico's USB serial ignores it.", at_least(300))
    queue_max: int = setting(100_000, "Readings kept on disk until garden has stored them; the oldest go first beyond this.", at_least(100))


def _check_sensor(s: "SensorConfig") -> tuple[str, str, str] | None:
    if s.raw_dry == s.raw_wet:
        return ("raw_dry", "equals raw_wet, so no moisture can be computed",
                "measure the sensor in dry air and in water and enter both raw values")
    if s.ok_above < s.dry_below:
        return ("ok_above", f"({s.ok_above}) is below dry_below ({s.dry_below})",
                "set ok_above a few points above dry_below so the alert clears only once the bed is really wet")
    return None


@dataclass(frozen=True)
class SensorConfig:
    node: str = setting(help="Node id the firmware sends.", check=name_like)
    name: str = setting("Kräuterbeet", "Name staff see in alerts.")
    raw_dry: int = setting(52000, "Raw reading in dry air / dry soil (0 %).", between(0, 65535))
    raw_wet: int = setting(21000, "Raw reading in water / wet soil (100 %).", between(0, 65535))
    dry_below: float = setting(30.0, "Alert when moisture falls below this percentage.", between(0, 100))
    ok_above: float = setting(38.0, "Clear the alert only above this percentage.", between(0, 100))
    confirm_readings: int = setting(3, "Consecutive readings past a threshold before the state changes.", between(1, 100))
    stale_after_s: int = setting(1800, "Seconds without a reading before the sensor counts as silent.", at_least(10))
    link: str = setting("usb", "How the node reaches the station: 'usb' (a cable to kiosk bridge) or 'wifi' (a battery ESP32); alert mails give advice to match.", one_of("usb", "wifi"))
    fault_margin: float = setting(25.0, "How far (in % of the dry-wet span) outside the calibrated range a raw value counts as a sensor fault.", between(1, 1000))

    def validate(self) -> tuple[str, str, str] | None:
        return _check_sensor(self)


@dataclass(frozen=True)
class EmailConfig:
    host: str = setting("", "SMTP server; empty turns e-mail off.")
    port: int = setting(587, "SMTP port (587 with STARTTLS, 465 with TLS).", between(1, 65535))
    security: str = setting("starttls", "'starttls', 'tls' or 'none' (only for a server on this machine).", one_of("starttls", "tls", "none"))
    username: str = setting("", "SMTP login, if the server asks for one.")
    password: str = setting("", "SMTP password.")
    ca_file: str = setting("", "CA certificate to trust for a server with its own certificate (empty: the system's).")
    sender: str = setting("kiosk@localhost", "From address.")
    recipients: tuple[str, ...] = setting([], "Staff addresses that get alerts.")


@dataclass(frozen=True)
class NtfyConfig:
    url: str = setting("", "Push URL including the topic, e.g. https://ntfy.sh/batenbrock-beet; empty turns it off.")
    token: str = setting("", "Access token, if the ntfy server asks for one.")


@dataclass(frozen=True)
class NotifyConfig:
    reminder_every_s: int = setting(6 * 3600, "While an alert stays active, remind at most this often (0 = never).", at_least(0))
    email: EmailConfig = setting(EmailConfig(), "E-mail notifications.")
    ntfy: NtfyConfig = setting(NtfyConfig(), "ntfy-style HTTP push notifications.")


@dataclass(frozen=True)
class GardenConfig:
    sensors: tuple[SensorConfig, ...] = setting([], "One [[garden.sensors]] table per sensor node.")
    notify: NotifyConfig = setting(NotifyConfig(), "How staff are told about alerts.")

    def validate(self) -> tuple[str, str, str] | None:
        seen = set()
        for i, sensor in enumerate(self.sensors):
            if sensor.node in seen:
                return (f"sensors[{i}].node", f"{sensor.node!r} appears twice", "give every sensor its own node id")
            seen.add(sensor.node)
        return None

    def sensor(self, node: str) -> SensorConfig | None:
        return next((s for s in self.sensors if s.node == node), None)


@dataclass(frozen=True)
class BoothConfig:
    reader: str = setting("mfrc522", "'mfrc522' on a Pi, 'emulated' for the demo and tests.", one_of("mfrc522", "emulated"))
    max_loans_per_card: int = setting(3, "Books a child may have at once.", between(1, 50))
    loan_days: int = setting(21, "Days until a loan is due.", between(1, 365))
    session_s: int = setting(30, "Seconds a card tap stays open for books.", between(5, 600))
    anonymise_after_days: int = setting(90, "Returned loans lose their card link after this many days.", between(1, 3650))
    spi_bus: int = setting(0, "SPI bus of the MFRC522 (0 = /dev/spidev0.x).", between(0, 6))
    spi_device: int = setting(0, "SPI chip select of the MFRC522 (0 = CE0).", between(0, 2))
    pin_rst: int = setting(25, "BCM pin wired to the MFRC522's RST.", between(0, 27))
    led_green: int = setting(17, "BCM pin of the green LED (loan / return).", between(0, 27))
    led_red: int = setting(27, "BCM pin of the red LED (denied).", between(0, 27))
    buzzer: int = setting(22, "BCM pin of the buzzer.", between(0, 27))
    poll_ms: int = setting(50, "Milliseconds between two looks for tags; lower answers faster and costs more CPU.", between(5, 1000))
    outbox_max: int = setting(100_000, "Booth events kept on disk while the broker is away; the oldest go first beyond this.", at_least(100))


@dataclass(frozen=True)
class UiConfig:
    fullscreen: bool = setting(True, "Fill the screen with no window frame (set false to try it on a desktop).")
    idle_reset_s: int = setting(60, "Seconds without a touch before the kiosk returns home and forgets half-typed text.", between(15, 3600))
    dim_after_s: int = setting(300, "Seconds without a touch or motion before the screen dims.", between(10, 86400))
    opening_hours: OpeningHours = setting(OpeningHours.from_setting("Mo-Fr 09:00-17:00"), "When the office is open, e.g. 'Mo-Fr 09:00-17:00; Sa 10:00-13:00'; outside these hours the screen dims sooner (after idle_reset_s) and wakes on a touch or motion.")
    pir_pin: int = setting(-1, "BCM pin of a PIR motion sensor that wakes the screen (-1 = none).", between(-1, 27))
    staff_pin_hash: str = setting("", "Salted hash of the staff PIN; set it with `kiosk admin pin`.")
    offers_file: str = setting("offers.toml", "The offers shown on the kiosk (relative to station.toml).")
    calendar_feeds: tuple[str, ...] = setting([], "iCalendar files or URLs with partner events.")
    wifi_name: str = setting("Batenbrock-frei", "Name of the shop front's open Wi-Fi, shown with its QR code.")
    large_text: bool = setting(False, "Start with large text (passers-by can switch it on the screen; it resets when idle).")
    pin_lockout_s: int = setting(300, "Seconds staff PIN entry stays locked after 5 wrong tries (doubles on each further lockout, up to 1 h).", between(30, 3600))
    rotation: int = setting(0, "Rotate the picture by 0, 90, 180 or 270 degrees (e.g. 90 for a portrait kiosk).", lambda v: None if v in (0, 90, 180, 270) else "must be 0, 90, 180 or 270")


def host_port(value: str) -> str | None:
    try:
        split_listen(value)
    except ValueError as exc:
        return str(exc)
    return None


def split_listen(value: str) -> tuple[str, int]:
    """'host:port' (IPv6 as '[::1]:8443') -> (host, port); raises ValueError saying what to write."""
    host, sep, port = value.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError("must be host:port, e.g. \"0.0.0.0:8443\" or \"127.0.0.1:8080\"")
    return host, int(port)


def networks(value: tuple[str, ...]) -> str | None:
    for text in value:
        try:
            ipaddress.ip_network(text, strict=False)
        except ValueError:
            return f"{text!r} is not a network; write it like \"192.168.0.0/16\" or \"10.0.0.5/32\""
    if not value:
        return "name at least one network, e.g. [\"192.168.0.0/16\"]; with none nobody could reach the console"
    return None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ConsoleConfig:
    listen: str = setting("0.0.0.0:8443", "host:port the staff console listens on.", host_port)
    allow: tuple[str, ...] = setting(["192.168.0.0/16"], "Networks (CIDR) that may reach the console at all; all others get 403. Leave the shop's public Wi-Fi out.", networks)
    tls_cert: str = setting("/etc/kiosk/tls/console.crt", "TLS certificate (PEM) of the console; both empty: plain HTTP, only on a loopback address.")
    tls_key: str = setting("/etc/kiosk/tls/console.key", "Private key of that certificate (PEM).")

    @property
    def tls(self) -> bool:
        return bool(self.tls_cert)

    def validate(self) -> tuple[str, str, str] | None:
        if bool(self.tls_cert) != bool(self.tls_key):
            missing = "tls_key" if self.tls_cert else "tls_cert"
            return (missing, "is empty while the other TLS file is set", "set both tls_cert and tls_key, or neither")
        host, _port = split_listen(self.listen)
        if not self.tls and not is_loopback(host):
            return ("listen", f"{self.listen!r} without TLS would send staff passwords in the clear",
                    "set tls_cert and tls_key (scripts/install-pi.sh makes them), or listen on 127.0.0.1")
        return None


def web_address(value: str) -> str | None:
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return "must be an http(s) address without '?', e.g. \"https://services.dnb.de/sru/dnb\""
    return None


def cover_address(value: str) -> str | None:
    parts = urllib.parse.urlsplit(value.replace("{isbn}", "0"))
    if value and (parts.scheme not in ("http", "https") or not parts.netloc or value.count("{isbn}") != 1
                  or "{" in value.replace("{isbn}", "")):
        return "must be an http(s) address with {isbn} where the ISBN goes, or empty for no covers"
    return None


@dataclass(frozen=True)
class DeskConfig:
    online: bool = setting(True, "Look a book up on the internet by its ISBN (false: never; staff type title and author).")
    dnb_url: str = setting("https://services.dnb.de/sru/dnb", "The Deutsche Nationalbibliothek's SRU interface, asked first.", web_address)
    openlibrary_url: str = setting("https://openlibrary.org/api/books", "Open Library's Books API, asked when the DNB does not know a book.", web_address)
    covers_url: str = setting("https://covers.openlibrary.org/b/isbn/{isbn}-M.jpg?default=false", "Where a book's cover picture comes from, {isbn} standing for the ISBN-13; empty: no covers.", cover_address)
    lookup_timeout_s: float = setting(4.0, "Seconds a look-up may take at most, all sources together; after that the form stays empty for typing.", between(0.5, 30))


@dataclass(frozen=True)
class Config:
    station: StationConfig = setting(StationConfig(), "This station.")
    mqtt: MqttConfig = setting(MqttConfig(), "The MQTT broker.")
    bridge: BridgeConfig = setting(BridgeConfig(), "The serial sensor bridge.")
    garden: GardenConfig = setting(GardenConfig(), "The herb-bed sensors and alerts.")
    booth: BoothConfig = setting(BoothConfig(), "The book booth.")
    ui: UiConfig = setting(UiConfig(), "The touch kiosk.")
    console: ConsoleConfig = setting(ConsoleConfig(), "The staff console (a web page for the office PC and phones).")
    desk: DeskConfig = setting(DeskConfig(), "The library desk: looking books up by ISBN (docs/desk.md).")
    # Where the file was read from; relative paths in it are relative to its folder.
    source: str = field(default="", metadata={"internal": True})

    @property
    def data_dir(self) -> Path:
        path = Path(self.station.data_dir)
        if not path.is_absolute() and self.source:
            path = Path(self.source).parent / path
        return path


# --- loading ---------------------------------------------------------------------

def resolve_path(explicit: str | None) -> Path:
    """The config file to read: --config, else $KIOSK_CONFIG, else config/station.toml."""
    return Path(explicit or os.environ.get("KIOSK_CONFIG") or DEFAULT_PATH)


def load(path: str | os.PathLike | None = None) -> Config:
    """Read and check station.toml; raises ConfigError naming the key and the fix."""
    path = resolve_path(str(path) if path else None)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("", f"config file {path} not found",
                          "pass --config PATH or set KIOSK_CONFIG, or copy config/station.toml") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("", f"cannot read config file {path}: {exc}") from None
    config = loads(text, source=str(path))
    overrides = {key: os.environ[name] for name, key in MQTT_ENV.items() if os.environ.get(name)}
    if overrides:
        config = dataclasses.replace(config, mqtt=dataclasses.replace(config.mqtt, **overrides))
    return config


def loads(text: str, source: str = "") -> Config:
    """Check a station.toml given as text; raises ConfigError."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("", f"{source or 'station.toml'} is not valid TOML ({exc})",
                          "fix the line named; strings need quotes") from None
    config = build(Config, table, "")
    return dataclasses.replace(config, source=source)


def build(cls: type, table: Any, prefix: str) -> Any:
    """Turn one TOML table into the dataclass `cls`, checking every key."""
    if not isinstance(table, dict):
        raise ConfigError(prefix, "must be a table", f"write it as [{prefix}]")
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    for key in table:
        if key not in fields:
            raise ConfigError(_join(prefix, key), "unknown key",
                              "remove it or check the spelling; known keys here: " + ", ".join(fields))
    hints = typing.get_type_hints(cls)
    values = {}
    for name, f in fields.items():
        key = _join(prefix, name)
        if name not in table:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ConfigError(key, "is missing", "add it; it has no default")
            continue
        value = _convert(hints[name], table[name], key)
        check = f.metadata.get("check")
        problem = check(value) if check else None
        if problem:
            raise ConfigError(key, f"{_show(table[name])} {problem}")
        values[name] = value
    instance = cls(**values)
    validate = getattr(instance, "validate", None)
    if validate:
        problem = validate()
        if problem:
            sub, what, fix = problem
            raise ConfigError(_join(prefix, sub), what, fix)
    return instance


def rebuilt(instance: Any, changes: dict[str, Any], prefix: str = "") -> Any:
    """`instance` (a section) with `changes`, checked by the very rules station.toml passes.

    For settings changed at run time (the garden's thresholds from the staff console):
    types, each key's check and the section's cross-checks, as `build` applies them at
    start-up. Raises ConfigError naming the key.
    """
    fields = [f.name for f in dataclasses.fields(instance) if not f.metadata.get("internal")]
    return build(type(instance), {**{name: getattr(instance, name) for name in fields}, **changes}, prefix)


def bounds(cls: type, name: str) -> tuple[float | None, float | None]:
    """(lowest, highest) the check of `cls`'s setting `name` allows; None where it sets none."""
    check = next(f for f in dataclasses.fields(cls) if f.name == name).metadata.get("check")
    return getattr(check, "bounds", (None, None))


def is_section(hint: Any) -> bool:
    """True for a dataclass read from a TOML table; False for a value type read from text."""
    return dataclasses.is_dataclass(hint) and not hasattr(hint, "from_setting")


def _convert(hint: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(hint)
    if hasattr(hint, "from_setting"):
        # A typed value written as text (opening hours): read here, once, so a mistake stops start-up.
        if not isinstance(value, str):
            raise ConfigError(key, f"{_show(value)} must be text", "put it in double quotes")
        try:
            return hint.from_setting(value)
        except ValueError as exc:
            raise ConfigError(key, f"{_show(value)} {exc}") from None
    if is_section(hint):
        return build(hint, value, key)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise ConfigError(key, f"{_show(value)} must be a list", "write it as [ … ]")
        if is_section(item):
            return tuple(build(item, v, f"{key}[{i}]") for i, v in enumerate(value))
        return tuple(_convert(item, v, f"{key}[{i}]") for i, v in enumerate(value))
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], value, key)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(key, f"{_show(value)} must be true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(key, f"{_show(value)} must be a whole number", "write it without quotes or decimals")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(key, f"{_show(value)} must be a number", "write it without quotes")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(key, f"{_show(value)} must be text", "put it in double quotes")
        return value
    raise TypeError(f"config field {key} has an unsupported type {hint!r}")


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def documented_keys(cls: type = Config, prefix: str = "") -> dict[str, str]:
    """Every key with its help text, for docs and for the test that all are documented."""
    out: dict[str, str] = {}
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.metadata.get("internal"):
            continue
        key = _join(prefix, f.name)
        hint = hints[f.name]
        item = typing.get_args(hint)[0] if typing.get_origin(hint) is tuple else hint
        if is_section(item):
            out[key] = f.metadata.get("help", "")
            out.update(documented_keys(item, key))
        else:
            out[key] = f.metadata.get("help", "")
    return out
