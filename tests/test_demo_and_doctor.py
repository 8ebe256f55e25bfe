"""`kiosk demo` as a newcomer runs it, and `kiosk doctor` as a maintainer reads it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kiosk.garden.store import MIGRATIONS, GardenStore
from kiosk.store import Database


def processes_mentioning(text: str) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline:
            found.append(cmdline)
    return found


def test_demo_dries_the_bed_raises_the_alert_and_leaves_nothing_behind(tmp_path):
    data = tmp_path / "demo"
    result = subprocess.run([sys.executable, "-m", "kiosk", "demo", "--no-ui", "--minutes", "0.2",
                             "--duration", "30", "--data", str(data)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Demo stopped." in result.stdout
    with Database(data / "garden.sqlite", MIGRATIONS) as db:
        store = GardenStore(db)
        assert store.count_readings("bed-1") >= 10
        assert db.dicts("SELECT kind, event FROM notices")[:1] == [{"kind": "dry", "event": "raised"}]
    assert processes_mentioning(str(data)) == []          # no orphaned service or broker


def test_doctor_names_each_problem_with_its_fix(tmp_path):
    config = tmp_path / "station.toml"
    config.write_text(f'[station]\ndata_dir = "{tmp_path}"\n[mqtt]\nport = 1\n'
                      f'[bridge]\nport = "{tmp_path}/no-such-port"\n[booth]\nreader = "emulated"\n')
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "doctor"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "PROBLEM  MQTT broker localhost:1 not reachable" in result.stdout
    assert "fix: sudo systemctl enable --now mosquitto" in result.stdout
    assert f"PROBLEM  sensor port {tmp_path}/no-such-port not found" in result.stdout
    assert "ok       data folder" in result.stdout
    assert "2 problem(s) found." in result.stdout
