"""Shared bits of the herb-bed benchmarks: broker, station.toml, publishers, pty writer, reporting.

Every benchmark measures the station and a bare baseline in the same run and
prints the ratio; absolute numbers on a noisy machine mean little. Run a
benchmark as `.venv/bin/python bench/bench_X.py [--quick]`; it always exits 0
and prints MET or MISSED against its goal.

This module is also the entry point of the helper processes the benchmarks
start (`python bench/common.py publish|ptywrite|count ...`), so that load and
counting do not share the measured process's GIL.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
PYTHON = sys.executable
PREFIX = "batenbrock"
STATION = "bench-1"
RAW_OK = 36500            # ~50 % with the default calibration: no alert churn during a benchmark

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


# --- station.toml ---------------------------------------------------------------------

def node_ids(count: int) -> list[str]:
    return [f"bed-{i + 1}" for i in range(count)]


def write_config(folder: Path, port: int, nodes: list[str], *, serial_port: str = "/dev/null",
                 station: str = STATION, queue_max: int = 1_000_000, extra: str = ""):
    """Write folder/station.toml (data in folder/data), `extra` TOML at its end; return (path, loaded Config)."""
    from kiosk import config as config_mod

    folder.mkdir(parents=True, exist_ok=True)
    sensors = "".join(
        f'\n[[garden.sensors]]\nnode = "{n}"\nname = "Beet {n}"\nraw_dry = 52000\nraw_wet = 21000\n'
        f"dry_below = 30\nok_above = 38\nconfirm_readings = 3\nstale_after_s = 86400\n" for n in nodes)
    text = (f'[station]\nid = "{station}"\ndata_dir = "{folder / "data"}"\n\n'
            f'[mqtt]\nhost = "127.0.0.1"\nport = {port}\ntopic_prefix = "{PREFIX}"\n\n'
            f'[bridge]\nport = "{serial_port}"\nqueue_max = {queue_max}\n'
            f"{sensors}\n[garden.notify]\nreminder_every_s = 0\n{extra}")
    path = folder / "station.toml"
    path.write_text(text, encoding="utf-8")
    return path, config_mod.load(path)


@contextmanager
def scratch(name: str, keep: bool = False):
    """A temporary folder on the same disk as /tmp (real fsyncs, like an SD card, only faster)."""
    folder = Path(tempfile.mkdtemp(prefix=f"kiosk-bench-{name}-"))
    try:
        yield folder
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def seeded(name: str, script: str, *extra: str):
    """(folder, station.toml) in a scratch folder, its data seeded by `python SCRIPT --seed PATH EXTRA…`.

    Seeded in a process of its own: a child's peak RSS starts at its parent's (exec keeps
    ru_maxrss), so the measuring process must stay small for `measure` to be read right."""
    with scratch(name) as folder:
        path, _ = write_config(folder, 1, ["bed-1"])
        subprocess.run([PYTHON, script, "--seed", str(path), *extra], check=True, cwd=REPO)
        yield folder, path


@contextmanager
def broker(folder: Path):
    """A private Mosquitto (kiosk.bus.broker.LocalBroker) on a free port."""
    from kiosk.bus.broker import LocalBroker

    with LocalBroker(folder / "broker") as running:
        yield running


# --- payloads -------------------------------------------------------------------------

def reading_payloads(nodes: list[str], count: int) -> list[tuple[str, bytes]]:
    """`count` (topic, payload) pairs, round-robin over nodes, with unique seq and ts."""
    from kiosk.clock import iso_from_epoch

    base = time.time() - count
    out = []
    for i in range(count):
        node = nodes[i % len(nodes)]
        payload = {"ts": iso_from_epoch(base + i * 0.001), "node": node, "seq": i // len(nodes),
                   "raw": RAW_OK + (i % 7) * 10, "t": 12.5}
        out.append((f"{PREFIX}/{STATION}/garden/{node}/reading",
                    json.dumps(payload, separators=(",", ":")).encode()))
    return out


def protocol_lines(nodes: list[str], count: int, start_seq: int = 0) -> bytes:
    """`count` valid serial protocol lines (kiosk.garden.line_protocol.encode_line), round-robin."""
    from kiosk.garden.line_protocol import encode_line

    return b"".join(encode_line({"v": 1, "node": nodes[i % len(nodes)], "seq": start_seq + i // len(nodes),
                                 "raw": RAW_OK + (i % 7) * 10, "t": 12.5}) for i in range(count))


# --- helper processes ------------------------------------------------------------------

class Helper:
    """A helper process that prints 'ready', waits for 'go' on stdin and prints one JSON result."""

    def __init__(self, args: list[str], pass_fds: tuple[int, ...] = ()):
        self.proc = subprocess.Popen([PYTHON, str(BENCH_DIR / "common.py"), *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, pass_fds=pass_fds)
        line = self.proc.stdout.readline().strip()
        if line != "ready":
            self.proc.kill()
            raise RuntimeError(f"helper {args[0]} did not start: {line!r}")

    def go(self) -> float:
        """Release the helper; returns time.monotonic() at the release (same clock in every process)."""
        t = time.monotonic()
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        return t

    def result(self, timeout: float = 300) -> dict:
        out, _ = self.proc.communicate(timeout=timeout)
        return json.loads(out.strip().splitlines()[-1])

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def _wait_go() -> None:
    print("ready", flush=True)
    sys.stdin.readline()


def _publish_main(port: int, nodes: int, count: int) -> None:
    """Publish `count` readings QoS 1 as fast as paho allows; report when the last PUBACK came."""
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    messages = reading_payloads(node_ids(nodes), count)
    acked = threading.Event()
    state = {"n": 0}

    def on_publish(client, userdata, mid, reason_code, properties):
        state["n"] += 1
        if state["n"] >= count:
            acked.set()

    connected = threading.Event()
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{os.getpid()}")
    client.on_connect = lambda *a: connected.set()
    client.on_publish = on_publish
    client.max_inflight_messages_set(100)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    connected.wait(10)
    _wait_go()
    t0 = time.monotonic()
    for topic, payload in messages:
        client.publish(topic, payload, qos=1)
    acked.wait(300)
    t1 = time.monotonic()
    client.disconnect()
    client.loop_stop()
    print(json.dumps({"start": t0, "acked": t1, "count": state["n"]}), flush=True)


def _ptywrite_main(fd: int, nodes: int, count: int, start_seq: int) -> None:
    """Write `count` protocol lines into the pty master `fd` as fast as the pty takes them."""
    data = memoryview(protocol_lines(node_ids(nodes), count, start_seq))
    _wait_go()
    t0 = time.monotonic()
    while data:
        written = os.write(fd, data[:65536])
        data = data[written:]
    t1 = time.monotonic()
    print(json.dumps({"start": t0, "written": t1, "count": count}), flush=True)


def _count_main(port: int, topic_filter: str, count: int) -> None:
    """A bare paho subscriber (QoS 1) that reports when it has seen `count` messages."""
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    done = threading.Event()
    state = {"n": 0, "first": None, "last": None}

    def on_message(client, userdata, msg):
        state["n"] += 1
        if state["first"] is None:
            state["first"] = time.monotonic()
        if state["n"] >= count:
            state["last"] = time.monotonic()
            done.set()

    subscribed = threading.Event()
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-count-{os.getpid()}")
    client.on_connect = lambda c, *a: c.subscribe(topic_filter, qos=1)
    client.on_subscribe = lambda *a: subscribed.set()
    client.on_message = on_message
    client.connect("127.0.0.1", port)
    client.loop_start()
    subscribed.wait(10)
    _wait_go()
    done.wait(300)
    client.disconnect()
    client.loop_stop()
    print(json.dumps({"first": state["first"], "last": state["last"], "count": state["n"]}), flush=True)


def publisher(port: int, nodes: int, count: int) -> Helper:
    return Helper(["publish", str(port), str(nodes), str(count)])


def pty_writer(master_fd: int, nodes: int, count: int, start_seq: int = 0) -> Helper:
    return Helper(["ptywrite", str(master_fd), str(nodes), str(count), str(start_seq)], pass_fds=(master_fd,))


def counter(port: int, topic_filter: str, count: int) -> Helper:
    return Helper(["count", str(port), topic_filter, str(count)])


# --- pseudo-terminals ------------------------------------------------------------------

def open_pty() -> tuple[int, int, str]:
    """(master_fd, slave_fd, slave_path), slave in raw mode (no echo back into the master)."""
    import tty

    master, slave = os.openpty()
    tty.setraw(slave)
    return master, slave, os.ttyname(slave)


# --- measuring -------------------------------------------------------------------------

def wait_until(predicate, timeout: float, poll: float = 0.002) -> float:
    """Poll until predicate() is true; returns time.monotonic() when it was seen. Raises on time-out."""
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return time.monotonic()
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark did not finish in time")
        time.sleep(poll)


def vm_hwm_kib(pid: int) -> tuple[int, int]:
    """(VmHWM, VmRSS) of a live process in KiB, from /proc/PID/status."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0])
    return values["VmHWM"], values["VmRSS"]


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    """The value below which a fraction `q` of `values` lies (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(argv: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one fresh process, run from the repository (wait4's ru_maxrss).

    A child's peak starts at its parent's (exec keeps ru_maxrss): the measuring process must stay
    small, so seed data in a process of its own."""
    # With its bytecode, as an installed station runs (the bare peer's libraries have theirs): a
    # shell that says PYTHONDONTWRITEBYTECODE would make every run compile the station's modules.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    began = time.perf_counter()
    process = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{argv} failed with {process.returncode}")
    return seconds, usage.ru_maxrss * 1024 / 1e6


def interleaved(ours: list[str], bare: list[str], runs: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """((seconds, peak MB) of `ours`, the same of `bare`): each run as a fresh process, alternating,
    so both see the same machine. Time is the fastest run (on a shared machine others only ever add
    time: timeit's advice), memory the highest peak."""
    times, peaks, bare_times, bare_peaks = [], [], [], []
    for _ in range(runs):
        seconds, peak = measure(bare)
        bare_times.append(seconds)
        bare_peaks.append(peak)
        seconds, peak = measure(ours)
        times.append(seconds)
        peaks.append(peak)
    return (min(times), max(peaks)), (min(bare_times), max(bare_peaks))


def header(title: str, what: str) -> None:
    print(f"== {title} ==")
    print(what)


def verdict(goal: str, met: bool) -> None:
    """The one line per goal a benchmark prints: `goal: <goal> -> MET` or `... -> MISSED`.

    Nothing else a benchmark prints says MET or MISSED; tests/test_benchmarks_run.py reads these."""
    print(f"goal: {goal} -> {'MET' if met else 'MISSED'}")


def quick_flag(description: str, nodes: int | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short smoke run (CI), not a measurement")
    if nodes is not None:
        parser.add_argument("--nodes", type=int, default=nodes, help=f"sensor nodes to spread readings over "
                            f"(default {nodes})")
    return parser.parse_args()


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "publish":
        _publish_main(int(rest[0]), int(rest[1]), int(rest[2]))
    elif command == "ptywrite":
        _ptywrite_main(int(rest[0]), int(rest[1]), int(rest[2]), int(rest[3]))
    elif command == "count":
        _count_main(int(rest[0]), rest[1], int(rest[2]))
    else:
        raise SystemExit(f"unknown helper {command!r}")
