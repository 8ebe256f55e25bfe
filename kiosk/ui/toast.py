"""A short message over the bottom of any screen (a booth tap while the visitor is elsewhere)."""

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

    def show(self, message: str, lang: str, m: Metrics, root, index: int = 1) -> None:
        """Show `message` (text from outside: never markup) in `root` at widget `index`."""
        self.clear_widgets()
        self.padding = m.px(10)
        self.add_widget(Icon(name="book", colour=rgb(theme.ON_DARK), size_hint_x=None, width=m.px(48)))
        self.add_widget(KLabel(raw=message, lang=lang, color=rgb(theme.ON_DARK), max_font=m.font(22),
                               min_font=m.font(14), bold=True, data=True))
        if self.parent is None:
            root.add_widget(self, index=index)
        self.place(m)
        if self._hide_event is not None:
            self._hide_event.cancel()
        self._hide_event = Clock.schedule_once(self.hide, TOAST_S)

    def hide(self, *_) -> None:
        if self.parent is not None:
            self.parent.remove_widget(self)

    def place(self, m: Metrics) -> None:
        self.size = (min(m.width - 2 * m.gap, m.px(640)), m.px(96))
        self.pos = ((m.width - self.width) / 2, m.gap)
