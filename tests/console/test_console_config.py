"""[console] in station.toml: a bad value stops `kiosk console` with one line naming the key, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config
from kiosk.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("section, key", [
    ('listen = "0.0.0.0"', "console.listen"),
    ('listen = "0.0.0.0:99999"', "console.listen"),
    ('allow = ["192.168.0.0/33"]', "console.allow"),
    ('allow = []', "console.allow"),
    ('listen = "0.0.0.0:8443"\ntls_cert = ""\ntls_key = ""', "console.listen"),     # passwords in the clear
    ('tls_cert = ""', "console.tls_cert"),
])
def test_a_bad_console_setting_names_its_key(section, key):
    with pytest.raises(ConfigError) as caught:
        config.loads(f"[console]\n{section}\n")
    assert caught.value.key == key


def test_plain_http_on_loopback_is_allowed():
    loaded = config.loads('[console]\nlisten = "127.0.0.1:8080"\ntls_cert = ""\ntls_key = ""\n')
    assert not loaded.console.tls


def test_kiosk_console_with_an_unreadable_certificate_says_which_key(tmp_path):
    path = tmp_path / "station.toml"
    path.write_text(f'[station]\ndata_dir = "{tmp_path}"\n[mqtt]\nport = 1\n'
                    f'[console]\nlisten = "127.0.0.1:1"\ntls_cert = "{tmp_path}/none.crt"\ntls_key = "{tmp_path}/none.key"\n')
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(path), "console"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "console.tls_cert" in result.stderr.splitlines()[-1]
