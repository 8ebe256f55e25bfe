"""RFID reader cost and latency, ours vs the bare mfrc522 library, on the emulated MFRC522.

    python bench/bench_rfid_idle.py [--trials N] [--quick]

1. SPI transfers per idle poll (empty field): `Mfrc522Reader.poll()` vs
   `SimpleMFRC522().read_id_no_block()`. A count, so hardware-independent.
2. Tap-to-UID latency (time from `field.present` to the UID in hand, p50/p99): our
   reader in its own loop (`watch()`, 50 ms cadence, sleeping in between) vs a bare
   loop around `read_id_no_block()` that never sleeps (and burns a core doing so).
   Wall-clock on the emulator: Python-speed SPI, not a 1 MHz bus; compare the two, not
   the absolute figures with a Pi.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import common  # noqa: E402

from kiosk.hardware.rfid import TAP, Mfrc522Chip, make_reader, plugged  # noqa: E402
from kiosk.hardware.rfid.stand_ins import import_mfrc522  # noqa: E402


def simple_reader(chip):
    import_mfrc522()
    from mfrc522 import SimpleMFRC522
    with plugged(chip):
        return SimpleMFRC522()


def idle_transfers_ours(polls: int = 500) -> float:
    chip = Mfrc522Chip()
    reader, _ = make_reader("emulated", chip=chip)
    with reader:
        reader.poll()  # first poll also probes the chip
        before = chip.transfers
        for _ in range(polls):
            reader.poll()
        return (chip.transfers - before) / polls


def idle_transfers_library(polls: int = 20) -> float:
    chip = Mfrc522Chip()
    simple = simple_reader(chip)
    before = chip.transfers
    for _ in range(polls):
        simple.read_id_no_block()
    return (chip.transfers - before) / polls


def present_later(field, uid: bytes, marks: dict) -> threading.Thread:
    def run():
        time.sleep(random.uniform(0.0, 0.1))
        marks["at"] = time.perf_counter()
        field.present(uid)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def latency_ours(trials: int) -> list[float]:
    reader, field = make_reader("emulated")
    out = []
    with reader:
        for _ in range(trials):
            uid = random.randbytes(4)
            marks: dict = {}
            thread = present_later(field, uid, marks)
            for event in reader.watch():
                if event.kind == TAP and event.uid == uid:
                    out.append(time.perf_counter() - marks["at"])
                    break
            thread.join()
            field.remove(uid)
            while uid in reader.present:
                reader.poll()
    return out


def latency_library(trials: int) -> list[float]:
    chip = Mfrc522Chip()
    simple = simple_reader(chip)
    out = []
    for _ in range(trials):
        uid = random.randbytes(4)
        expected = int.from_bytes(uid + bytes([uid[0] ^ uid[1] ^ uid[2] ^ uid[3]]), "big")
        marks: dict = {}
        thread = present_later(chip.field, uid, marks)
        while simple.read_id_no_block() != expected:
            pass
        out.append(time.perf_counter() - marks["at"])
        thread.join()
        chip.field.remove(uid)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=60, help="taps per latency measurement")
    parser.add_argument("--quick", action="store_true", help="a short smoke run (CI); figures mean little")
    args = parser.parse_args()
    if args.quick:
        args.trials = 8
    logging.getLogger("mfrc522Logger").disabled = True

    ours = idle_transfers_ours()
    library = idle_transfers_library()
    print("SPI transfers per idle poll (empty field)")
    print(f"  Mfrc522Reader.poll()                  {ours:8.1f}")
    print(f"  SimpleMFRC522().read_id_no_block()    {library:8.1f}")
    print(f"  ratio library / ours                  {library / ours:8.1f}x")
    common.verdict("ours <= 1/20 of the library's SPI transfers per idle poll", library / ours >= 20)

    mine = latency_ours(args.trials)
    bare = latency_library(args.trials)
    print(f"tap-to-UID latency, {args.trials} taps at random moments (emulator, wall clock)")
    for name, values in (("Mfrc522Reader.watch(), 50 ms cadence", mine),
                         ("bare read_id_no_block() busy loop", bare)):
        print(f"  {name:38s} p50 {common.percentile(values, 0.5) * 1000:6.1f} ms   "
              f"p99 {common.percentile(values, 0.99) * 1000:6.1f} ms   mean {statistics.fmean(values) * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
