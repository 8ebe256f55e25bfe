"""The dimmed screen: a dark veil over everything, and the backlight turned down where it can be."""

from __future__ import annotations

from kivy.graphics import Color, Rectangle
from kivy.uix.widget import Widget

from kiosk.hardware.backlight import Backlight


class Dimmer(Widget):
    """A dark veil over everything (and the backlight turned down where the Pi lets us).

    While dimmed it takes every touch: the waking touch does nothing else.
    """

    def __init__(self, backlight: Backlight | None = None, **kwargs):
        super().__init__(**kwargs)
        self.active = False
        # Drawn only while dimmed: a transparent veil would still cost a full layer of pixels.
        self._colour = Color(0, 0, 0, 0.85)
        self._rect = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._paint, size=self._paint)
        self._backlight = backlight

    def _paint(self, *_):
        self._rect.pos, self._rect.size = self.pos, self.size

    def set(self, dim: bool) -> None:
        if dim == self.active:
            return
        self.active = dim
        if dim:
            self.canvas.add(self._colour)
            self.canvas.add(self._rect)
        else:
            self.canvas.clear()
        if self._backlight is not None:
            self._backlight.set_dim(dim)

    def on_touch_down(self, touch):
        return self.active

    def on_touch_move(self, touch):
        return self.active

    def on_touch_up(self, touch):
        return self.active
