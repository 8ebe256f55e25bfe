"""Nothing the bridge accepted is lost when the broker is killed (`kill -9`), not only stopped.

Separate processes as on the Pi: lines go into a real pseudo-terminal, `kiosk
bridge` and `kiosk garden` run as `python -m kiosk`, Mosquitto runs with the
persistence settings of the shipped config/mosquitto/kiosk.conf. A killed broker
loses what it held in memory since its last autosave: the messages queued for
garden and garden's whole session. Each test counts what reached garden.sqlite.
"""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest

from kiosk.bus.broker import LocalBroker
from kiosk.garden.line_protocol import encode_line

from .serial_cable import SerialCable
from .staff_inbox import wait_until
from .test_end_to_end import start_service, stop

REPO = Path(__file__).resolve().parents[2]
PERSISTENCE_KEYS = ("persistence", "autosave_interval", "autosave_on_changes", "max_queued_messages")
WET, DRY = 28000, 47000   # ≈ 77 % and ≈ 16 % with the test calibration
STATUS = "batenbrock/test-1/{}/status"
READING = "batenbrock/test-1/garden/bed-1/reading"
EVENT = "batenbrock/test-1/garden/bed-1/event"


def shipped_persistence() -> str:
    """The broker's persistence lines exactly as the station ships them."""
    lines = (REPO / "config/mosquitto/kiosk.conf").read_text().splitlines()
    return "\n".join(line for line in lines if line.split(" ")[0] in PERSISTENCE_KEYS)


@pytest.fixture
def station_broker(tmp_path):
    broker = LocalBroker(tmp_path / "broker", config="listener @PORT@ 127.0.0.1\nallow_anonymous true\n"
                         + shipped_persistence())
    broker.start()
    yield broker
    broker.stop()


def kill_and_restart(broker: LocalBroker) -> None:
    broker.process.send_signal(signal.SIGKILL)
    broker.process.wait()
    broker.process = None
    broker.start()


def reading(seq: int, raw: int = WET) -> bytes:
    return encode_line({"v": 1, "node": "bed-1", "seq": seq, "raw": raw})


def readings(first: int, last: int, raw=lambda seq: WET) -> bytes:
    return b"".join(reading(seq, raw(seq)) for seq in range(first, last + 1))


def stored(config, name: str, sql: str) -> list:
    path = Path(config.data_dir) / name
    if not path.exists():
        return []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.OperationalError:      # not migrated yet
        return []
    finally:
        conn.close()


def stored_seqs(config) -> list[int]:
    return [row[0] for row in stored(config, "garden.sqlite", "SELECT seq FROM readings ORDER BY seq")]


def all_stored(config, count: int, timeout: float = 60) -> None:
    try:
        wait_until(lambda: len(stored_seqs(config)) >= count, timeout=timeout)
    except AssertionError:
        pytest.fail(f"garden.sqlite holds {len(stored_seqs(config))} of the {count} readings the bridge "
                    f"accepted after {timeout:.0f} s")


def waiting_in_bridge(config) -> int:
    rows = stored(config, "bridge.sqlite", "SELECT count(*) FROM outbox")
    return rows[0][0] if rows else -1


def bridge_is_reading(cable: SerialCable, watcher) -> None:
    """pyserial flushes what came before it opened the port: send boot events until one arrives."""
    def boot_arrived() -> bool:
        cable.write(encode_line({"v": 1, "node": "bed-1", "event": "boot", "fw": "1.0.0"}))
        try:
            watcher.wait_for(EVENT, timeout=0.3)
            return True
        except AssertionError:
            return False
    wait_until(boot_arrived, timeout=20, what="the bridge reading its port")


@pytest.fixture
def services(tmp_path):
    running = []

    def start(config, name):
        process = start_service(config, name, tmp_path)
        running.append(process)
        return process
    yield start
    for process in running:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)
            stop(process)


def test_broker_killed_with_garden_offline_loses_nothing(station_broker, make_config, watch, cable, services):
    config = make_config(station_broker.port, serial_port=str(cable.link))
    watcher = watch(config, "batenbrock/test-1/#")
    # Garden has run before: the broker keeps a session for it and queues its readings.
    garden = services(config, "garden")
    watcher.wait_for(STATUS.format("garden"), lambda p: p == "online")
    stop(garden)
    services(config, "bridge")
    bridge_is_reading(cable, watcher)

    cable.write(readings(1, 300))
    watcher.wait_for(READING, lambda p: p["seq"] == 300)     # the broker has taken every one
    kill_and_restart(station_broker)
    services(config, "garden")

    all_stored(config, 300)
    wait_until(lambda: waiting_in_bridge(config) == 0, timeout=20, what="the bridge's outbox emptied")
    assert stored_seqs(config) == list(range(1, 301))        # every reading, each exactly once


def test_broker_killed_mid_stream_with_garden_online_loses_nothing(station_broker, make_config, watch, cable,
                                                                   services):
    config = make_config(station_broker.port, serial_port=str(cable.link))
    watcher = watch(config, "batenbrock/test-1/#")
    garden = services(config, "garden")
    watcher.wait_for(STATUS.format("garden"), lambda p: p == "online")
    services(config, "bridge")
    bridge_is_reading(cable, watcher)
    dry_in_the_middle = lambda seq: DRY if 101 <= seq <= 250 else WET   # noqa: E731

    cable.write(readings(1, 100, dry_in_the_middle))
    wait_until(lambda: len(stored_seqs(config)) == 100, what="the first 100 readings stored")
    # Garden busy for a moment: the broker queues for it in memory — and is killed then.
    garden.send_signal(signal.SIGSTOP)
    cable.write(readings(101, 200, dry_in_the_middle))
    watcher.wait_for(READING, lambda p: p["seq"] == 200)
    kill_and_restart(station_broker)
    garden.send_signal(signal.SIGCONT)
    cable.write(readings(201, 300, dry_in_the_middle))
    cable.write(readings(301, 400, dry_in_the_middle))

    all_stored(config, 400)
    wait_until(lambda: waiting_in_bridge(config) == 0, timeout=20, what="the bridge's outbox emptied")
    assert stored_seqs(config) == list(range(1, 401))
    # Copies sent again after the crash changed no alert: one dry spell, one notice each way.
    notices = stored(config, "garden.sqlite", "SELECT kind, event FROM notices ORDER BY id")
    assert notices == [("dry", "raised"), ("dry", "cleared")]
