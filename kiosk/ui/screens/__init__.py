"""The kiosk's screens, one module each; `make_screens(app)` creates them all.

Every screen is rebuilt from the app's state whenever the language, the text
size or the screen size changes (`rebuild()`), so no widget keeps a stale word.
"""

from __future__ import annotations

from kivy.graphics import Color, Rectangle
from kivy.uix.screenmanager import Screen

from kiosk.ui import text, theme
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import KLabel


class KScreen(Screen):
    """Base of every screen: a paper background, a rebuild hook and what to read aloud."""

    key = ""

    def __init__(self, app, **kwargs):
        super().__init__(name=self.key, **kwargs)
        self.app = app
        self.dirty = True
        with self.canvas.before:
            Color(*rgb(theme.PAPER))
            self._bg = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._paint, size=self._paint)

    def _paint(self, *_):
        self._bg.pos, self._bg.size = self.pos, self.size

    # --- shortcuts -----------------------------------------------------------------------------
    @property
    def m(self):
        return self.app.metrics

    @property
    def lang(self) -> str:
        return self.app.lang

    @property
    def rtl(self) -> bool:
        return text.is_rtl(self.app.lang)

    def label(self, raw: str, size: float = 22, colour=theme.INK, bold: bool = False, align: str = "start",
              data: bool = False, min_size: float | None = None, lang: str | None = None, **kwargs) -> KLabel:
        return KLabel(raw=raw, lang=lang or self.lang, color=rgb(colour) if isinstance(colour, str) else colour,
                      max_font=self.m.font(size), min_font=self.m.font(min_size or size * 0.6), bold=bold,
                      align=align, data=data, **kwargs)

    # --- hooks -----------------------------------------------------------------------------------
    def title(self) -> str:
        return ""

    def rebuild(self) -> None:
        self.clear_widgets()
        self.dirty = False
        content = self.build()
        if content is not None:
            self.add_widget(content)
        if self.app.current == self.name and getattr(self.app, "bar", None) is not None:
            self.app.bar.set_title(self.title())

    def build(self):
        return None

    def speech_text(self) -> str:
        return self.title()

    def reset(self) -> None:
        """Forget what this visitor did (idle reset)."""

    def tick(self) -> None:
        """Called once a second while shown."""

    def live_changed(self, kind: str, key) -> None:
        """Data from the bus changed (UI thread)."""


def make_screens(app) -> list[KScreen]:
    from kiosk.ui.screens.booth import BoothScreen
    from kiosk.ui.screens.herbs import HerbsScreen
    from kiosk.ui.screens.home import HomeScreen
    from kiosk.ui.screens.idea import IdeaContactScreen, IdeaScreen, IdeaTextScreen, IdeaThanksScreen
    from kiosk.ui.screens.offers import OfferListScreen, OfferScreen, OffersScreen
    from kiosk.ui.screens.staff import StaffPinScreen, StaffScreen
    from kiosk.ui.screens.wall import WallScreen

    return [cls(app) for cls in (HomeScreen, OffersScreen, OfferListScreen, OfferScreen, IdeaScreen, IdeaTextScreen,
                                 IdeaContactScreen, IdeaThanksScreen, WallScreen, BoothScreen, HerbsScreen,
                                 StaffPinScreen, StaffScreen)]
