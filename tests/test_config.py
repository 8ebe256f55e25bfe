"""station.toml: every mistake stops start-up with one message naming the key, exit code 2."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config
from kiosk.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
SENSOR = '[[garden.sensors]]\nnode = "bed-1"\n'


def test_the_shipped_station_toml_is_valid_and_matches_design():
    loaded = config.load(ROOT / "config" / "station.toml")
    assert loaded.station.id == "batenbrock-1"
    assert loaded.mqtt.topic_prefix == "batenbrock"
    assert loaded.garden.sensors[0].node == "bed-1"
    assert (loaded.garden.sensors[0].dry_below, loaded.garden.sensors[0].ok_above) == (30, 38)


@pytest.mark.parametrize("text, key, words", [
    ('[mqtt]\nprot = 1883\n', "mqtt.prot", "unknown key"),
    ('[mqtt]\nport = "1883"\n', "mqtt.port", "whole number"),
    ('[mqtt]\nport = 70000\n', "mqtt.port", "between 1 and 65535"),
    ('[station]\nid = "Batenbrock 1"\n', "station.id", "a-z, 0-9"),
    ('[station]\ntimezone = "Europe/Bottrop"\n', "station.timezone", "time zone"),
    ('[station]\nlanguages = ["de", "fr"]\n', "station.languages", "unknown language 'fr'"),
    ('[booth]\nreader = "rc522"\n', "booth.reader", "one of"),
    ('[[garden.sensors]]\nname = "Beet"\n', "garden.sensors[0].node", "missing"),
    (SENSOR + 'raw_dry = 30000\nraw_wet = 30000\n', "garden.sensors[0].raw_dry", "equals raw_wet"),
    (SENSOR + 'dry_below = 40\nok_above = 35\n', "garden.sensors[0].ok_above", "below dry_below"),
    (SENSOR + 'confirm_readings = 0\n', "garden.sensors[0].confirm_readings", "between 1 and 100"),
    (SENSOR + SENSOR, "garden.sensors[1].node", "appears twice"),
    ('[garden.notify.email]\nsecurity = "ssl"\n', "garden.notify.email.security", "one of"),
    ('[ui]\nopening_hours = "Mo-Fr 9"\n', "ui.opening_hours", "write it like"),
    ('[ui]\nopening_hours = 9\n', "ui.opening_hours", "must be text"),
    ('[desk]\ndnb_url = "ftp://services.dnb.de/sru"\n', "desk.dnb_url", "http(s) address"),
    ('[desk]\nopenlibrary_url = "https://openlibrary.org/api/books?x=1"\n', "desk.openlibrary_url", "without '?'"),
    ('[desk]\ncovers_url = "https://covers.openlibrary.org/b/isbn/cover.jpg"\n', "desk.covers_url", "{isbn}"),
    ('[desk]\nlookup_timeout_s = 0\n', "desk.lookup_timeout_s", "between 0.5 and 30"),
    ('mqtt = 5\n', "mqtt", "must be a table"),
    ('[mqtt\nport = 1\n', "", "not valid TOML"),
])
def test_mistakes_name_the_key_and_what_is_wrong(text, key, words):
    with pytest.raises(ConfigError) as caught:
        config.loads(text)
    assert caught.value.key == key
    assert words in str(caught.value)


def test_relative_data_dir_is_relative_to_the_config_file(tmp_path):
    path = tmp_path / "station.toml"
    path.write_text('[station]\ndata_dir = "data"\n')
    assert config.load(path).data_dir == tmp_path / "data"


def test_config_path_comes_from_flag_then_environment_then_default(monkeypatch):
    monkeypatch.setenv("KIOSK_CONFIG", "/etc/kiosk/station.toml")
    assert str(config.resolve_path("x.toml")) == "x.toml"
    assert str(config.resolve_path(None)) == "/etc/kiosk/station.toml"
    monkeypatch.delenv("KIOSK_CONFIG")
    assert config.resolve_path(None) == Path("config/station.toml")


def test_bad_config_on_the_command_line_is_one_line_and_exit_code_2(tmp_path):
    path = tmp_path / "station.toml"
    path.write_text(SENSOR + 'dry_below = 40\nok_above = 35\n')
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(path), "garden"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "garden.sensors[0].ok_above" in result.stderr and "dry_below" in result.stderr


def test_every_setting_has_help_and_is_explained_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    keys = config.documented_keys()
    missing_help = [k for k, text in keys.items() if not text]
    assert missing_help == []
    leaves = {k for k in keys if not any(other.startswith(k + ".") for other in keys)}
    explained = readme_settings(readme)
    assert sorted(leaves - explained) == []          # settings the README does not explain
    assert sorted(explained - leaves) == []          # README rows for settings that do not exist


def readme_settings(readme: str) -> set[str]:
    """Whole keys (section.key) of the README's configuration tables: a `**`[section]`**` or
    `**`[[section]]`**` heading, then one `| `key` | default | meaning |` row per setting."""
    part = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    found, section = set(), None
    for line in part.splitlines():
        heading = re.fullmatch(r"\*\*`\[\[?([\w.]+)\]\]?`\*\*", line.strip())
        row = re.match(r"\| `(\w+)` \|", line)
        if heading:
            section = heading.group(1)
        elif row and section:
            found.add(f"{section}.{row.group(1)}")
    return found


def test_a_service_account_from_its_credentials_file_overrides_mqtt_login(tmp_path, monkeypatch):
    path = tmp_path / "station.toml"
    path.write_text('[mqtt]\nusername = "shared"\n')
    monkeypatch.setenv("KIOSK_MQTT_USERNAME", "garden")
    monkeypatch.setenv("KIOSK_MQTT_PASSWORD", "s3cret")
    loaded = config.load(path)
    assert (loaded.mqtt.username, loaded.mqtt.password) == ("garden", "s3cret")
