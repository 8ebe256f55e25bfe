"""The kiosk's screens, one module each; `Screens` makes each when it is first needed.

Every screen is rebuilt from the app's state whenever the language, the text
size or the screen size changes (`rebuild()`), so no widget keeps a stale word.
"""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kiosk.ui import text, theme
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import KLabel, ScrollBox, hbox


class Query:
    """What the visitor picked in the offers finder: today only, and/or an audience, and/or a topic.

    It lives here, not in .offers, so the app can hold one without importing the offers screens
    before the first frame."""

    def __init__(self) -> None:
        self.today = False
        self.audience: str | None = None
        self.topic: str | None = None
        self.offer_id: str | None = None

    def clear(self) -> None:
        self.__init__()


class KScreen(Screen):
    """Base of every screen: a rebuild hook and what to read aloud. (The paper background is the
    window's clear colour, set by the app: a full-screen rectangle per screen would cost a whole
    extra layer of pixels every frame.)"""

    key = ""

    def __init__(self, app, **kwargs):
        super().__init__(name=self.key, **kwargs)
        self.app = app
        self.dirty = True

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
        if kwargs.get("grow"):
            kwargs.setdefault("size_hint_y", None)
        return KLabel(raw=raw, lang=lang or self.lang, color=rgb(colour) if isinstance(colour, str) else colour,
                      max_font=self.m.font(size), min_font=self.m.shrink(size, min_size), bold=bold,
                      align=align, data=data, **kwargs)

    def row_for(self, label: KLabel, children: list, least: float = 0, **kwargs):
        """A row of `children` (icons and a `grow` label) as high as the label's text needs, at least `least`."""
        row = hbox(children, self.rtl, size_hint_y=None, height=max(least, label.wanted_height), **kwargs)
        label.size_hint_y = 1
        label.bind(wanted_height=lambda _l, h: setattr(row, "height", max(least, h)))
        return row

    def column(self, children: list, spacing: float, **kwargs) -> ScrollBox:
        """Rows of fixed or text-grown heights, one under the other, scrolling when they need more room
        than there is (large text): the scroll bar shows that more is below."""
        # Kivy draws the bar on the right, over the content: the words keep clear of it
        box = BoxLayout(orientation="vertical", size_hint_y=None, spacing=spacing, padding=(0, 0, self.m.px(14), 0))
        box.bind(minimum_height=box.setter("height"))
        for child in children:
            box.add_widget(child)
        scroll = ScrollBox(do_scroll_x=False, bar_width=self.m.px(8), scroll_type=["bars", "content"], **kwargs)
        scroll.add_widget(box)
        return scroll

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

    # Read aloud, the screen speaks free text (offers, ideas), not only the interface's own texts.
    free_text = False

    def speech_text(self) -> str:
        """What read-aloud says here; called inside `i18n.current.speaking()`, so `_()` gives spoken versions."""
        return self.title()

    def reset(self) -> None:
        """Forget what this visitor did (idle reset)."""

    def tick(self) -> None:
        """Called once a second while shown."""

    def live_changed(self, kind: str, key) -> None:
        """Data from the bus changed (UI thread)."""


# Every screen by name: (module, class). Modules are imported only when their screen is made.
SCREEN_CLASSES = {
    "home": ("home", "HomeScreen"), "offers": ("offers", "OffersScreen"), "offer_list": ("offers", "OfferListScreen"),
    "offer": ("offers", "OfferScreen"), "idea": ("idea", "IdeaScreen"), "idea_text": ("idea", "IdeaTextScreen"),
    "idea_contact": ("idea", "IdeaContactScreen"), "idea_thanks": ("idea", "IdeaThanksScreen"),
    "wall": ("wall", "WallScreen"), "booth": ("booth", "BoothScreen"), "herbs": ("herbs", "HerbsScreen"),
    "staff_pin": ("staff", "StaffPinScreen"), "staff": ("staff", "StaffScreen"),
}


class Screens:
    """The app's screens by name, each made (and added to the screen manager) when first built.

    Only the home screen is needed for the first frame; importing and making the other twelve
    would only delay it. `known` names every screen; `build(name)` gives one, making it on first
    use; `built()` and `if_built(name)` see only the screens made so far, which is what relayout,
    idle reset and live updates need: a screen not yet made has nothing stale to refresh.
    """

    known = frozenset(SCREEN_CLASSES)

    def __init__(self, app, manager):
        self.app = app
        self.manager = manager
        self._made: dict[str, KScreen] = {}

    def build(self, name: str) -> KScreen:
        """The screen `name`, made now if it was not yet; KeyError for an unknown name."""
        screen = self._made.get(name)
        if screen is None:
            if name not in self.known:
                raise KeyError(f"no screen {name!r}")
            import importlib

            module, cls = SCREEN_CLASSES[name]
            screen = getattr(importlib.import_module(f"kiosk.ui.screens.{module}"), cls)(self.app)
            self._made[name] = screen
            self.manager.add_widget(screen)
        return screen

    def if_built(self, name: str) -> KScreen | None:
        """The screen `name` if it has been made, else None (nothing is made)."""
        return self._made.get(name)

    def built(self) -> list[KScreen]:
        """The screens made so far."""
        return list(self._made.values())

    def build_all(self) -> None:
        for name in SCREEN_CLASSES:
            self.build(name)
