"""The bar on top of every screen: home, back, the screen's title, large text, language, read aloud."""

from __future__ import annotations

from kivy.graphics import Color, Rectangle
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui import text, theme
from kiosk.ui.i18n import _, LANGUAGE_NAMES
from kiosk.ui.icons import Icon
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import KLabel, Tap, button


class TopBar(BoxLayout):
    """Home, back, the screen's title, large text, language and read aloud — on every screen."""

    def __init__(self, app, **kwargs):
        super().__init__(orientation="horizontal", size_hint_y=None, **kwargs)
        self.app = app
        with self.canvas.before:
            Color(*rgb(theme.BAR))
            self._bg = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._paint, size=self._paint)
        self.buttons: dict[str, Tap] = {}
        self.title: KLabel | None = None

    def _paint(self, *_):
        self._bg.pos, self._bg.size = self.pos, self.size

    def rebuild(self) -> None:
        app, m = self.app, self.app.metrics
        self.clear_widgets()
        self.buttons.clear()
        self.height = m.bar
        self.padding = m.px(5)
        self.spacing = m.px(4)
        lang, rtl = app.lang, text.is_rtl(app.lang)
        compact = m.width / m.scale < 700
        fg = rgb(theme.ON_DARK)
        font = m.font(19)
        on_home = app.current == "home"

        def bar_button(tag, icon, words, action, width_units, selected=False, data=False, icon_only=False):
            # Switched on (A+), a button turns gold with dark ink: an outline alone is too easy to miss.
            fill, ink = (rgb(theme.GOLD), rgb(theme.BAR)) if selected else (rgb(theme.BAR), fg)
            if compact or icon_only:
                b = Tap(bg=fill, radius=m.px(10), padding=m.px(9), action=action, tag=tag,
                        size_hint_x=None, width=m.touch + m.px(2), border=rgb(theme.BAR_LINE), selected=selected)
                b.add_widget(Icon(name=icon, colour=ink, mirror=rtl and icon == "back"))
            else:
                b = button(text=words, lang=lang, colour=fill, fg=ink, action=action, font=font,
                           icon=icon, rtl=rtl, tag=tag, size_hint_x=None, width=m.px(width_units),
                           min_font=m.least, pad=m.px(5), icon_width=m.px(27),
                           border=rgb(theme.BAR_LINE), selected=selected, data=data)
            self.buttons[tag] = b
            return b

        left = [bar_button("home", "home", _("Start"), app.go_home, 140)]
        if not on_home:
            left.append(bar_button("back", "back", _("Back"), app.back, 58, icon_only=True))
        self.title = KLabel(raw=app.screen_title(), lang=lang, color=fg, max_font=m.font(24), min_font=m.least,
                            bold=True, align="center")
        right = [bar_button("textsize", "textsize", _("Bigger text"), app.toggle_large_text, 58,
                            selected=app.large_text, icon_only=True),
                 bar_button("language", "globe", LANGUAGE_NAMES.get(lang, lang), app.choose_language, 160, data=True)]
        if app.can_read_aloud():
            # Hidden rather than noise: in Arabic on screens of free text (kiosk.languages.reads_free_text).
            right.append(bar_button("speak", "speaker", _("Read aloud"), app.read_aloud, 190))
        for widget in (right[::-1] + [self.title] + left[::-1]) if rtl else (left + [self.title] + right):
            self.add_widget(widget)

    def set_title(self, title: str) -> None:
        if self.title is not None:
            self.title.raw = title
