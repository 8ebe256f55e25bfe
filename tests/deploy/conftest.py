"""Fixtures for the deployment tests: a real run of scripts/install-pi.sh into a fake root."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "scripts" / "install-pi.sh"


def install(root: Path, *args: str, skip: str = "venv", check: bool = True) -> subprocess.CompletedProcess:
    """Run install-pi.sh into the fake root `root` (never the real system: KIOSK_PREFIX is set)."""
    assert str(root) not in ("", "/")
    env = {**os.environ, "KIOSK_PREFIX": str(root), "KIOSK_SKIP": skip, "KIOSK_HOSTNAME": "test-pi", "KIOSK_ADDRESSES": ""}
    result = subprocess.run(["bash", str(INSTALL), *args], env=env, capture_output=True, text=True, timeout=60)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def credentials(root: Path, account: str) -> tuple[str, str]:
    """(username, password) the installer wrote for `account`."""
    values = {}
    for line in (root / f"etc/kiosk/credentials/{account}.env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key] = value
    return values["KIOSK_MQTT_USERNAME"], values["KIOSK_MQTT_PASSWORD"]


@pytest.fixture(scope="session")
def installed_root(tmp_path_factory) -> Path:
    """A fake root with the station installed by install-pi.sh (without the Python venv),
    with one ESP32 node account (bed-2). Treat it as read-only."""
    root = tmp_path_factory.mktemp("installed-root")
    install(root, "--node", "bed-2")
    return root
