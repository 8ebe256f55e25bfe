"""Garden ingest: readings/s stored by `kiosk garden` vs a bare paho subscriber, same broker, same run.

A separate publisher process sends N reading payloads (QoS 1, as fast as paho
allows, round-robin over several nodes) to `batenbrock/<station>/garden/<node>/reading`.
- bare: a paho-mqtt 2.x subscriber (VERSION2 callbacks, MQTT v5, QoS 1) that only counts;
- garden: `kiosk.garden.service.Garden` with its worker thread, a persistent `Bus`,
  real SQLite (WAL, synchronous=FULL) in a temp dir; "handled" = `garden.ingested`
  (readings committed to the database).
Both are timed from releasing the publisher to the N-th message handled, each on a
fresh Mosquitto, alternating which goes first; the median of the repetitions is reported.

Goal: garden >= 0.5 x bare.
"""

from __future__ import annotations

import threading
import time

import common

GOAL = 0.5


def run_bare(count: int, nodes: int) -> float:
    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    with common.scratch("ingest-bare") as folder, common.broker(folder) as mosq:
        state = {"n": 0}
        subscribed = threading.Event()

        def on_message(client, userdata, msg):
            state["n"] += 1

        client = paho.Client(CallbackAPIVersion.VERSION2, client_id="bench-bare", protocol=paho.MQTTv5)
        client.on_connect = lambda c, *a: c.subscribe(f"{common.PREFIX}/{common.STATION}/garden/+/reading", qos=1)
        client.on_subscribe = lambda *a: subscribed.set()
        client.on_message = on_message
        client.connect("127.0.0.1", mosq.port)
        client.loop_start()
        try:
            assert subscribed.wait(10), "bare subscriber did not subscribe"
            pub = common.publisher(mosq.port, nodes, count)
            try:
                t0 = pub.go()
                t1 = common.wait_until(lambda: state["n"] >= count, timeout=600)
                pub.result()
            finally:
                pub.kill()
        finally:
            client.disconnect()
            client.loop_stop()
    return count / (t1 - t0)


def run_garden(count: int, nodes: int) -> tuple[float, dict]:
    from kiosk.bus import Bus
    from kiosk.garden.notify import Notifier
    from kiosk.garden.service import Garden
    from kiosk.garden.store import GardenStore

    with common.scratch("ingest-garden") as folder, common.broker(folder) as mosq:
        _, config = common.write_config(folder, mosq.port, common.node_ids(nodes))
        store = GardenStore.open(config)
        bus = Bus(config, "garden", persistent=True)
        garden = Garden(config, bus, store, notifier=Notifier(config.garden.notify, store))
        garden.attach()
        bus.start()
        stopping = threading.Event()
        worker = threading.Thread(target=garden.run, args=(stopping,), daemon=True)
        try:
            assert bus.wait_connected(10), "garden could not connect"
            worker.start()
            time.sleep(0.5)   # let the connect-time announce and first history publication pass
            pub = common.publisher(mosq.port, nodes, count)
            try:
                t0 = pub.go()
                t1 = common.wait_until(lambda: garden.ingested >= count, timeout=600)
                published = pub.result()
            finally:
                pub.kill()
            stored = store.count_readings()
        finally:
            stopping.set()
            worker.join(10)
            bus.stop()
            store.close()
    return count / (t1 - t0), {"stored": stored, "publisher_rate": count / (published["acked"] - published["start"])}


def main() -> None:
    args = common.quick_flag(__doc__, nodes=4)
    count, reps = (2_000, 1) if args.quick else (20_000, 3)
    nodes = args.nodes
    common.header("garden ingest", f"{count} readings from {nodes} nodes, QoS 1; {reps} repetition(s) each, "
                  "alternating order; rate = readings handled per second")
    bare, garden, pub_rates = [], [], []
    for rep in range(reps):
        order = ("bare", "garden") if rep % 2 == 0 else ("garden", "bare")
        for kind in order:
            if kind == "bare":
                bare.append(run_bare(count, nodes))
                print(f"  rep {rep + 1} bare   : {bare[-1]:9.0f} msg/s")
            else:
                rate, info = run_garden(count, nodes)
                garden.append(rate)
                pub_rates.append(info["publisher_rate"])
                print(f"  rep {rep + 1} garden : {rate:9.0f} readings/s stored "
                      f"({info['stored']} rows; publisher alone acked at {info['publisher_rate']:.0f}/s)")
    b, g = common.median(bare), common.median(garden)
    ratio = g / b
    print(f"bare paho subscriber : {b:9.0f} msg/s (median)")
    print(f"kiosk garden         : {g:9.0f} readings/s (median)")
    print(f"ratio garden / bare  : {ratio:.2f}")
    if args.quick:
        print("(quick run: smoke test only, figures not meaningful)")
    common.verdict(f"garden >= {GOAL} x bare", ratio >= GOAL)


if __name__ == "__main__":
    main()
