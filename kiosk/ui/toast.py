"""A short message over any screen (a booth tap while the visitor is elsewhere).

Usually it lies over the bottom of the screen. While the on-screen keyboard is open the bottom is
the keyboard, so the message lies over the top bar instead (`place(m, over_bar=True)`): for its few
seconds it hides the bar's buttons, not the keys a person is typing on. A tap on the message closes
it and goes no further: it never types the letter or presses the button under it.
"""

from __future__ import annotations

from kivy.clock import Clock

from kiosk.ui import theme
from kiosk.ui.icons import Icon
from kiosk.ui.theme import Metrics, rgb
from kiosk.ui.widgets import KLabel, Panel

TOAST_S = 8.0


class Toast(Panel):
    """Shown for TOAST_S seconds under the dimming veil; a new message replaces the one shown.

    On screen only while shown: even at opacity 0 Kivy would draw it every frame.
    """

    def __init__(self, **kwargs):
        super().__init__(orientation="horizontal", size_hint=(None, None), bg=rgb(theme.PURPLE), **kwargs)
        self._hide_event = None
        self.over_bar = False

    def show(self, message: str, lang: str, m: Metrics, root, index: int = 1, over_bar: bool = False) -> None:
        """Show `message` (text from outside: never markup) in `root` at widget `index`."""
        self.clear_widgets()
        self.add_widget(Icon(name="book", colour=rgb(theme.ON_DARK), size_hint_x=None, width=m.px(48)))
        self.add_widget(KLabel(raw=message, lang=lang, color=rgb(theme.ON_DARK), max_font=m.font(22),
                               min_font=m.shrink(22), bold=True, data=True))
        if self.parent is None:
            root.add_widget(self, index=index)
        self.place(m, over_bar)
        if self._hide_event is not None:
            self._hide_event.cancel()
        self._hide_event = Clock.schedule_once(self.hide, TOAST_S)

    def hide(self, *_) -> None:
        if self._hide_event is not None:
            self._hide_event.cancel()
            self._hide_event = None
        if self.parent is not None:
            self.parent.remove_widget(self)

    def place(self, m: Metrics, over_bar: bool | None = None) -> None:
        """Lay the message over the bottom of the screen, or over the top bar (`over_bar`)."""
        if over_bar is not None:
            self.over_bar = over_bar
        if self.over_bar:
            self.padding = (m.px(10), m.px(4))
            self.size = (m.width, m.bar)
            self.pos = (0, m.height - m.bar)
        else:
            self.padding = m.px(10)
            self.size = (min(m.width - 2 * m.gap, m.px(640)), m.px(96))
            self.pos = ((m.width - self.width) / 2, m.gap)

    def on_touch_down(self, touch):
        if self.parent is not None and self.collide_point(*touch.pos):
            self.hide()
            return True
        return super().on_touch_down(touch)
