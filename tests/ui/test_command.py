"""`kiosk ui` as a process: what it says when it cannot open a window, and how it stops."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import pytest

from tests.ui.conftest import ROOT, write_config


def run_ui(config, env_changes: dict, *args, timeout=60):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER",
                                                             "KIVY_WINDOW")}
    env.update(env_changes)
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", config.source, "ui", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)


@pytest.mark.parametrize("env_changes, cause", [
    ({"KIVY_WINDOW": "sdl2", "SDL_VIDEODRIVER": "kmsdrm"}, "kmsdrm not available"),   # the systemd unit's
    ({"SDL_VIDEODRIVER": "kmsdrm"}, "kmsdrm not available"),                           # by hand, without it
    ({}, "not available"),                                                             # no display at all
], ids=["unit", "kmsdrm", "nothing-set"])
def test_without_a_display_one_clear_line_and_exit_3(tmp_path, env_changes, cause):
    config = write_config(tmp_path)
    result = run_ui(config, env_changes)
    # 3, not 2: a display switched on later is no configuration error; systemd tries again.
    assert result.returncode == 3, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("kiosk: display: no window can be opened") and cause in last, last
    assert "DISPLAY" in last and "docs/ui.md" in last
    assert [line for line in result.stderr.splitlines() if cause in line] == [last]   # said once, in that line


def test_sigterm_stops_the_kiosk_cleanly(tmp_path):
    """`systemctl stop` sends SIGTERM: the kiosk stops (and writes what it holds) instead of ignoring it
    until systemd kills it."""
    config = write_config(tmp_path)
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    notify.settimeout(60)
    env = {**os.environ, "NOTIFY_SOCKET": str(tmp_path / "notify")}
    process = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", config.source, "ui", "--size", "800x480"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while notify.recv(64) != b"READY=1":      # as systemd waits for Type=notify
            pass
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        notify.close()
    assert process.returncode == 0, err[-2000:]
    assert "stopping on SIGTERM" in err and "Traceback" not in err
