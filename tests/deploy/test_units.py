"""The systemd units: valid for systemd-analyze, hardened, and each runs a real kiosk command."""

from __future__ import annotations

import configparser
import re
import shlex
import subprocess

import pytest

from kiosk.cli import build_parser
from tests.conftest import require_tool
from tests.deploy.conftest import ROOT

UNITS = sorted((ROOT / "systemd").glob("kiosk-*"))
SERVICES = {"garden": "kiosk-garden.service", "bridge": "kiosk-bridge.service",
            "booth": "kiosk-booth.service", "ui": "kiosk-ui.service", "console": "kiosk-console.service"}
EXEC = "/opt/kiosk/venv/bin/kiosk"
# What systemd-analyze verify may say about a unit on a machine that is not the Pi.
HARMLESS = re.compile(r"(user|group) .*kiosk|EnvironmentFile|mosquitto\.service|No such file or directory.*credentials",
                      re.I)


def read_unit(path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, empty_lines_in_values=False)
    parser.optionxform = str
    # Repeated keys (DeviceAllow=, SystemCallFilter=) are kept by joining them.
    text, seen = [], {}
    for line in path.read_text().splitlines():
        match = re.match(r"^(\w+)=(.*)$", line)
        if match:
            key = match.group(1)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                line = f"{key}#{seen[key]}={match.group(2)}"
        elif line.startswith("["):
            seen = {}
        text.append(line)
    parser.read_string("\n".join(text))
    return parser


def values(unit, section: str, key: str) -> list[str]:
    return [v for k, v in unit.items(section) if k == key or k.startswith(key + "#")]


def test_every_unit_passes_systemd_analyze_verify(tmp_path):
    require_tool("systemd-analyze", "it comes with the Debian package systemd")
    fake = tmp_path / "opt/kiosk/venv/bin/kiosk"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    copies = []
    for unit in UNITS:
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text().replace(EXEC, str(fake)))
        copies.append(copy.name)
    assert len(copies) == 7
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *copies], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if line.strip() and not HARMLESS.search(line)]
    # Unknown keys and values that do not parse are only warnings for systemd (exit 0);
    # here every line of complaint counts.
    assert result.returncode == 0 and problems == [], "\n".join(problems or [result.stderr])


@pytest.mark.parametrize("command,name", SERVICES.items())
def test_each_service_is_hardened_and_watched(command, name):
    unit = read_unit(ROOT / "systemd" / name)
    service = dict(unit.items("Service"))
    assert service["Type"] == "notify" and service["WatchdogSec"] == "30"
    assert service["Restart"] == "on-failure"
    # A configuration or hardware error (exit code 2) is not retried every few seconds forever.
    assert service["RestartPreventExitStatus"] == "2"
    assert service["User"] == "kiosk"
    assert service["ExecStart"] == f"{EXEC} {command}"
    assert service["Environment"] == "KIOSK_CONFIG=/etc/kiosk/station.toml"
    assert service["EnvironmentFile"] == f"/etc/kiosk/credentials/{command}.env"
    for key, value in {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
                       "PrivateTmp": "yes", "ReadWritePaths": "/var/lib/kiosk", "CapabilityBoundingSet": ""}.items():
        assert service[key] == value, key
    assert values(unit, "Service", "ReadWritePaths") == ["/var/lib/kiosk"]
    assert values(unit, "Service", "RestrictAddressFamilies")[0].startswith("AF_UNIX AF_INET AF_INET6")
    devices = [v.split()[0] for v in values(unit, "Service", "DeviceAllow")]
    if command in ("garden", "console"):
        assert service["PrivateDevices"] == "yes" and devices == []
    else:
        assert service["DevicePolicy"] == "closed"
        assert devices == {"bridge": ["char-ttyACM", "char-ttyUSB"],
                           "booth": ["char-spi", "char-gpiochip"],
                           "ui": ["char-drm", "char-input", "char-gpiochip", "char-alsa"]}[command]
    assert unit.get("Install", "WantedBy") == "multi-user.target"


def test_the_nightly_backup_runs_kiosk_admin_backup_at_a_quarter_past_three():
    service = dict(read_unit(ROOT / "systemd/kiosk-backup.service").items("Service"))
    assert service["Type"] == "oneshot" and service["User"] == "kiosk"
    timer = dict(read_unit(ROOT / "systemd/kiosk-backup.timer").items("Timer"))
    assert timer["OnCalendar"] == "*-*-* 03:15:00" and timer["Persistent"] == "true"


def test_every_exec_start_is_a_real_kiosk_command():
    parser = build_parser()
    for unit in UNITS:
        if unit.suffix != ".service":
            continue
        argv = shlex.split(dict(read_unit(unit).items("Service"))["ExecStart"])
        assert argv[0] == EXEC
        args = parser.parse_args(argv[1:])          # exits (fails the test) on an unknown command
        assert args.command in ("garden", "bridge", "booth", "ui", "console", "admin")
