"""Soil-moisture sampling shared by all boards: power up, settle, median, fault check.

The sensor is powered from a GPIO pin so it draws nothing between readings (matters on battery)
and gets a clean restart every time. Median rather than mean: one spike from Wi-Fi bursts or a
loose contact must not move the reading.
"""
import time

# A working capacitive sensor reads roughly 15000..55000; a shorted or disconnected one sits at a
# rail. The margins allow for ADC offset noise so a shorted sensor still counts as stuck.
STUCK_LOW = 512
STUCK_HIGH = 65535 - 512


def median(values):
    """Median of a non-empty list of ints (lower middle on even counts, stays an int)."""
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def read_samples(adc, count, gap_ms=5):
    samples = []
    for _ in range(count):
        samples.append(adc.read_u16())
        time.sleep_ms(gap_ms)
    return samples


def fault_reason(samples):
    """None for plausible samples, else a short reason string for the fault event."""
    mid = median(samples)
    if mid <= STUCK_LOW:
        return "stuck_low"
    if mid >= STUCK_HIGH:
        return "stuck_high"
    return None


def measure(power_pin, adc, settle_ms=500, count=9, gap_ms=5):
    """Power the sensor, let it settle, sample it and power it off again.

    Returns (raw, reason): raw is the median of `count` read_u16() samples; reason is None for
    a good reading or "stuck_low" / "stuck_high" when the sensor looks shorted or disconnected.
    """
    power_pin.value(1)
    try:
        time.sleep_ms(settle_ms)
        samples = read_samples(adc, count, gap_ms)
    finally:
        power_pin.value(0)
    return median(samples), fault_reason(samples)
