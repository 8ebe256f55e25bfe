"""`kiosk demo` as a newcomer runs it, and `kiosk doctor` as a maintainer reads it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import termios
import time
import tomllib
from pathlib import Path

import pytest

from kiosk import config as config_mod
from kiosk.bus import Bus
from kiosk.demo_seed import CHILD_CARDS, book_tag


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


def test_demo_dries_the_bed_lends_a_book_and_leaves_nothing_behind(tmp_path, watch):
    data = tmp_path / "demo"
    demo = subprocess.Popen([sys.executable, "-m", "kiosk", "demo", "--no-ui", "--minutes", "0.2",
                             "--duration", "35", "--data", str(data)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (data / "station.toml").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        config = config_mod.load(data / "station.toml")
        events = watch(config, "batenbrock/batenbrock-demo/#")
        events.wait_for("batenbrock/batenbrock-demo/booth/status", lambda p: p == "online", timeout=30)
        tapper = Bus(config, "test-viewer", announce=False).start()
        assert tapper.wait_connected(10)
        simulate = tapper.topics.booth_simulate()
        for uid in (CHILD_CARDS["a"], book_tag(1)):               # the card, then "Das Sams"
            tapper.publish(simulate, {"uid": uid, "present": True}).wait_for_publish(5)
            time.sleep(0.6)
            tapper.publish(simulate, {"uid": uid, "present": False}).wait_for_publish(5)
            time.sleep(0.3)
        loan = events.wait_for("batenbrock/batenbrock-demo/booth/events", lambda p: p["type"] == "checkout")
        assert loan["card"] == "Lesefuchs 1" and loan["book"]["title"] == "Das Sams"
        alert = events.wait_for("batenbrock/batenbrock-demo/garden/bed-1/alert", lambda p: p["active"], timeout=40)
        assert alert["kind"] == "dry"
        tapper.stop()
        out, err = demo.communicate(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
    assert demo.returncode == 0, err[-2000:]
    assert "Demo stopped." in out
    assert "04a1b2c3" not in out + err                          # no card UID in what the viewer sees
    assert processes_mentioning(str(data)) == []          # no orphaned service or broker


def take_the_terminal() -> None:
    # In the child, after setsid: the pseudo-terminal on stdin becomes its controlling terminal,
    # as a shell's terminal is for a command typed into it.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def read_until(fd: int, text: str, timeout: float) -> str:
    seen, deadline = b"", time.monotonic() + timeout
    while text.encode() not in seen:
        assert time.monotonic() < deadline, f"no {text!r} within {timeout} s; the demo wrote: {seen[-2000:]!r}"
        if select.select([fd], [], [], 0.5)[0]:
            seen += os.read(fd, 65536)
    return seen.decode(errors="replace")


@pytest.mark.parametrize("how", ["terminal closed", "SIGTERM"])
def test_demo_stops_as_cleanly_as_ctrl_c_when_its_terminal_closes_or_it_is_terminated(tmp_path, watch, how):
    data = tmp_path / "demo"
    terminal, its_side = pty.openpty()
    demo = subprocess.Popen([sys.executable, "-m", "kiosk", "demo", "--no-ui", "--data", str(data)],
                            stdin=its_side, stdout=its_side, stderr=its_side, start_new_session=True,
                            preexec_fn=take_the_terminal)
    os.close(its_side)
    try:
        read_until(terminal, "Stop with Ctrl-C.", timeout=60)
        config = config_mod.load(data / "station.toml")
        events = watch(config, "batenbrock/batenbrock-demo/+/status")
        for service in ("garden", "bridge", "booth", "console"):
            events.wait_for(f"batenbrock/batenbrock-demo/{service}/status", lambda p: p == "online", timeout=30)
        events.close()
        assert any("mosquitto" in c for c in processes_mentioning(str(data)))
        if how == "terminal closed":
            os.close(terminal)            # the window is closed: the kernel hangs up (SIGHUP)
            terminal = None
        else:
            demo.send_signal(signal.SIGTERM)
        demo.wait(60)
    finally:
        if terminal is not None:
            os.close(terminal)
        leftovers = stop_what_mentions(str(data))
    assert leftovers == [], "left running: " + "; ".join(leftovers)       # the broker above all
    # Each service was stopped the clean way (not killed) and closed its database: no WAL
    # is left over, and the broker saved its state.
    for service in ("garden", "bridge", "booth", "console"):
        assert "stopping on SIGTERM" in (data / f"{service}.log").read_text(), service
    databases = sorted(data.glob("*.sqlite"))
    # The console keeps its staff accounts and moderates ideas (ideas.sqlite, the kiosk's when it runs).
    assert [p.name for p in databases] == ["booth.sqlite", "bridge.sqlite", "garden.sqlite", "ideas.sqlite",
                                           "staff.sqlite"]
    assert sorted(data.glob("*.sqlite-wal")) == []
    for path in databases:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()
    assert (data / "broker" / "mosquitto.db").exists()


def stop_what_mentions(text: str) -> list[str]:
    """Kill (by pid) every process whose command line mentions `text`; what they were."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline:
            found.append(cmdline.strip())
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass
    return found


def test_demo_shows_the_home_screen_of_the_kiosk(tmp_path):
    data, snapshot = tmp_path / "demo", tmp_path / "first-screen.png"
    env = {**os.environ, "KIOSK_UI_SNAPSHOT": str(snapshot)}
    result = subprocess.run([sys.executable, "-m", "kiosk", "demo", "--duration", "20", "--data", str(data)],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ui" in result.stdout.split("Services:")[1].splitlines()[0]
    png = snapshot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (800, 480)                 # the demo window is the 7" display's size
    assert len(png) > 20_000                              # a drawn screen, not a blank one
    assert processes_mentioning(str(data)) == []


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


def test_doctor_says_when_the_broker_refuses_the_services_account(tmp_path):
    from kiosk.bus.broker import LocalBroker

    passwords = tmp_path / "passwd"
    subprocess.run(["mosquitto_passwd", "-c", "-b", str(passwords), "garden", "right"], check=True, timeout=30)
    broker = LocalBroker(tmp_path / "broker", extra_config=f"allow_anonymous false\npassword_file {passwords}\n")
    # LocalBroker allows anonymous logins by default; the later line wins in mosquitto.
    with broker:
        config = tmp_path / "station.toml"
        config.write_text(f'[station]\ndata_dir = "{tmp_path}"\n[mqtt]\nport = {broker.port}\nhost = "127.0.0.1"\n'
                          f'[booth]\nreader = "emulated"\n')
        env = {**os.environ, "KIOSK_MQTT_USERNAME": "garden", "KIOSK_MQTT_PASSWORD": "wrong"}
        bad = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "doctor"],
                             capture_output=True, text=True, timeout=60, env=env)
        assert "PROBLEM  the broker refuses the account 'garden'" in bad.stdout
        env["KIOSK_MQTT_PASSWORD"] = "right"
        good = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "doctor"],
                              capture_output=True, text=True, timeout=60, env=env)
        assert "ok       the broker accepts the account 'garden'" in good.stdout


# --- a plain `pip install .`: everything but the "pi" extra, so no mfrc522 -----------------

NOT_INSTALLED = """
import sys


class NotInstalled:
    \"\"\"Python's import system as it is where `pip install .` left mfrc522 out.\"\"\"

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "mfrc522":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, NotInstalled())
"""


def without_mfrc522(tmp_path) -> dict:
    """The environment for a subprocess in which `import mfrc522` fails as if never installed."""
    shim = tmp_path / "no-mfrc522"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(NOT_INSTALLED)
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(shim), os.environ.get("PYTHONPATH")]))}


def test_without_mfrc522_the_emulated_reader_says_in_one_line_what_to_install(tmp_path):
    env = without_mfrc522(tmp_path)
    assert subprocess.run([sys.executable, "-c", "import mfrc522"], env=env, capture_output=True).returncode == 1
    config = tmp_path / "station.toml"
    config.write_text(f'[station]\ndata_dir = "{tmp_path / "data"}"\n[booth]\nreader = "emulated"\n')
    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    (pinned,) = [r for r in pyproject["project"]["optional-dependencies"]["pi"] if r.startswith("mfrc522")]
    install = f'{sys.executable} -m pip install --no-deps "{pinned}"'
    for command in (["--config", str(config), "booth"], ["demo", "--no-ui", "--data", str(tmp_path / "demo")]):
        result = subprocess.run([sys.executable, "-m", "kiosk", *command], capture_output=True, text=True,
                                timeout=60, env=env)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        last = result.stderr.splitlines()[-1]
        assert last.startswith("kiosk: the emulated reader runs the mfrc522 library, which cannot be imported")
        assert install in last
    assert not (tmp_path / "demo" / "broker").exists()          # the demo said so before starting anything
    assert processes_mentioning(str(tmp_path / "demo")) == []
    doctor = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "doctor"],
                            capture_output=True, text=True, timeout=60, env=env)
    assert "PROBLEM  RFID reader: the emulated reader runs the mfrc522 library" in doctor.stdout
    assert install in doctor.stdout
