""""Are you still there?": the notice before the idle reset (the rule is kiosk.ui.idle's).

It lies over the whole screen under the dimming veil. A touch anywhere keeps everything and goes no
further (kiosk.ui.app takes it), so a finger meant for the notice does not type a letter.
"""

from __future__ import annotations

from kivy.graphics import Color, Rectangle
from kivy.uix.floatlayout import FloatLayout

from kiosk.ui import theme
from kiosk.ui.i18n import _, ngettext
from kiosk.ui.icons import Icon
from kiosk.ui.theme import Metrics, rgb
from kiosk.ui.widgets import KLabel, Panel


class IdleWarning(FloatLayout):
    """A veil with a card: the question and the seconds left. On screen only while shown."""

    def __init__(self, **kwargs):
        super().__init__(size_hint=(None, None), **kwargs)
        with self.canvas.before:
            Color(*rgb(theme.INK, 0.6))
            self._veil = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._paint, size=self._paint)
        self.card = Panel(orientation="vertical", bg=rgb(theme.CARD), border=rgb(theme.BAR), size_hint=(None, None))
        self.question = KLabel(bold=True, align="center")
        self.countdown = KLabel(align="center", color=rgb(theme.INK))
        self.icon = Icon(name="clock", colour=rgb(theme.BAR), size_hint_y=0.3)
        for widget in (self.icon, self.question, self.countdown):
            self.card.add_widget(widget)
        self.add_widget(self.card)
        self.seconds = 0

    def _paint(self, *_):
        self._veil.pos, self._veil.size = self.pos, self.size

    @property
    def shown(self) -> bool:
        return self.parent is not None

    def show(self, seconds: int, lang: str, m: Metrics, root, index: int = 1) -> None:
        """Show (or update) the notice with `seconds` left, in `lang`."""
        self.seconds = seconds
        self.question.lang = self.countdown.lang = lang
        self.question.raw, self.countdown.raw = self._words()
        if self.parent is None:
            root.add_widget(self, index=index)
        self.place(m)

    def _words(self) -> tuple[str, str]:
        return (_("Are you still there? Tap to continue."),
                ngettext("Back to the start in {n} second.", "Back to the start in {n} seconds.",
                         self.seconds).format(n=self.seconds))

    def speech_text(self) -> str:
        """The notice as read aloud (called inside `i18n.current.speaking()` for the spoken versions)."""
        return " ".join(self._words())

    def hide(self) -> None:
        if self.parent is not None:
            self.parent.remove_widget(self)

    def place(self, m: Metrics) -> None:
        self.size = (m.width, m.height)
        self.pos = (0, 0)
        self.card.size = (min(m.width - 2 * m.gap, m.px(600)), min(m.height - 2 * m.gap, m.px(300)))
        self.card.pos = ((m.width - self.card.width) / 2, (m.height - self.card.height) / 2)
        self.card.padding = m.px(16)
        self.card.spacing = m.px(8)
        self.card.radius = m.px(16)
        self.question.max_font, self.question.min_font = m.font(30), m.shrink(30, 20)
        self.countdown.max_font, self.countdown.min_font = m.font(24), m.shrink(24, 18)

    def on_touch_down(self, touch):
        return self.shown or super().on_touch_down(touch)
