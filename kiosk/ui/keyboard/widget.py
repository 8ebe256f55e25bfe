"""The on-screen keyboard: big keys, one layout per language, a page of digits and signs.

It does not own the text: each key calls `on_text(chars)`, the delete key
`on_backspace()`. The globe key steps through the station's languages, so a
Turkish mother can write in Turkish while the screen is in German.
"""

from __future__ import annotations

from typing import Callable

from kivy.uix.boxlayout import BoxLayout

from kiosk.ui import theme
from kiosk.ui.i18n import _
from kiosk.ui.icons import Icon
from kiosk.ui.keyboard import layouts
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import KLabel, Tap


class Keyboard(BoxLayout):
    """Keys in rows; rebuilds itself when the layout, page or shift changes."""

    def __init__(self, *, lang: str, languages: tuple[str, ...], metrics, on_text: Callable[[str], None],
                 on_backspace: Callable[[], None], ui_lang: str, **kwargs):
        super().__init__(orientation="vertical", spacing=metrics.px(5), **kwargs)
        self.layout_lang = lang if lang in layouts.LAYOUTS else "en"
        self.languages = [code for code in languages if code in layouts.LAYOUTS] or ["en"]
        self.metrics = metrics
        self.ui_lang = ui_lang
        self.on_text = on_text
        self.on_backspace = on_backspace
        self.symbols = False
        self.shift = False
        self.keys: dict[str, Tap] = {}
        self.rebuild()

    # --- state --------------------------------------------------------------------------------
    def type(self, char: str) -> None:
        self.on_text(char)
        if self.shift:
            self.shift = False
            self.rebuild()

    def toggle_shift(self) -> None:
        self.shift = not self.shift
        self.rebuild()

    def toggle_symbols(self) -> None:
        self.symbols = not self.symbols
        self.shift = False
        self.rebuild()

    def next_layout(self) -> None:
        i = self.languages.index(self.layout_lang) if self.layout_lang in self.languages else -1
        self.layout_lang = self.languages[(i + 1) % len(self.languages)]
        self.symbols = False
        self.shift = False
        self.rebuild()

    # --- drawing ------------------------------------------------------------------------------
    def rebuild(self) -> None:
        self.clear_widgets()
        self.keys = {}
        m = self.metrics
        rows = layouts.rows(self.layout_lang, self.symbols, self.shift)
        has_case = layouts.HAS_CASE.get(self.layout_lang, False) and not self.symbols
        units = max(len(rows[0]), len(rows[1]), len(rows[2]) + 3)
        gap = m.px(5)
        font = m.font(26)
        key_lang = "ar" if self.layout_lang == "ar" and not self.symbols else "de"
        for r, row in enumerate(rows):
            line = BoxLayout(orientation="horizontal", spacing=gap)
            used = len(row) + (3 if r == 2 else 0)
            side = (units - used) / 2
            if side > 0:
                line.add_widget(BoxLayout(size_hint_x=side))
            if r == 2:
                if has_case:
                    line.add_widget(self._special("shift", self.toggle_shift, 1.5, selected=self.shift))
                else:
                    line.add_widget(BoxLayout(size_hint_x=1.5))
            for char in row:
                line.add_widget(self._key(char, key_lang, font))
            if r == 2:
                line.add_widget(self._special("backspace", self.on_backspace, 1.5))
            if side > 0:
                line.add_widget(BoxLayout(size_hint_x=side))
            self.add_widget(line)
        bottom = BoxLayout(orientation="horizontal", spacing=gap)
        bottom.add_widget(self._word("?123" if not self.symbols else "abc", self.toggle_symbols, 1.6, "symbols"))
        if len(self.languages) > 1:
            bottom.add_widget(self._globe(layouts.SHORT_NAMES.get(self.layout_lang, self.layout_lang.upper()), 1.8))
        space = Tap(bg=rgb(theme.CARD), border=rgb(theme.LINE), radius=m.px(8), size_hint_x=units - 5.4,
                    action=lambda: self.type(" "), tag="key: ")
        space.add_widget(KLabel(raw=_("space"), lang=self.ui_lang, color=rgb(theme.INK_SOFT), max_font=m.font(18),
                                min_font=m.shrink(18), align="center"))
        self.keys[" "] = space
        bottom.add_widget(space)
        bottom.add_widget(self._key("." if self.layout_lang != "ar" else "،", key_lang, font, weight=1))
        self.add_widget(bottom)

    def _key(self, char: str, lang: str, font: int, weight: float = 1) -> Tap:
        m = self.metrics
        key = Tap(bg=rgb(theme.CARD), border=rgb(theme.LINE), radius=m.px(8), size_hint_x=weight,
                  action=lambda c=char: self.type(c), tag=f"key:{char}", padding=m.px(2))
        key.add_widget(KLabel(raw=char, lang=lang, max_font=font, min_font=m.shrink(26), align="center", data=True))
        self.keys[char] = key
        return key

    def _special(self, icon: str, action, weight: float, selected: bool = False) -> Tap:
        m = self.metrics
        key = Tap(bg=rgb(theme.ACCENT_SOFT), border=rgb(theme.LINE), radius=m.px(8), size_hint_x=weight,
                  action=action, tag=f"key:{icon}", padding=m.px(8), selected=selected)
        key.add_widget(Icon(name=icon, colour=rgb(theme.INK), mirror=icon == "backspace" and self.layout_lang == "ar"))
        self.keys[icon] = key
        return key

    def _word(self, word: str, action, weight: float, tag: str) -> Tap:
        m = self.metrics
        key = Tap(bg=rgb(theme.ACCENT_SOFT), border=rgb(theme.LINE), radius=m.px(8), size_hint_x=weight,
                  action=action, tag=f"key:{tag}", padding=m.px(4))
        key.add_widget(KLabel(raw=word, lang="en", max_font=m.font(20), min_font=m.shrink(20), align="center",
                              data=True, bold=True))
        self.keys[tag] = key
        return key

    def _globe(self, short: str, weight: float) -> Tap:
        m = self.metrics
        key = Tap(orientation="horizontal", bg=rgb(theme.ACCENT_SOFT), border=rgb(theme.LINE), radius=m.px(8),
                  size_hint_x=weight, action=self.next_layout, tag="key:layout", padding=m.px(6), spacing=m.px(4))
        key.add_widget(Icon(name="globe", colour=rgb(theme.INK), size_hint_x=0.4))
        key.add_widget(KLabel(raw=short, lang="ar" if short == "ع" else "uk" if short == "УКР" else "en",
                              max_font=m.font(18), min_font=m.shrink(18), align="center", data=True, bold=True,
                              size_hint_x=0.6))
        self.keys["layout"] = key
        return key
