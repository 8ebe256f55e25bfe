# Runs on real MicroPython: one ESP32 wake cycle publishing, then one without Wi-Fi.
import json

import machine
import network
from umqtt.simple import PUBLISHED

import config
config.SETTLE_MS = 1
config.WIFI_TIMEOUT_MS = 50
import main

machine.ADC_VALUES[34] = iter([38000] * 100)
try:
    main.run()
    raise AssertionError("no deep sleep")
except machine.DeepSleep as sleep:
    assert sleep.args[0] == 600000
topics = [t for t, p, q in PUBLISHED]
assert topics == ["batenbrock/batenbrock-1/garden/bed-2/event",
                  "batenbrock/batenbrock-1/garden/bed-2/reading"], topics
reading = json.loads(PUBLISHED[1][1])
reading.pop("ts", None)  # the WebAssembly port's clock is real, so ts may be there
assert reading == {"node": "bed-2", "seq": 1, "raw": 38000}, reading
assert PUBLISHED[1][2] == 1

machine.RESET_CAUSE[0] = machine.DEEPSLEEP_RESET
network.CONNECTED[0] = False
try:
    main.run()
except machine.DeepSleep:
    pass
assert len(PUBLISHED) == 2
state = json.loads(machine.RTC_MEMORY[0])
assert state["seq"] == 2, state
print("esp32 ok")
