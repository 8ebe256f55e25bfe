"""A real Home Assistant at the district's centre finds two stations apart and follows their links.

Slow and big (Home Assistant 2024.3.x with what it installs is about 700 MB), so not in CI's run:
it runs when KIOSK_HASS names the `hass` of a venv made as docs/deploy.md („Checking with a real
Home Assistant“) says, e.g. KIOSK_HASS=/tmp/ha/bin/hass.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HASS = os.environ.get("KIOSK_HASS", "")
pytestmark = pytest.mark.skipif(not HASS, reason="KIOSK_HASS names no Home Assistant (docs/deploy.md)")
STATE = "hastate/sensor/krauterbeet_{place}_bed_1_bodenfeuchte/state"


def devices(config_dir: Path) -> set[tuple[str, str]]:
    path = config_dir / ".storage" / "core.device_registry"
    if not path.exists():
        return set()
    return {(d["name"], d["manufacturer"]) for d in json.loads(path.read_text())["data"]["devices"]}


def test_home_assistant_names_both_stations_and_sees_a_cut_link(broker, make_config, watch, tmp_path):
    config_dir = tmp_path / "ha-config"
    subprocess.run([sys.executable, str(ROOT / "scripts/district_ha_check.py"), str(broker.port), str(config_dir)],
                   check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True)
    centre = watch(make_config(broker.port), "hastate/#")
    log = open(tmp_path / "hass.log", "wb")
    hass = subprocess.Popen([HASS, "-c", str(config_dir)], stdout=log, stderr=subprocess.STDOUT)
    try:
        assert centre.wait_for(STATE.format(place="batenbrock"), lambda v: v == 41.0, timeout=300)
        assert centre.wait_for(STATE.format(place="welheim"), lambda v: v == "unavailable", timeout=30)
        centre.bus.publish("batenbrock/welheim-1/fleet/link", "1", retain=True)
        assert centre.wait_for(STATE.format(place="welheim"), lambda v: v == 23.0, timeout=30)
        deadline = time.monotonic() + 60          # Home Assistant writes its registry a few seconds later
        while time.monotonic() < deadline and len(devices(config_dir)) < 4:
            time.sleep(1)
        assert devices(config_dir) == {("Kräuterbeet Batenbrock (bed-1)", "Stadtteilbüro Batenbrock"),
                                       ("Station Batenbrock (batenbrock-1)", "Stadtteilbüro Batenbrock"),
                                       ("Kräuterbeet Welheim (bed-1)", "Stadtteilbüro Welheim"),
                                       ("Station Welheim (welheim-1)", "Stadtteilbüro Welheim")}
    finally:
        hass.terminate()
        try:
            hass.wait(60)
        except subprocess.TimeoutExpired:
            hass.kill()
            hass.wait()
        log.close()
