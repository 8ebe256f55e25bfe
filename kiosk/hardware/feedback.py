"""Light and sound at the book booth: a green LED, a red LED and a buzzer through gpiozero.

Each moment a child meets has its own short pattern, so the booth can be used
without reading a screen:

| pattern      | green LED           | red LED           | buzzer              |
| ------------ | ------------------- | ----------------- | ------------------- |
| session      | one 0.4 s glow      | –                 | one short pip       |
| reminder     | one 0.4 s glow      | two quick blinks  | one short pip       |
| checkout     | two quick blinks    | –                 | two short pips      |
| return       | one long 0.8 s glow | –                 | one longer beep     |
| session_end  | one flash           | –                 | –                   |
| nothing      | one flash           | –                 | –                   |
| denied       | –                   | three blinks      | one long 0.6 s buzz |
| register     | two blinks          | two blinks        | three pips          |

Patterns run in gpiozero's background threads, so `show()` returns at once; a new
pattern replaces one still running. Devices take a `pin_factory`: tests and the
demo use gpiozero's MockFactory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from gpiozero import LED, Buzzer


@dataclass(frozen=True)
class Blink:
    on: float
    off: float
    n: int


@dataclass(frozen=True)
class Pattern:
    green: Blink | None = None
    red: Blink | None = None
    buzzer: Blink | None = None


PATTERNS = {
    "session": Pattern(green=Blink(0.4, 0.1, 1), buzzer=Blink(0.08, 0.05, 1)),
    "reminder": Pattern(green=Blink(0.4, 0.1, 1), red=Blink(0.15, 0.15, 2), buzzer=Blink(0.08, 0.05, 1)),
    "checkout": Pattern(green=Blink(0.15, 0.1, 2), buzzer=Blink(0.06, 0.06, 2)),
    "return": Pattern(green=Blink(0.8, 0.1, 1), buzzer=Blink(0.25, 0.05, 1)),
    "session_end": Pattern(green=Blink(0.1, 0.1, 1)),
    "nothing": Pattern(green=Blink(0.1, 0.1, 1)),
    "denied": Pattern(red=Blink(0.2, 0.15, 3), buzzer=Blink(0.6, 0.1, 1)),
    "register": Pattern(green=Blink(0.2, 0.2, 2), red=Blink(0.2, 0.2, 2), buzzer=Blink(0.05, 0.05, 3)),
}


class Feedback:
    """The booth's LEDs and buzzer. `show(kind)` plays one of PATTERNS; raises KeyError for others.

    Pins are BCM numbers. gpiozero raises its own errors (e.g. BadPinFactory) when
    no pin library is usable.
    """

    def __init__(self, green: int, red: int, buzzer: int, *, pin_factory=None):
        self.green = LED(green, pin_factory=pin_factory)
        try:
            self.red = LED(red, pin_factory=pin_factory)
            self.buzzer = Buzzer(buzzer, pin_factory=pin_factory)
        except BaseException:
            self.green.close()
            raise

    def show(self, kind: str) -> None:
        pattern = PATTERNS[kind]
        for device, blink in ((self.green, pattern.green), (self.red, pattern.red),
                              (self.buzzer, pattern.buzzer)):
            if blink is None:
                device.off()
            elif isinstance(device, Buzzer):
                device.beep(blink.on, blink.off, blink.n, background=True)
            else:
                device.blink(blink.on, blink.off, blink.n, background=True)

    def off(self) -> None:
        for device in (self.green, self.red, self.buzzer):
            device.off()

    def close(self) -> None:
        for device in (self.green, self.red, self.buzzer):
            device.close()

    def __enter__(self) -> "Feedback":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self.green.closed:
            return "<Feedback closed>"
        return f"<Feedback green={self.green.pin} red={self.red.pin} buzzer={self.buzzer.pin}>"


def pin_factory_for(reader: str):
    """The pin factory the booth uses: gpiozero's MockFactory with the emulated reader
    (demo, tests), unless GPIOZERO_PIN_FACTORY names one; else gpiozero's default (None)."""
    if reader == "emulated" and not os.environ.get("GPIOZERO_PIN_FACTORY"):
        from gpiozero.pins.mock import MockFactory
        return MockFactory()
    return None


def from_config(booth) -> Feedback:
    """Feedback on the pins of a BoothConfig."""
    return Feedback(booth.led_green, booth.led_red, booth.buzzer, pin_factory=pin_factory_for(booth.reader))
