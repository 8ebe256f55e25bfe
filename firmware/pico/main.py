"""Pico node: prints a protocol line per reading on USB serial (see DESIGN.md).

Runs at boot. `sampling`, `protocol` and `config` sit next to it on the board filesystem.
"""
import os
import sys
import time

import machine

import config
import protocol
import sampling

FW_VERSION = "1.0.0"


class _NoWatchdog:
    def feed(self):
        pass


def start_watchdog():
    """The RP2040 watchdog cannot be stopped once started, which locks mpremote out after a
    Ctrl-C. A file named `nowdt` on the board skips it for maintenance (see README)."""
    try:
        os.stat("nowdt")
        return _NoWatchdog()
    except OSError:
        pass
    if not config.WDT_MS:
        return _NoWatchdog()
    return machine.WDT(timeout=config.WDT_MS)


def read_temperature(adc):
    """Internal sensor in °C, one decimal (RP2040 datasheet formula)."""
    volts = sampling.median(sampling.read_samples(adc, 3, 1)) * 3.3 / 65535
    return round(27 - (volts - 0.706) / 0.001721, 1)


def sleep_feeding(ms, wdt):
    while ms > 0:
        step = ms if ms < config.SLEEP_CHUNK_MS else config.SLEEP_CHUNK_MS
        time.sleep_ms(step)
        wdt.feed()
        ms -= step


def run(max_readings=None, sleep_ms=None, write=None):
    """Main loop: boot line, then one reading (or fault event) every interval.

    max_readings stops after that many measurements (readings and faults; None = forever),
    sleep_ms overrides config.INTERVAL_MS, write(str) overrides sys.stdout.write.
    """
    interval = config.INTERVAL_MS if sleep_ms is None else sleep_ms
    write = write or sys.stdout.write
    wdt = start_watchdog()
    power = machine.Pin(config.POWER_PIN, machine.Pin.OUT, value=0)
    adc = machine.ADC(config.ADC_PIN)
    temp_adc = machine.ADC(config.TEMP_CHANNEL)
    write(protocol.event(config.NODE, "boot", "fw", FW_VERSION))
    seq = 0
    done = 0
    while max_readings is None or done < max_readings:
        started = time.ticks_ms()
        raw, reason = sampling.measure(power, adc, config.SETTLE_MS, config.SAMPLES)
        wdt.feed()
        if reason:
            write(protocol.event(config.NODE, "fault", "reason", reason))
        else:
            seq += 1
            write(protocol.reading(config.NODE, seq, raw, read_temperature(temp_adc)))
        done += 1
        if max_readings is not None and done >= max_readings:
            break
        # Subtract the time spent measuring so readings stay on a steady interval.
        sleep_feeding(interval - time.ticks_diff(time.ticks_ms(), started), wdt)


if __name__ == "__main__":
    run()
