"""Memory: peak RSS of `kiosk bridge` and `kiosk garden` as real processes, after an hour's readings.

Both services run as `.venv/bin/kiosk --config station.toml bridge|garden`, with 60
sensor nodes configured, a private Mosquitto, and the bridge reading a pseudo-terminal.
A writer process pushes an hour's worth of readings (60 nodes x 60 readings = 3,600
lines) into the pty as fast as it goes: bridge -> broker -> garden. Once the garden
has stored all of them, VmHWM (peak resident set) is read from /proc/PID/status.
The full run then feeds ten more hours (36,000 lines) and reads VmHWM again, to
show whether memory grows with the amount of data (it should not).

Baseline, same run: a bare `python -c "import paho.mqtt.client, sqlite3, serial"`
idle process — what the interpreter and the libraries cost before any station code.

Goal: VmHWM < 40 MB (10^6 bytes) for each service after the hour's readings; the
ten-hour flood is reported on its own line (a backlog, as after a broker outage).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import common

GOAL_MB = 40.0
NODES = 60
# KIOSK_BENCH_CMD="python /path/candidate.py" measures a candidate entry point instead of the installed one.
KIOSK = os.environ.get("KIOSK_BENCH_CMD", str(Path(common.PYTHON).parent / "kiosk")).split()
BASELINE = "import paho.mqtt.client, sqlite3, serial, sys; print('ready', flush=True); sys.stdin.readline()"


def mb(kib: int) -> float:
    return kib * 1024 / 1e6


def start_service(config_path: Path, service: str, log: Path) -> subprocess.Popen:
    env = dict(os.environ, KIOSK_LOG_LEVEL="INFO", PYTHONUNBUFFERED="1")
    with open(log, "wb") as out:
        return subprocess.Popen([*KIOSK, "--config", str(config_path), service], stdout=out, stderr=out,
                                stdin=subprocess.DEVNULL, env=env)


def wait_online(port: int, services: list[str], timeout: float = 20) -> None:
    """Wait for the retained `online` status of each service."""
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    online: set[str] = set()
    done = threading.Event()

    def on_message(client, userdata, msg):
        if msg.payload == b"online":
            online.add(msg.topic.split("/")[2])
            if online >= set(services):
                done.set()

    client = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-memory-watch")
    client.on_connect = lambda c, *a: c.subscribe(f"{common.PREFIX}/{common.STATION}/+/status", qos=1)
    client.on_message = on_message
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        if not done.wait(timeout):
            raise RuntimeError(f"services not online within {timeout} s: {set(services) - online}")
    finally:
        client.disconnect()
        client.loop_stop()


def wait_for_log(path: Path, text: str, timeout: float = 20) -> None:
    common.wait_until(lambda: text in path.read_text(errors="replace"), timeout, poll=0.05)


def stored(db_path: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM readings").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return -1


def feed(master: int, lines: int, start_seq: int, db_path: Path, expect_total: int) -> float:
    writer = common.pty_writer(master, NODES, lines, start_seq)
    try:
        t0 = writer.go()
        common.wait_until(lambda: stored(db_path) >= expect_total, timeout=600, poll=0.05)
        elapsed = time.monotonic() - t0
        writer.result()
    finally:
        writer.kill()
    return elapsed


def stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def main() -> None:
    args = common.quick_flag(__doc__)
    phases = [3_600] if args.quick else [3_600, 36_000]
    common.header("memory", f"VmHWM of kiosk bridge and kiosk garden as processes, {NODES} nodes; "
                  "after 1 h of readings" + ("" if args.quick else " and after 10 h more") + ", fed at full speed")
    base = subprocess.Popen([common.PYTHON, "-c", BASELINE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        base.stdout.readline()
        base_hwm, _ = common.vm_hwm_kib(base.pid)
    finally:
        base.stdin.close()
        base.wait()

    master, slave, pty_path = common.open_pty()
    results: list[tuple[str, dict[str, int]]] = []
    try:
        with common.scratch("memory") as folder, common.broker(folder) as mosq:
            config_path, config = common.write_config(folder, mosq.port, common.node_ids(NODES),
                                                      serial_port=pty_path)
            garden = start_service(config_path, "garden", folder / "garden.log")
            bridge = start_service(config_path, "bridge", folder / "bridge.log")
            procs = {"bridge": bridge, "garden": garden}
            try:
                wait_online(mosq.port, ["garden", "bridge"])
                wait_for_log(folder / "bridge.log", "reading sensor lines from")
                idle = {name: common.vm_hwm_kib(p.pid)[0] for name, p in procs.items()}
                results.append(("idle (started, no readings)", idle))
                db_path = config.data_dir / "garden.sqlite"
                total, seq = 0, 0
                for lines in phases:
                    total += lines
                    took = feed(master, lines, seq, db_path, total)
                    seq += lines // NODES
                    time.sleep(0.5)   # let the last state publications and outbox deletes settle
                    hwm = {name: common.vm_hwm_kib(p.pid)[0] for name, p in procs.items()}
                    hours = total // (NODES * 60)
                    results.append((f"after {total:,} readings ({hours} h of {NODES} nodes; fed in {took:.1f} s)", hwm))
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        raise RuntimeError(f"kiosk {name} died; see {folder / (name + '.log')}")
            finally:
                codes = {name: stop(p) for name, p in procs.items()}
            if any(codes.values()):
                print(f"  note: exit codes on SIGTERM: {codes}")
    finally:
        os.close(master)
        os.close(slave)

    print(f"  baseline python + paho + sqlite3 + serial, idle: {mb(base_hwm):6.1f} MB")
    for label, hwm in results:
        print(f"  {label}:")
        for name in ("bridge", "garden"):
            print(f"    kiosk {name:<6} VmHWM {mb(hwm[name]):6.1f} MB  ({hwm[name] / base_hwm:.2f} x baseline)")
    after_hour = results[1][1]
    peak = results[-1][1]
    for name in ("bridge", "garden"):
        print(f"kiosk {name}: peak {mb(peak[name]):.1f} MB, {peak[name] / base_hwm:.2f} x baseline "
              f"({mb(base_hwm):.1f} MB)")
    if args.quick:
        print("(quick run: one hour's feed only)")
    common.verdict(f"VmHWM < {GOAL_MB:.0f} MB for each service after 1 h of readings",
                   all(mb(after_hour[n]) < GOAL_MB for n in ("bridge", "garden")))
    if len(results) > 2:
        ok = all(mb(peak[n]) < GOAL_MB for n in ("bridge", "garden"))
        print(f"stress (11 h fed at full speed, beyond the goal): VmHWM "
              f"{'stayed below' if ok else 'went above'} {GOAL_MB:.0f} MB")


if __name__ == "__main__":
    main()
