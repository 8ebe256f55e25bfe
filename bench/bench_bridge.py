"""Bridge: serial lines/s checked and published by `kiosk bridge` vs a bare pyserial readline loop.

A writer process pushes N valid protocol lines (`line_protocol.encode_line`,
round-robin over several configured nodes) into the master side of a
pseudo-terminal (os.openpty) as fast as the pty takes them; the reader opens the
slave path with pyserial, like a real USB serial port.
- bare: `serial.Serial(path).readline()` in a loop, counting lines (what a naive
  bridge would do; it does no checking, no SQLite, no MQTT);
- bridge: `kiosk.garden.bridge.Bridge.run()` (CRC + JSON check, SQLite outbox with
  synchronous=FULL, QoS 1 publish from the outbox thread); a line counts once the
  broker delivered it to a bare subscriber running in its own process.
Timed from releasing the writer to the N-th line; fresh broker and data each time,
alternating order, median of the repetitions.

Also printed, for information only: a chunked-read baseline (`read(in_waiting)` +
count newlines), the fastest a Python reader of this pty gets; and the whole chain
bridge → broker → `kiosk garden` (`Garden` in the same process), timed to the N-th
reading committed to garden.sqlite, with the time until garden's end-to-end
confirmations have emptied the bridge's outbox where the bridge waits for them.

Goal: bridge >= 0.5 x bare (readline).
"""

from __future__ import annotations

import os
import threading
import time

import common

GOAL = 0.5


def run_bare(count: int, nodes: int, chunked: bool) -> float:
    import serial

    master, slave, path = common.open_pty()
    try:
        port = serial.Serial(path, 115200, timeout=0.2)
        writer = common.pty_writer(master, nodes, count)
        try:
            t0 = writer.go()
            seen = 0
            if chunked:
                while seen < count:
                    seen += port.read(max(1, min(port.in_waiting, 4096))).count(b"\n")
            else:
                while seen < count:
                    if port.readline().endswith(b"\n"):
                        seen += 1
            t1 = time.monotonic()
            writer.result()
        finally:
            writer.kill()
            port.close()
    finally:
        os.close(master)
        os.close(slave)
    return count / (t1 - t0)


def run_bridge(count: int, nodes: int) -> tuple[float, dict]:
    import serial

    from kiosk.bus import Bus
    from kiosk.garden.bridge import Bridge, open_database

    master, slave, path = common.open_pty()
    try:
        with common.scratch("bridge") as folder, common.broker(folder) as mosq:
            _, config = common.write_config(folder, mosq.port, common.node_ids(nodes), serial_port=path)
            opened = threading.Event()

            def open_port():
                port = serial.Serial(path, config.bridge.baud, timeout=0.2)   # as Bridge does it
                opened.set()
                return port

            db = open_database(config)
            bus = Bus(config, "bridge").start()
            bridge = Bridge(config, bus, db, open_port=open_port)
            stopping = threading.Event()
            thread = threading.Thread(target=bridge.run, args=(stopping,), daemon=True)
            count_proc = common.counter(mosq.port, f"{common.PREFIX}/{common.STATION}/garden/+/reading", count)
            writer = None
            try:
                assert bus.wait_connected(10), "bridge could not connect"
                thread.start()
                assert opened.wait(10), "bridge did not open the pty"
                writer = common.pty_writer(master, nodes, count)
                t0 = writer.go()
                count_proc.go()
                counted = count_proc.result(timeout=600)
                written = writer.result()
            finally:
                if writer:
                    writer.kill()
                count_proc.kill()
                stopping.set()
                thread.join(10)
                bus.stop()
                db.close()
            if counted["count"] < count:
                raise RuntimeError(f"only {counted['count']} of {count} lines reached the broker")
    finally:
        os.close(master)
        os.close(slave)
    return count / (counted["last"] - t0), {"accepted": bridge.counts["accepted"],
                                            "writer_rate": count / (written["written"] - written["start"])}


def run_chain(count: int, nodes: int) -> tuple[float, float | None]:
    """Lines/s stored by garden, and lines/s until the bridge's outbox is empty (None: not waited for)."""
    import serial

    from kiosk.bus import Bus
    from kiosk.garden.bridge import Bridge, open_database
    from kiosk.garden.notify import Notifier
    from kiosk.garden.service import Garden
    from kiosk.garden.store import GardenStore

    master, slave, path = common.open_pty()
    try:
        with common.scratch("chain") as folder, common.broker(folder) as mosq:
            _, config = common.write_config(folder, mosq.port, common.node_ids(nodes), serial_port=path)
            opened = threading.Event()

            def open_port():
                port = serial.Serial(path, config.bridge.baud, timeout=0.2)
                opened.set()
                return port

            store = GardenStore.open(config)
            garden_bus = Bus(config, "garden", persistent=True)
            garden = Garden(config, garden_bus, store, notifier=Notifier(config.garden.notify, store))
            garden.attach()
            garden_bus.start()
            db = open_database(config)
            bus = Bus(config, "bridge")
            bridge = Bridge(config, bus, db, open_port=open_port)
            bus.start()
            stopping = threading.Event()
            threads = [threading.Thread(target=bridge.run, args=(stopping,), daemon=True),
                       threading.Thread(target=garden.run, args=(stopping,), daemon=True)]
            writer = None
            try:
                assert bus.wait_connected(10) and garden_bus.wait_connected(10), "could not connect"
                for thread in threads:
                    thread.start()
                assert opened.wait(10), "bridge did not open the pty"
                time.sleep(0.5)   # garden's connect-time announce and first history publication
                writer = common.pty_writer(master, nodes, count)
                t0 = writer.go()
                t_stored = common.wait_until(lambda: garden.ingested >= count, timeout=600)
                waits = getattr(bridge.outbox, "confirmed", False)
                t_empty = (common.wait_until(lambda: bridge.outbox.pending() == 0, timeout=600, poll=0.02)
                           if waits else None)
                writer.result()
            finally:
                if writer:
                    writer.kill()
                stopping.set()
                for thread in threads:
                    thread.join(10)
                bus.stop()
                garden_bus.stop()
                db.close()
                store.close()
    finally:
        os.close(master)
        os.close(slave)
    return count / (t_stored - t0), (count / (t_empty - t0) if t_empty else None)


def main() -> None:
    args = common.quick_flag(__doc__)
    count, nodes, reps = (2_000, 4, 1) if args.quick else (20_000, 4, 3)
    common.header("bridge", f"{count} protocol lines from {nodes} nodes through a pty; {reps} repetition(s) "
                  "each, alternating order; rate = lines per second")
    bare, chunked, bridge, chain, emptied = [], [], [], [], []
    for rep in range(reps):
        order = ("bare", "chunked", "bridge", "chain") if rep % 2 == 0 else ("chain", "bridge", "chunked", "bare")
        for kind in order:
            if kind == "bare":
                bare.append(run_bare(count, nodes, chunked=False))
                print(f"  rep {rep + 1} bare readline  : {bare[-1]:9.0f} lines/s")
            elif kind == "chunked":
                chunked.append(run_bare(count, nodes, chunked=True))
                print(f"  rep {rep + 1} bare chunked   : {chunked[-1]:9.0f} lines/s")
            elif kind == "chain":
                rate, empty_rate = run_chain(count, nodes)
                chain.append(rate)
                if empty_rate:
                    emptied.append(empty_rate)
                print(f"  rep {rep + 1} bridge→garden  : {rate:9.0f} lines/s stored in garden.sqlite"
                      + (f", outbox empty at {empty_rate:.0f}/s" if empty_rate else ""))
            else:
                rate, info = run_bridge(count, nodes)
                bridge.append(rate)
                print(f"  rep {rep + 1} bridge         : {rate:9.0f} lines/s at the broker "
                      f"({info['accepted']} accepted; writer finished at {info['writer_rate']:.0f}/s)")
    b, c, k = common.median(bare), common.median(chunked), common.median(bridge)
    print(f"bare pyserial readline : {b:9.0f} lines/s (median)")
    print(f"bare chunked read      : {c:9.0f} lines/s (median, information only)")
    print(f"kiosk bridge           : {k:9.0f} lines/s delivered to the broker (median)")
    print(f"ratio bridge / readline: {k / b:.2f}")
    print(f"ratio bridge / chunked : {k / c:.2f} (information only)")
    g = common.median(chain)
    print(f"bridge → garden        : {g:9.0f} lines/s stored in garden.sqlite (median, information only)")
    if emptied:
        print(f"  … confirmed back     : {common.median(emptied):9.0f} lines/s until the bridge's outbox was empty")
    print(f"ratio chain / readline : {g / b:.2f} (information only)")
    if args.quick:
        print("(quick run: smoke test only, figures not meaningful)")
    common.verdict(f"bridge >= {GOAL} x bare readline", k / b >= GOAL)


if __name__ == "__main__":
    main()
