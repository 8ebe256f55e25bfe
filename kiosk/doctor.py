"""`kiosk doctor`: config, broker, account, serial port, reader, clock, disk — and the fix for each problem.

Written for whoever maintains the Pi: every line is a finding in plain words with
the command or setting that fixes it. Exit code 0 when all is well, 1 otherwise.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk import config as config_mod
from kiosk.errors import ConfigError

MIN_FREE_MB = 200


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

    who = f"account '{config.mqtt.username}'" if config.mqtt.username else "anonymous login"
    problem = probe(config.mqtt)
    if problem:
        return Finding(False, f"the broker refuses the {who}: {problem}",
                       "run sudo bash scripts/install-pi.sh again (it keeps existing passwords) and use "
                       "the service's /etc/kiosk/credentials/<service>.env (KIOSK_MQTT_USERNAME/PASSWORD)")
    return Finding(True, f"the broker accepts the {who}")


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
            findings.append(check_account(loaded))
        findings += [check_serial(loaded), check_reader(loaded)]
    findings.append(check_clock())
    for f in findings:
        print(("ok       " if f.ok else "PROBLEM  ") + f.what)
        if f.fix:
            print("         fix: " + f.fix)
    problems = sum(not f.ok for f in findings)
    print("\nAll checks passed." if not problems else f"\n{problems} problem(s) found.")
    return 0 if not problems else 1
