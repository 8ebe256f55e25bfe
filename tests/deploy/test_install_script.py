"""scripts/install-pi.sh: shellcheck-clean, a dry run that changes nothing, and idempotent real runs."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import require_tool
from tests.deploy.conftest import INSTALL, ROOT, credentials, install

SERVICES = ("garden", "bridge", "booth", "ui", "console")


def tree(root: Path) -> dict[str, tuple]:
    """Every path below root with its mode, owner, mtime and content hash."""
    found = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        found[str(path.relative_to(root))] = (stat.st_mode, stat.st_uid, stat.st_gid, stat.st_mtime_ns, digest)
    return found


def test_install_script_passes_shellcheck():
    require_tool("shellcheck", "apt-get install shellcheck")
    result = subprocess.run(["shellcheck", "--severity=style", str(INSTALL)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_dry_run_prints_every_step_and_changes_nothing(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    result = install(root, "--dry-run")
    out = result.stdout
    assert "dry run: nothing is changed" in out
    for unit in [f"kiosk-{s}.service" for s in SERVICES] + ["kiosk-backup.service", "kiosk-backup.timer"]:
        assert f"would write /etc/systemd/system/{unit}" in out
    assert "would create /var/lib/kiosk (kiosk:kiosk, 0750)" in out
    assert "would write /etc/kiosk/station.toml" in out
    assert "would write /etc/mosquitto/conf.d/kiosk.conf" in out
    assert "would write /etc/mosquitto/kiosk/kiosk.acl" in out
    for account in SERVICES + ("homeassistant", "admin"):
        assert f"would create broker account {account}" in out
    assert list(root.iterdir()) == []


def test_real_run_installs_everything_and_a_second_run_changes_nothing(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    first = install(root, "--node", "bed-2")
    assert "change(s)" in first.stdout
    for service in SERVICES:
        assert (root / f"etc/systemd/system/kiosk-{service}.service").read_bytes() == \
            (ROOT / f"systemd/kiosk-{service}.service").read_bytes()
    assert (root / "etc/systemd/system/kiosk-backup.timer").exists()
    assert (root / "etc/kiosk/station.toml").read_bytes() == (ROOT / "config/station.toml").read_bytes()
    assert (root / "var/lib/kiosk").stat().st_mode & 0o777 == 0o750
    assert (root / "etc/kiosk/credentials/garden.env").stat().st_mode & 0o777 == 0o640
    assert (root / "etc/mosquitto/kiosk/passwd").stat().st_mode & 0o777 == 0o600
    passwords = {a: credentials(root, a) for a in SERVICES + ("homeassistant", "admin", "node-bed-2")}
    assert len({p for _, p in passwords.values()}) == len(passwords) and all(len(p) >= 24 for _, p in passwords.values())
    accounts = [line.split(":")[0] for line in (root / "etc/mosquitto/kiosk/passwd").read_text().splitlines()]
    assert sorted(accounts) == sorted(passwords)
    acl = (root / "etc/mosquitto/kiosk/kiosk.acl").read_text()
    assert "@BASE@" not in acl and "topic write batenbrock/batenbrock-1/+/cmd/#" in acl
    assert "@STATION@" not in acl and "homeassistant/sensor/batenbrock-1/station_disk_free/config" in acl
    # The staff console's certificate, made for this machine's name, its key readable only by kiosk.
    cert, key = root / "etc/kiosk/tls/console.crt", root / "etc/kiosk/tls/console.key"
    assert key.stat().st_mode & 0o777 == 0o640 and (root / "etc/kiosk/tls").stat().st_mode & 0o777 == 0o750
    shown = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-text"], capture_output=True, text=True)
    assert "DNS:test-pi, DNS:test-pi.local" in shown.stdout
    assert "user node-bed-2\ntopic write batenbrock/batenbrock-1/garden/bed-2/reading\n" in acl

    before = tree(root)
    second = install(root, "--node", "bed-2")
    assert "everything was already in place" in second.stdout
    assert tree(root) == before
    dry = install(root, "--dry-run")
    assert "0 change(s) to make" in dry.stdout
    assert tree(root) == before


def test_a_second_run_after_pip_built_the_installed_copy_changes_nothing(tmp_path):
    """pip builds the station in /opt/kiosk/src itself and leaves build/ and *.egg-info there;
    that is no change of the software, so nothing may be copied or restarted again."""
    root = tmp_path / "root"
    root.mkdir()
    install(root)
    # The very build the venv step's `pip install /opt/kiosk/src` runs (without installing).
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "wheel"),
                            str(root / "opt/kiosk/src")], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-2000:]
    assert (root / "opt/kiosk/src/build").is_dir()
    # What gets installed speaks every language: the compiled catalogs travel with the code.
    [wheel] = (tmp_path / "wheel").glob("*.whl")
    installed = set(zipfile.ZipFile(wheel).namelist())
    assert {f"kiosk/ui/locale/{lang}/LC_MESSAGES/kiosk.mo" for lang in ("de", "en", "tr", "ar", "uk")} <= installed
    second = install(root)
    assert "    unchanged" in second.stdout.split("station software")[1].splitlines()[1]
    assert "everything was already in place" in second.stdout


def test_an_upgrade_keeps_edited_config_and_data_and_follows_the_station_id(tmp_path):
    root = tmp_path / "root"
    (root / "etc/kiosk").mkdir(parents=True)
    edited = (ROOT / "config/station.toml").read_text().replace('id = "batenbrock-1"', 'id = "eigen-heim"')
    (root / "etc/kiosk/station.toml").write_text(edited)
    (root / "var/lib/kiosk").mkdir(parents=True)
    (root / "var/lib/kiosk/garden.sqlite").write_bytes(b"data")
    install(root)
    garden = credentials(root, "garden")
    assert "topic write batenbrock/eigen-heim/garden/+/alert" in (root / "etc/mosquitto/kiosk/kiosk.acl").read_text()
    # An upgrade: newer unit files, say; the config, the data and every password stay.
    (root / "etc/systemd/system/kiosk-garden.service").write_text("old\n")
    result = install(root)
    assert "write /etc/systemd/system/kiosk-garden.service" in result.stdout
    assert (root / "etc/kiosk/station.toml").read_text() == edited
    assert (root / "var/lib/kiosk/garden.sqlite").read_bytes() == b"data"
    assert credentials(root, "garden") == garden


def test_the_offers_move_where_the_console_may_write_them_and_hand_edits_keep_their_path(tmp_path):
    root = tmp_path / "root"
    (root / "etc/kiosk").mkdir(parents=True)
    (root / "etc/kiosk/station.toml").write_text((ROOT / "config/station.toml").read_text())
    hand_kept = (ROOT / "config/offers.toml").read_text() + "\n# unsere eigenen Angebote\n"
    (root / "etc/kiosk/offers.toml").write_text(hand_kept)           # an install from before the console
    install(root)
    link = root / "etc/kiosk/offers.toml"
    assert link.is_symlink() and str(link.readlink()) == "/var/lib/kiosk/offers.toml"
    assert (root / "var/lib/kiosk/offers.toml").read_text() == hand_kept
    assert "everything was already in place" in install(root).stdout


def test_a_booth_on_a_second_pi_gets_only_its_unit_and_a_credentials_file_to_fill_in(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    result = install(root, "--services", "booth", "--no-broker")
    assert "fill in KIOSK_MQTT_PASSWORD in /etc/kiosk/credentials/booth.env" in result.stdout
    units = sorted(p.name for p in (root / "etc/systemd/system").iterdir())
    assert units == ["kiosk-backup.service", "kiosk-backup.timer", "kiosk-booth.service"]
    assert not (root / "etc/mosquitto").exists()
    env = root / "etc/kiosk/credentials/booth.env"
    env.write_text(env.read_text().replace("KIOSK_MQTT_PASSWORD=", "KIOSK_MQTT_PASSWORD=from-the-station"))
    install(root, "--services", "booth", "--no-broker")
    assert credentials(root, "booth") == ("booth", "from-the-station")


def test_bad_options_end_with_a_clear_message(tmp_path):
    result = install(tmp_path, "--services", "garden kitchen", check=False)
    assert result.returncode == 2
    assert "unknown service 'kitchen'" in result.stderr
    result = install(tmp_path, "--node", "Bed 2", check=False)
    assert result.returncode == 2 and "node id 'Bed 2'" in result.stderr
