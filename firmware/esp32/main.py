"""ESP32 battery node: one reading per wake, published over MQTT, then deep sleep.

Publishes to `{prefix}/{station}/garden/{node}/reading` with the same payload the serial bridge
sends (`{"ts","node","seq","raw"}`), so `kiosk garden` cannot tell the two apart. Boot and
fault events go to `.../garden/{node}/event`. `seq` and unsent readings survive deep sleep in
RTC memory. `sampling`, `protocol` and `config` sit next to this file on the board.
"""
import json
import time

import machine
import network
import ntptime
from umqtt.simple import MQTTClient

import config
import protocol
import sampling

FW_VERSION = "1.0.0"
CLOCK_VALID_YEAR = 2024   # before NTP the RTC starts at 2000-01-01


def topic(kind):
    return "%s/%s/garden/%s/%s" % (config.TOPIC_PREFIX, config.STATION, config.NODE, kind)


def load_state(rtc):
    """seq and unsent readings from RTC memory; fresh after power-on (memory empty) or junk."""
    try:
        state = json.loads(rtc.memory().decode())
        if isinstance(state["seq"], int) and isinstance(state["pending"], list):
            return state
    except Exception:
        pass
    return {"seq": 0, "pending": []}


def save_state(rtc, state):
    # RTC user memory holds 2 KB; drop the oldest readings rather than fail.
    data = json.dumps(state)
    while len(data) > 2000 and state["pending"]:
        state["pending"].pop(0)
        data = json.dumps(state)
    rtc.memory(data.encode())


def utc_now():
    """ISO 8601 UTC, or None while the RTC has not been set by NTP."""
    now = time.gmtime()
    if now[0] < CLOCK_VALID_YEAR:
        return None
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % now[:6]


def connect_wifi(timeout_ms):
    wlan = network.WLAN(network.STA_IF)
    wlan.active(True)
    if not wlan.isconnected():
        wlan.connect(config.WIFI_SSID, config.WIFI_PASSWORD)
        started = time.ticks_ms()
        while not wlan.isconnected():
            if time.ticks_diff(time.ticks_ms(), started) >= timeout_ms:
                wlan.active(False)
                return None
            time.sleep_ms(100)
    return wlan


def sync_clock(seq):
    if utc_now() is not None and seq % config.NTP_EVERY:
        return
    try:
        ntptime.host = config.NTP_HOST
        ntptime.timeout = 1
        ntptime.settime()
    except Exception:  # no NTP this time: readings go without ts and are stamped on receipt
        pass


def publish_all(messages):
    """Publish (topic, payload) pairs with QoS 1; returns how many got through, in order."""
    client = MQTTClient(config.STATION + "-" + config.NODE, config.MQTT_HOST,
                        port=config.MQTT_PORT, user=config.MQTT_USER,
                        password=config.MQTT_PASSWORD)
    sent = 0
    try:
        try:
            client.connect(timeout=config.MQTT_TIMEOUT_S)
        except TypeError:  # older umqtt.simple without a timeout argument
            client.connect()
        for name, payload in messages:
            client.publish(topic(name), payload, qos=1)
            sent += 1
        client.disconnect()
    except Exception:  # broker absent or gone: keep the rest for next wake
        pass
    return sent


def reading_payload(reading):
    return protocol.to_json((("ts", reading.get("ts")), ("node", config.NODE),
                             ("seq", reading["seq"]), ("raw", reading["raw"])))


def event_payload(name, key=None, value=None):
    return protocol.to_json((("ts", utc_now()), ("node", config.NODE), ("event", name),
                             (key, value)))


def run(interval_ms=None):
    """One wake cycle: measure, try to publish, deep-sleep. Never returns on a board."""
    interval = config.INTERVAL_MS if interval_ms is None else interval_ms
    if config.WDT_MS:
        machine.WDT(timeout=config.WDT_MS)
    rtc = machine.RTC()
    # RTC memory survives deep sleep and a watchdog reset, so seq carries on across both.
    state = load_state(rtc)
    cold = machine.reset_cause() != machine.DEEPSLEEP_RESET

    power = machine.Pin(config.POWER_PIN, machine.Pin.OUT, value=0)
    adc = machine.ADC(machine.Pin(config.ADC_PIN), atten=machine.ADC.ATTN_11DB)
    raw, reason = sampling.measure(power, adc, config.SETTLE_MS, config.SAMPLES)

    events = []
    if cold:
        events.append(("event", event_payload("boot", "fw", FW_VERSION)))
    if reason:
        events.append(("event", event_payload("fault", "reason", reason)))
    else:
        state["seq"] += 1
        # A kept reading without ts would be stamped on receipt, i.e. at the wrong time.
        state["pending"] = [r for r in state["pending"] if r.get("ts")]
        state["pending"].append({"seq": state["seq"], "raw": raw, "ts": utc_now()})
        state["pending"] = state["pending"][-config.MAX_PENDING:]

    if connect_wifi(config.WIFI_TIMEOUT_MS):
        sync_clock(state["seq"])
        for r in state["pending"]:
            if r.get("ts") is None:
                r["ts"] = utc_now()  # taken seconds ago, so the fresh clock is close enough
        messages = events + [("reading", reading_payload(r)) for r in state["pending"]]
        sent = publish_all(messages) - len(events)
        if sent > 0:
            state["pending"] = state["pending"][sent:]
    save_state(rtc, state)
    machine.deepsleep(interval)


if __name__ == "__main__":
    run()
