# Runs on real MicroPython: protocol vectors, sampling and the Pico main loop.
import machine
import protocol
import sampling

READING = '{"v":1,"node":"bed-1","seq":42,"raw":41230,"t":12.5}*17831df0\n'
BOOT = '{"v":1,"node":"bed-1","event":"boot","fw":"1.0.0"}*7139eaaa\n'
assert protocol.reading("bed-1", 42, 41230, 12.5) == READING, protocol.reading("bed-1", 42, 41230, 12.5)
assert protocol.event("bed-1", "boot", "fw", "1.0.0") == BOOT
assert protocol.parse(READING)["raw"] == 41230
assert protocol.parse(READING.replace("41230", "41231")) is None
assert sampling.median([30000, 65535, 30002, 0, 30001]) == 30001


def cycle(values):
    while True:
        for v in values:
            yield v


machine.ADC_VALUES[26] = cycle([40000, 40010, 65535, 39990, 40005, 40002, 39995, 40001, 40003])
machine.ADC_VALUES[4] = cycle([14226])
import config
config.SETTLE_MS = 1
import main
out = []
main.run(max_readings=3, sleep_ms=3, write=out.append)
assert out[0] == BOOT, out
msgs = [protocol.parse(line) for line in out]
assert [m["seq"] for m in msgs[1:]] == [1, 2, 3], out
assert [m["raw"] for m in msgs[1:]] == [40002] * 3, out
assert machine.WDT_TIMEOUT[0] == 8000 and machine.FEEDS[0] >= 3
assert machine.PINS[22] == 0

machine.ADC_VALUES[26] = cycle([0])
out = []
main.run(max_readings=1, sleep_ms=1, write=out.append)
assert protocol.parse(out[1]) == {"v": 1, "node": "bed-1", "event": "fault", "reason": "stuck_low"}, out
print("pico ok")
