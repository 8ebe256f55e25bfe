# MicroPython-side stand-in for `machine`, for the firmware run on real MicroPython in tests.
# ADC_VALUES[channel] is an iterator of raw values the script sets up.
ADC_VALUES = {}
PINS = {}
FEEDS = [0]
WDT_TIMEOUT = [None]
RTC_MEMORY = [b""]
RESET_CAUSE = [1]
PWRON_RESET, HARD_RESET, WDT_RESET, DEEPSLEEP_RESET, SOFT_RESET = 1, 2, 3, 4, 5


class DeepSleep(Exception):
    pass


class Pin:
    IN, OUT = 0, 1

    def __init__(self, ident, mode=-1, pull=-1, value=None):
        self.id = ident
        if value is not None:
            self.value(value)

    def value(self, v=None):
        if v is None:
            return PINS.get(self.id, 0)
        PINS[self.id] = 1 if v else 0


class ADC:
    ATTN_11DB = 3

    def __init__(self, source, atten=None):
        self.channel = source.id if isinstance(source, Pin) else source

    def read_u16(self):
        return next(ADC_VALUES[self.channel])


class WDT:
    def __init__(self, id=0, timeout=5000):
        WDT_TIMEOUT[0] = timeout

    def feed(self):
        FEEDS[0] += 1


class RTC:
    def memory(self, data=None):
        if data is None:
            return RTC_MEMORY[0]
        RTC_MEMORY[0] = bytes(data)


def reset_cause():
    return RESET_CAUSE[0]


def deepsleep(ms=0):
    raise DeepSleep(ms)
