"""The station installed by scripts/install-pi.sh on a Debian bookworm machine with systemd as
PID 1 (a systemd-nspawn container, tests/deploy/nspawn.py): what the other deployment tests can
only read from the files, tried for real.

The machine is booted and installed once for this module. The first run of the installer meets
a booth whose reader cannot work there (the real MFRC522 on a machine without SPI) and must still
finish everything else; then the booth gets the emulated reader, and from then on every run of
the installer must change nothing. The tests run in the order written: the reboot comes last.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import in_ci
from tests.deploy import nspawn
from tests.deploy.conftest import ROOT

SERVICES = ("garden", "bridge", "booth", "ui", "console")
UNITS = tuple(f"kiosk-{s}.service" for s in SERVICES)
BASE = "batenbrock/batenbrock-1"
SOURCE = "/srv/station"             # the checkout, read-only inside
HOST_CA = "/srv/host-ca.pem"
BOOK = ("04a1b2c3", "Das Sams")
# Kivy opens its window on a virtual screen, the container having none: only the display
# settings of kiosk-ui.service are changed, by a drop-in the installer does not manage.
TEST_DISPLAY = {
    "etc/systemd/system/kiosk-test-display.service": """[Unit]
Description=A virtual screen for the touch kiosk in this test machine
[Service]
ExecStart=/usr/bin/Xvfb :4242 -nolisten tcp -screen 0 800x480x24
""",
    "etc/systemd/system/kiosk-ui.service.d/test-display.conf": """[Unit]
Wants=kiosk-test-display.service
After=kiosk-test-display.service
[Service]
Environment=DISPLAY=:4242 SDL_VIDEODRIVER=x11
""",
}

why_not = nspawn.missing_prerequisites()
if why_not is None and os.environ.get("KIOSK_TEST_SYSTEMD", "1") == "0":
    why_not = "KIOSK_TEST_SYSTEMD=0"


@pytest.fixture(scope="module", autouse=True)
def systemd_test_machine_possible():
    """Skip where no container can be made; in CI (which runs as root with dev.sh's tools)
    a missing prerequisite is a broken set-up, not a reason to skip, unless switched off."""
    if why_not is None:
        return
    if in_ci() and os.environ.get("KIOSK_TEST_SYSTEMD") != "0":
        pytest.fail(f"no systemd test machine in CI: {why_not}", pytrace=False)
    pytest.skip(f"no systemd test machine: {why_not}")


def station_toml(reader: str) -> str:
    """The default configuration with this reader and a second sensor for the ESP32 node bed-2."""
    text = (ROOT / "config/station.toml").read_text()
    text, count = re.subn(r'^reader = "mfrc522"', f'reader = "{reader}"', text, flags=re.M)
    assert count == 1, "config/station.toml no longer sets reader = \"mfrc522\""
    return text + '\n[[garden.sensors]]\nnode = "bed-2"\nname = "Hochbeet"\n'


def pip_certificates() -> dict[str, str]:
    """This network's TLS certificates for pip, where the host has its own (an intercepting proxy)."""
    bundle = os.environ.get("PIP_CERT") or os.environ.get("SSL_CERT_FILE")
    return {bundle: HOST_CA} if bundle and Path(bundle).is_file() else {}


class Station:
    """The booted test machine, with what the fixture saw on the way."""

    def __init__(self, machine: nspawn.Machine):
        self.machine = machine
        self.first_run = None
        self.second_run = None
        self.before_second_run: dict[str, str] = {}

    def install(self) -> subprocess.CompletedProcess:
        env = {"PIP_CERT": HOST_CA, "SSL_CERT_FILE": HOST_CA} if pip_certificates() else {}
        return self.machine.run(f"bash {SOURCE}/scripts/install-pi.sh --node bed-2", check=False, env=env)

    def kiosk(self, arguments: str, check: bool = True):
        """The installed kiosk command, as staff type it."""
        return self.machine.run(f"kiosk {arguments}", check=check, timeout=120)

    def invocations(self) -> dict[str, str]:
        """Each unit's invocation id: a new one means systemd (re)started it."""
        return {unit: self.machine.show(unit, "InvocationID")["InvocationID"] for unit in UNITS}

    def active(self, unit: str) -> bool:
        return self.machine.show(unit, "ActiveState")["ActiveState"] == "active"

    def credentials(self, account: str) -> tuple[str, str]:
        text = self.machine.run(f"cat /etc/kiosk/credentials/{account}.env").stdout
        values = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
        return values["KIOSK_MQTT_USERNAME"], values["KIOSK_MQTT_PASSWORD"]

    def mqtt(self, script: str) -> str:
        """Python run inside with the installed environment (paho, the station's Bus)."""
        return self.machine.run(f"/opt/kiosk/venv/bin/python -c {shlex.quote(script)}", timeout=60).stdout


@pytest.fixture(scope="module")
def station():
    if not nspawn.port_is_free(1883):
        pytest.fail("port 1883 on 127.0.0.1 is taken; the test machine's broker needs it (shared network)")
    base = nspawn.base_root()
    # Beside the root it overlays (one file system), and out of pytest's temporary folders,
    # which a pytest run elsewhere on the machine may clear while this one runs.
    # pip's cache is kept like the root: the Pi extra's C code is then built once, not every run.
    (nspawn.CACHE / "pip").mkdir(exist_ok=True)
    machine = nspawn.Machine.at(base, binds={str(ROOT): SOURCE, **pip_certificates()},
                                writable={str(nspawn.CACHE / "pip"): "/root/.cache/pip"})
    machine.mount()
    try:
        for path, text in {**TEST_DISPLAY, "etc/kiosk/station.toml": station_toml("mfrc522")}.items():
            (machine.root / path).parent.mkdir(parents=True, exist_ok=True)
            (machine.root / path).write_text(text)
        machine.boot()
        station = Station(machine)
        station.first_run = station.install()
        (machine.root / "etc/kiosk/station.toml").write_text(station_toml("emulated"))
        station.before_second_run = station.invocations()
        station.second_run = station.install()
        yield station
    finally:
        machine.kill()
        machine.unmount()
        machine.remove()


def test_a_unit_that_fails_to_start_does_not_stop_the_installer(station):
    """The booth's reader cannot work on the first run; the kiosk and the nightly backup are
    still enabled and started, the failure is named with its cause, and the run fails at the end."""
    first = station.first_run
    out = first.stdout
    assert first.returncode == 1, out[-3000:] + first.stderr[-3000:]
    assert "!! kiosk-booth.service did not restart" in out
    assert "\n       kiosk: " in out, out[-3000:]            # the booth's own words: why it ended
    assert "done, but 1 unit(s) did not start: kiosk-booth.service" in out
    for unit in ("kiosk-ui.service", "kiosk-backup.timer"):
        assert station.machine.run(f"systemctl is-enabled {unit}").stdout.strip() == "enabled"


def test_every_service_unit_reaches_ready(station):
    assert station.second_run.returncode == 0, station.second_run.stdout[-3000:] + station.second_run.stderr[-2000:]
    for unit in UNITS:
        # Type=notify: "active" only after the service sent READY=1.
        state = station.machine.show(unit, "ActiveState", "SubState", "Type")
        assert state == {"ActiveState": "active", "SubState": "running", "Type": "notify"}, (unit, state)
    assert station.machine.show("kiosk-backup.timer", "ActiveState")["ActiveState"] == "active"


def test_a_second_run_restarts_nothing_and_a_third_changes_nothing(station):
    """The second run only starts the booth that failed; garden, bridge and the kiosk keep running
    (pip's build/ folder in /opt/kiosk/src is no new code), and the third run finds nothing to do."""
    after_second = station.invocations()
    for unit in ("kiosk-garden.service", "kiosk-bridge.service", "kiosk-ui.service"):
        assert after_second[unit] == station.before_second_run[unit], f"the second run restarted {unit}"
    assert "    unchanged" in station.second_run.stdout
    third = station.install()
    assert third.returncode == 0, third.stdout[-3000:]
    assert "done: everything was already in place" in third.stdout, third.stdout[-3000:]
    assert station.invocations() == after_second


def test_exit_code_2_is_not_restarted_and_the_booth_allows_no_missing_device(station):
    """The first run's booth ended with exit code 2 (no SPI): systemd did not start it again every
    5 s; and no DeviceAllow= names a device this machine lacks (the old /dev/gpiomem line)."""
    log = station.machine.run("journalctl -u kiosk-booth.service -o cat --no-pager").stdout
    assert log.count("Main process exited, code=exited, status=2") == 1, log[-3000:]
    assert "Scheduled restart job" not in log.split("Main process exited, code=exited, status=2")[1].split(
        "Starting kiosk-booth.service")[0]
    assert "Couldn't stat device" not in log and "gpiomem" not in log, log[-3000:]


def test_doctor_on_the_installed_station_logs_in_and_sees_every_service(station):
    result = station.kiosk("doctor", check=False)
    out = result.stdout
    assert "ok       the broker accepts the account 'admin'" in out, out + result.stderr
    for service in SERVICES:
        assert f"ok       service {service} is connected to the broker" in out, out
        assert f"ok       kiosk-{service}.service is running" in out, out
    assert "refuses" not in out


def test_the_device_policy_denies_a_device_to_a_service(station):
    """A process in kiosk-booth's control group may not open /dev/net/tun (DevicePolicy=closed);
    the same process outside it may."""
    cgroup = station.machine.show("kiosk-booth.service", "ControlGroup")["ControlGroup"]
    try_tun = "python3 -c \"import os; os.open('/dev/net/tun', os.O_RDWR); print('opened')\""
    outside = station.machine.run(try_tun, check=False)
    assert "opened" in outside.stdout, outside.stderr
    # Into the unit's cgroup from outside the container's cgroup namespace (moving a process
    # across a namespace's root is refused).
    inside = station.machine.run(f"echo $$ > /sys/fs/cgroup{cgroup}/cgroup.procs && exec {try_tun}", check=False,
                                 namespaces="-m -u -i -n -p")
    assert "opened" not in inside.stdout and "Operation not permitted" in inside.stderr, inside.stderr


def test_the_acl_refuses_a_publish_outside_an_accounts_lane(station):
    """The ESP32 node bed-2 writes its own readings, not bed-1's (seen by Home Assistant's account)."""
    observer = station.credentials("homeassistant")
    node = station.credentials("node-bed-2")
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    out = station.mqtt(f"""
import json, queue, types
from kiosk import config
from kiosk.bus import Bus
def bus(name, account):
    mqtt = dict(host="127.0.0.1", port=1883, username=account[0], password=account[1])
    cfg = config.loads('[station]\\nid = "batenbrock-1"\\n[mqtt]\\n' + "".join(f'{{k}} = {{json.dumps(v)}}\\n' for k, v in mqtt.items()))
    return Bus(cfg, name, announce=False)
seen = queue.Queue()
observer = bus("observer", {observer!r})
observer.subscribe("{BASE}/garden/+/reading", lambda m: seen.put(m.topic))
observer.start(); assert observer.wait_connected(10)
import time; time.sleep(0.5)
node = bus("node", {node!r}).start(); assert node.wait_connected(10)
for bed, seq in (("bed-1", 99), ("bed-2", 1)):
    payload = {{"ts": "{now}", "node": bed, "seq": seq, "raw": 30000}}
    node.publish(f"{BASE}/garden/{{bed}}/reading", payload).wait_for_publish(5)
print(seen.get(timeout=10))
node.stop(); observer.stop()
""")
    assert out.strip() == f"{BASE}/garden/bed-2/reading"


def test_the_backup_unit_writes_a_backup(station):
    station.kiosk(f"admin book add --tag {BOOK[0]} --title {shlex.quote(BOOK[1])}")
    station.machine.run("systemctl start kiosk-backup.service", timeout=120)
    listing = station.machine.run("ls /var/lib/kiosk/backup/*/").stdout.split()
    assert "booth.sqlite" in listing and "garden.sqlite" in listing, listing


def test_the_watchdog_restarts_a_garden_that_hangs(station):
    machine = station.machine
    before = machine.show("kiosk-garden.service", "MainPID", "NRestarts")
    machine.run(f"kill -STOP {before['MainPID']}")
    after = machine.wait_for(
        lambda: (lambda s: s if s["MainPID"] not in ("0", before["MainPID"]) and s["ActiveState"] == "active"
                 else None)(machine.show("kiosk-garden.service", "MainPID", "NRestarts", "ActiveState")),
        "kiosk-garden restarted after its watchdog timed out (WatchdogSec=30)", timeout=120)
    assert int(after["NRestarts"]) == int(before["NRestarts"]) + 1
    assert "Watchdog timeout" in machine.run("journalctl -u kiosk-garden.service -o cat --no-pager").stdout


def test_a_reboot_keeps_the_data_and_starts_every_service(station):
    machine = station.machine
    readings = json.loads(station.kiosk("admin readings bed-2 --json").stdout)
    assert sum(point["n"] for point in readings["points"]) == 1      # the ACL test's reading
    machine.poweroff()
    machine.boot()
    for unit in UNITS:
        machine.wait_for(lambda: station.active(unit), f"{unit} running again after the reboot", timeout=120)
    assert BOOK[1] in station.kiosk("admin book list").stdout
    readings = json.loads(station.kiosk("admin readings bed-2 --json").stdout)
    assert sum(point["n"] for point in readings["points"]) == 1
    assert machine.run("ls /var/lib/kiosk/backup/*/booth.sqlite", check=False).returncode == 0
