"""`kiosk doctor`: config, broker, account, services, console, serial port, reader, clock, disk — and the fix for each problem.

Written for whoever maintains the Pi: every line is a finding in plain words with
the command or setting that fixes it. Exit code 0 when all is well, 1 otherwise.

On an installed Pi, /usr/local/bin/kiosk runs it as the user kiosk with the broker
account admin (scripts/install-pi.sh), which reads every service's status and
faults; the systemd units' state comes from systemctl, where systemd runs.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk import config as config_mod
from kiosk.errors import ConfigError

MIN_FREE_MB = 200
RETAINED_WAIT_S = 5.0      # for the broker's login and its retained status messages
RETAINED_QUIET_S = 0.5     # retained messages come at once after subscribing; then it is quiet
SERVICE_UNITS = "kiosk-*.service"


@dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    fix: str = ""


def check_config(path: str | None) -> tuple[object | None, Finding]:
    try:
        loaded = config_mod.load(path)
    except ConfigError as exc:
        return None, Finding(False, f"configuration: {exc}", "edit station.toml; README.md lists every key")
    return loaded, Finding(True, f"configuration {loaded.source} is valid")


def check_data_dir(config) -> list[Finding]:
    folder = config.data_dir
    findings = []
    if not folder.exists():
        return [Finding(False, f"data folder {folder} does not exist",
                        f"sudo mkdir -p {folder} && sudo chown kiosk: {folder}")]
    if not os.access(folder, os.W_OK):
        findings.append(Finding(False, f"data folder {folder} is not writable for this user",
                                f"sudo chown -R kiosk: {folder}"))
    free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
    if free_mb < MIN_FREE_MB:
        findings.append(Finding(False, f"only {free_mb} MB free on the disk of {folder}",
                                "delete old backups (DATA_DIR/backup) or use a bigger SD card"))
    else:
        findings.append(Finding(True, f"data folder {folder}: writable, {free_mb} MB free"))
    return findings


def check_broker(config) -> Finding:
    host, port = config.mqtt.host, config.mqtt.port
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as exc:
        return Finding(False, f"MQTT broker {host}:{port} not reachable ({exc.strerror or exc})",
                       "sudo systemctl enable --now mosquitto; check [mqtt] host and port")
    return Finding(True, f"MQTT broker {host}:{port} answers")


def check_account(config) -> Finding:
    from kiosk.bus.client import probe

    username = config.mqtt.username
    who = f"account '{username}'" if username else "anonymous login"
    problem = probe(config.mqtt)
    if not problem:
        return Finding(True, f"the broker accepts the {who}")
    if not username:
        fix = ("the station's broker takes accounts only: run the installed `kiosk doctor` (it logs in "
               "as admin), or give KIOSK_MQTT_USERNAME/KIOSK_MQTT_PASSWORD from /etc/kiosk/credentials/admin.env")
    else:
        fix = (f"KIOSK_MQTT_PASSWORD in /etc/kiosk/credentials/{username}.env must be the broker's password "
               f"of '{username}': on the broker's Pi, sudo bash scripts/install-pi.sh adds a missing account "
               "(and keeps the others); with the broker on another Pi, copy the password from there")
    return Finding(False, f"the broker refuses the {who}: {problem}", fix)


def retained_states(config, timeout: float = RETAINED_WAIT_S) -> dict[str, dict[str, object]] | None:
    """{service: {"status": "online"|"offline", "faults": {...}}} as the broker keeps them
    retained, or None when the broker does not let this account in."""
    from kiosk.bus import Bus

    found: dict[str, dict[str, object]] = {}
    heard = threading.Event()

    def keep(message) -> None:
        parsed = bus.topics.parse(message.topic)
        if parsed is None:
            return
        try:
            value = message.payload.decode() if parsed.kind == "status" else message.json()
        except ValueError:      # ProtocolError is one
            return
        found.setdefault(parsed.service, {})[parsed.kind] = value
        heard.set()

    bus = Bus(config, "doctor", announce=False)
    bus.subscribe(bus.topics.status("+"), keep)
    bus.subscribe(bus.topics.faults("+"), keep)
    bus.start()
    try:
        if not bus.wait_connected(timeout):
            return None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and heard.wait(RETAINED_QUIET_S):
            heard.clear()
        return dict(found)
    finally:
        bus.stop()


def check_services(config) -> list[Finding]:
    """What each service last told the broker: online or offline, and the faults it lives with."""
    from kiosk.bus.faults import FaultReport
    from kiosk.errors import ProtocolError

    states = retained_states(config)
    if not states:
        return []
    findings = []
    for service, state in sorted(states.items()):
        status = state.get("status")
        if status == "online":
            findings.append(Finding(True, f"service {service} is connected to the broker"))
        elif status is not None:
            findings.append(Finding(False, f"service {service} is not connected to the broker ({status})",
                                    f"sudo systemctl status kiosk-{service} says why (on the Pi that runs it)"))
        try:
            faults = FaultReport.from_payload(state["faults"]).faults if "faults" in state else {}
        except ProtocolError:
            faults = {}
        for fault in faults.values():
            findings.append(Finding(False, f"service {service}: {fault.message} (since {fault.since})",
                                    f"journalctl -u kiosk-{service} has the details; "
                                    "the service retries by itself and clears this when it works again"))
    return findings


def systemctl(*args: str) -> str | None:
    """systemctl's output, or None where there is no systemd to ask."""
    if not Path("/run/systemd/system").is_dir() or shutil.which("systemctl") is None:
        return None
    try:
        result = subprocess.run(["systemctl", *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def unit_states(pattern: str = SERVICE_UNITS) -> list[dict[str, str]]:
    """The properties of every installed unit matching `pattern` that is enabled or has run."""
    listing = systemctl("list-unit-files", "--no-legend", "--plain", pattern)
    if not listing:
        return []
    names = [line.split()[0] for line in listing.splitlines() if line.strip()]
    shown = systemctl("show", "--property=Id,ActiveState,SubState,Result,ExecMainStatus,NRestarts,"
                      "UnitFileState", *names) if names else None
    units = []
    for block in (shown or "").strip().split("\n\n"):
        properties = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
        if properties.get("UnitFileState") == "enabled" or properties.get("ActiveState") != "inactive":
            units.append(properties)
    return units


def check_units() -> list[Finding]:
    """Each kiosk unit under systemd: running, or why not and what to do."""
    findings = []
    for unit in unit_states():
        name, state, sub = unit.get("Id", "?"), unit.get("ActiveState"), unit.get("SubState")
        status = f"sudo systemctl status {name} shows the reason"
        if name == "kiosk-backup.service":
            if state == "failed":
                findings.append(Finding(False, "the last backup (kiosk-backup.service) failed",
                                        f"{status}; try it by hand: kiosk admin backup"))
            continue
        if state == "active":
            findings.append(Finding(True, f"{name} is running"))
        elif state == "failed" and unit.get("ExecMainStatus") == "2":
            findings.append(Finding(False, f"{name} stopped on a configuration or hardware error (exit code 2) "
                                           "and is not restarted until that is fixed",
                                    f"{status}; fix it, then: sudo systemctl restart {name}"))
        elif state == "failed":
            findings.append(Finding(False, f"{name} failed ({unit.get('Result', '?')})",
                                    f"{status}; then: sudo systemctl restart {name}"))
        elif sub == "auto-restart":
            findings.append(Finding(False, f"{name} keeps restarting ({unit.get('NRestarts', '?')} restarts so far)",
                                    f"journalctl -u {name} shows why"))
        else:
            findings.append(Finding(False, f"{name} is {state} ({sub})", f"sudo systemctl start {name}"))
    return findings


CONSOLE_UNIT = Path("/etc/systemd/system/kiosk-console.service")


def check_console(config, installed: bool | None = None) -> list[Finding]:
    """The staff console, where it is installed (its unit) or running: certificate and port."""
    import ssl

    from kiosk.config import split_listen

    host, port = split_listen(config.console.listen)
    target = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    try:
        socket.create_connection((target, port), timeout=3).close()
        reachable = None
    except OSError as exc:
        reachable = exc.strerror or str(exc)
    if installed is None:
        installed = CONSOLE_UNIT.exists()
    if not installed and reachable is not None:
        return []                  # no console on this machine
    findings = []
    if config.console.tls:
        try:
            ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(config.console.tls_cert, config.console.tls_key)
            findings.append(Finding(True, f"staff console certificate {config.console.tls_cert} is readable"))
        except (OSError, ssl.SSLError) as exc:
            findings.append(Finding(False, f"staff console certificate or key cannot be used ({exc})",
                                    "run scripts/install-pi.sh again to make one, or fix [console] tls_cert / tls_key"))
    scheme = "https" if config.console.tls else "http"
    if reachable is None:
        findings.append(Finding(True, f"staff console answers on {scheme}://{config.console.listen}/"))
    else:
        findings.append(Finding(False, f"staff console does not answer on {config.console.listen} ({reachable})",
                                "sudo systemctl status kiosk-console says why"))
    return findings


def check_serial(config) -> Finding:
    port = Path(config.bridge.port)
    if not port.exists():
        return Finding(False, f"sensor port {port} not found",
                       "plug in the sensor node's USB cable; `ls /dev/serial/by-id/` shows its name for [bridge] port")
    if not os.access(port, os.R_OK | os.W_OK):
        return Finding(False, f"sensor port {port} is not accessible for this user",
                       "sudo usermod -aG dialout kiosk")
    return Finding(True, f"sensor port {port} present")


def check_reader(config) -> Finding:
    if config.booth.reader == "emulated":
        from kiosk.errors import ReaderUnavailable
        from kiosk.hardware.rfid.factory import check_emulated_reader
        try:
            check_emulated_reader()
        except ReaderUnavailable as exc:          # its message says what to install
            return Finding(False, f"RFID reader: {exc}")
        return Finding(True, "RFID reader: emulated (demo / test mode)")
    device = Path(f"/dev/spidev{config.booth.spi_bus}.{config.booth.spi_device}")
    if not device.exists():
        return Finding(False, f"RFID reader: {device} missing",
                       "enable SPI: sudo raspi-config nonint do_spi 0, then reboot; check the wiring in docs/booth.md")
    return Finding(True, f"RFID reader: {device} present")


def check_clock() -> Finding:
    if time.gmtime().tm_year < 2025:
        return Finding(False, "the clock is wrong (year before 2025); loans and alerts would get wrong dates",
                       "connect the Pi to the network so it syncs time, or: sudo timedatectl set-ntp true")
    return Finding(True, "clock looks right")


def run(config, args) -> int:
    loaded, finding = check_config(args.config)
    findings = [finding]
    if loaded is not None:
        findings += check_data_dir(loaded)
        broker = check_broker(loaded)
        findings.append(broker)
        if broker.ok:
            account = check_account(loaded)
            findings.append(account)
            if account.ok:
                findings += check_services(loaded)
        findings += check_units()
        findings += check_console(loaded)
        findings += [check_serial(loaded), check_reader(loaded)]
    findings.append(check_clock())
    for f in findings:
        print(("ok       " if f.ok else "PROBLEM  ") + f.what)
        if f.fix:
            print("         fix: " + f.fix)
    problems = sum(not f.ok for f in findings)
    print("\nAll checks passed." if not problems else f"\n{problems} problem(s) found.")
    return 0 if not problems else 1
