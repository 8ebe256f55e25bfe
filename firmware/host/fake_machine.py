"""Host stand-ins for MicroPython's `machine` and `time`, driven by a simulated clock.

A `Board` holds the simulated hardware state; `board.machine` is a fresh `machine` module bound
to it and `board.clock.time_module` the matching `time`, so two boards never share state.
"""
import time as _time
import types

PWRON_RESET, HARD_RESET, WDT_RESET, DEEPSLEEP_RESET, SOFT_RESET = 1, 2, 3, 4, 5
EPOCH_2000 = 946684800  # a MicroPython RTC that NTP has not set yet reads 2000-01-01


class NodeStopped(Exception):
    """Raised inside the firmware when the host asks it to stop (the `stop` event is set)."""


class DeepSleep(Exception):
    """machine.deepsleep() was called; on a board this ends the run, so on the host too."""

    def __init__(self, ms):
        super().__init__(ms)
        self.ms = ms


class WatchdogReset(Exception):
    """The firmware went longer than the watchdog timeout without feeding it."""


class Clock:
    """Milliseconds for ticks_ms/sleep_ms: simulated (instant) or real with `realtime=True`.

    `utc_s` is the board's wall clock (UTC epoch seconds); set it to emulate NTP.
    """

    def __init__(self, realtime=False, stop=None, utc_s=EPOCH_2000):
        self.realtime = realtime
        self.stop = stop
        self.now_ms = 0
        self.utc_s = utc_s
        self._t0 = _time.monotonic()
        self.time_module = self._build_time_module()

    def ticks_ms(self):
        if self.realtime:
            return int((_time.monotonic() - self._t0) * 1000)
        return self.now_ms

    def sleep_ms(self, ms):
        ms = max(0, int(ms))
        if self.stop is not None and self.stop.is_set():
            raise NodeStopped()
        if not self.realtime:
            self.now_ms += ms
        elif self.stop is not None:
            if self.stop.wait(ms / 1000):
                raise NodeStopped()
        else:
            _time.sleep(ms / 1000)

    def gmtime(self, secs=None):
        if secs is None:
            secs = self.utc_s + self.ticks_ms() // 1000
        return tuple(_time.gmtime(secs))[:8]

    def _build_time_module(self):
        mod = types.ModuleType("time")
        mod.ticks_ms = self.ticks_ms
        mod.ticks_diff = lambda a, b: a - b
        mod.ticks_add = lambda a, b: a + b
        mod.sleep_ms = self.sleep_ms
        mod.sleep = lambda s: self.sleep_ms(s * 1000)
        mod.time = lambda: self.utc_s + self.ticks_ms() // 1000
        mod.gmtime = self.gmtime
        return mod


class Board:
    """Simulated pins, ADC channels, watchdog, RTC memory and reset cause.

    adc maps an ADC channel or pin number to a callable returning the raw u16 value;
    powered_by maps such a channel to the pin number feeding the sensor: while that pin is low
    the channel reads 0, as an unpowered sensor does. `log` records (ms, what, id, value).
    """

    def __init__(self, adc=None, powered_by=None, clock=None, reset_cause=PWRON_RESET,
                 files=()):
        self.clock = clock or Clock()
        self.adc = dict(adc or {})
        self.powered_by = dict(powered_by or {})
        self.pins = {}
        self.log = []
        self.reset_cause = reset_cause
        self.files = set(files)
        self.rtc_memory = b""
        self.wdt_timeout = None
        self.wdt_feeds = 0
        self._last_feed = 0
        self.machine = self._build_machine()
        self.os = types.ModuleType("os")
        self.os.stat = self._stat

    def _stat(self, path):
        if path not in self.files:
            raise OSError(2, "ENOENT")
        return (0x8000, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    def pin_value(self, pin_id):
        return self.pins.get(pin_id, 0)

    def _note(self, what, ident, value):
        self.log.append((self.clock.ticks_ms(), what, ident, value))

    def _read_adc(self, channel):
        power = self.powered_by.get(channel)
        value = 0 if power is not None and not self.pin_value(power) else self.adc[channel]()
        self._note("adc", channel, value)
        return int(value) & 0xFFFF

    def _feed(self):
        now = self.clock.ticks_ms()
        if now - self._last_feed > self.wdt_timeout:
            raise WatchdogReset("not fed for %d ms (timeout %d)" % (now - self._last_feed,
                                                                     self.wdt_timeout))
        self._last_feed = now
        self.wdt_feeds += 1

    def _build_machine(self):
        board = self
        mod = types.ModuleType("machine")

        class Pin:
            IN, OUT, PULL_UP, PULL_DOWN = 0, 1, 1, 2

            def __init__(self, ident, mode=-1, pull=-1, value=None):
                self.id = ident
                if value is not None:
                    self.value(value)

            def value(self, v=None):
                if v is None:
                    return board.pin_value(self.id)
                board.pins[self.id] = 1 if v else 0
                board._note("pin", self.id, board.pins[self.id])

            def on(self):
                self.value(1)

            def off(self):
                self.value(0)

        class ADC:
            ATTN_0DB, ATTN_2_5DB, ATTN_6DB, ATTN_11DB = 0, 1, 2, 3

            def __init__(self, source, atten=None):
                self.channel = source.id if isinstance(source, Pin) else source
                if self.channel not in board.adc:
                    raise ValueError("invalid ADC channel %r" % (self.channel,))

            def read_u16(self):
                return board._read_adc(self.channel)

        class WDT:
            def __init__(self, id=0, timeout=5000):
                board.wdt_timeout = timeout
                board._last_feed = board.clock.ticks_ms()

            def feed(self):
                board._feed()

        class RTC:
            def memory(self, data=None):
                if data is None:
                    return board.rtc_memory
                board.rtc_memory = bytes(data)

        def deepsleep(ms=0):
            board._note("deepsleep", None, ms)
            raise DeepSleep(ms)

        mod.Pin, mod.ADC, mod.WDT, mod.RTC = Pin, ADC, WDT, RTC
        mod.deepsleep = deepsleep
        mod.reset_cause = lambda: board.reset_cause
        mod.unique_id = lambda: b"\xe6\x61\x38\x52\x13\x4a\x2f\x2d"
        mod.PWRON_RESET, mod.HARD_RESET, mod.WDT_RESET = PWRON_RESET, HARD_RESET, WDT_RESET
        mod.DEEPSLEEP_RESET, mod.SOFT_RESET = DEEPSLEEP_RESET, SOFT_RESET
        return mod
