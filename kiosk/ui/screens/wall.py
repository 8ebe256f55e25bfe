"""The ideas wall: approved ideas with their status and a +1 each visitor can give once per visit.

A RecycleView keeps only the visible rows as widgets, so 10,000 ideas scroll as
smoothly as ten; more ideas load page by page as the list nears its end.
"""

from __future__ import annotations

import logging

from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.recycleboxlayout import RecycleBoxLayout
from kivy.uix.recycleview import RecycleView
from kivy.uix.recycleview.views import RecycleDataViewBehavior

from kiosk.errors import KioskError
from kiosk.ideas.moderation import STATUS_WORDS
from kiosk.ui import theme
from kiosk.ui.i18n import _, ngettext
from kiosk.ui.icons import Icon
from kiosk.ui.screens import KScreen
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import KLabel, Panel, ScissorClip, Tap, button, hbox

log = logging.getLogger(__name__)

PAGE = 500
STATUS_COLOURS = {"new": theme.BAR, "in_progress": theme.ORANGE, "implemented": theme.GREEN,
                  "not_possible": theme.INK_SOFT}
ROW_HEIGHT, ANSWERED_ROW_HEIGHT = 92, 136


class IdeaRow(RecycleDataViewBehavior, Panel):
    """One idea on the wall (a recycled view: its widgets are made once and refilled)."""

    idea_id = NumericProperty(0)
    screen = ObjectProperty(None, allownone=True)
    ready = BooleanProperty(False)
    lang = StringProperty("de")

    def __init__(self, **kwargs):
        super().__init__(orientation="horizontal", **kwargs)
        self.bg = rgb(theme.CARD)
        self.border = rgb(theme.LINE)
        self.icon = Icon(name="idea", colour=rgb(theme.ORANGE), size_hint_x=None, cached=True)
        self.words = KLabel(raw="", data=True, ellipsis=True)
        self.answer = KLabel(raw="", color=rgb(theme.TEAL), data=True, ellipsis=True, size_hint_y=None, height=0)
        self.texts = BoxLayout(orientation="vertical")
        self.texts.add_widget(self.words)
        self.texts.add_widget(self.answer)
        self.badge = Panel(size_hint_x=None)
        self.badge_label = KLabel(raw="", color=rgb(theme.ON_DARK), bold=True, align="center", shared=True)
        self.badge_icon = Icon(name="star", colour=rgb(theme.ON_DARK), size_hint_y=0.45, cached=True)
        self.badge.orientation = "vertical"
        self.badge.add_widget(self.badge_icon)
        self.badge.add_widget(self.badge_label)
        self.plus = Tap(orientation="vertical", size_hint_x=None, bg=rgb(theme.CARD), border=rgb(theme.ORANGE))
        self.plus_label = KLabel(raw="", color=rgb(theme.ORANGE), bold=True, align="center", data=True,
                                 shared=True)
        self.plus_icon = Icon(name="plus", colour=rgb(theme.ORANGE), size_hint_y=0.5, cached=True)
        self.plus.add_widget(self.plus_icon)
        self.plus.add_widget(self.plus_label)
        self._order = None

    def refresh_view_attrs(self, rv, index, data):
        m = data["metrics"]
        rtl = data["rtl"]
        order = (rtl, m.scale, m.text)
        if order != self._order:
            self._order = order
            self.clear_widgets()
            self.padding = m.px(8)
            self.spacing = m.px(10)
            self.radius = m.px(12)
            self.icon.width = m.px(44)
            self.badge.width = m.px(126)
            self.badge.radius = m.px(10)
            self.badge.padding = m.px(4)
            self.plus.width = m.px(84)
            self.plus.radius = m.px(12)
            self.plus.padding = m.px(4)
            self.words.max_font, self.words.min_font = m.font(20), m.shrink(20)
            self.answer.max_font, self.answer.min_font = m.font(18), m.shrink(18)
            self.badge_label.max_font, self.badge_label.min_font = m.font(18), m.shrink(18)
            self.plus_label.max_font, self.plus_label.min_font = m.font(20), m.shrink(20)
            parts = [self.icon, self.texts, self.badge, self.plus]
            for part in (parts[::-1] if rtl else parts):
                self.add_widget(part)
        self.idea_id = data["idea_id"]
        self.screen = data["screen"]
        self.icon.name = data["category"]
        self.words.lang = data["lang"]
        self.words.raw = data["text"]
        self.answer.lang = data["lang"]
        self.answer.raw = data["answer_words"]
        self.answer.height = m.px(ANSWERED_ROW_HEIGHT - ROW_HEIGHT) if data["answer_words"] else 0
        self.badge.bg = rgb(STATUS_COLOURS.get(data["status"], theme.BAR))
        self.badge_icon.name = data["status"]
        self.badge_label.lang = data["lang"]
        self.badge_label.raw = data["status_words"]
        self.plus_label.raw = f"+{data['plus_ones']}"
        self.plus.selected = data["given"]
        self.plus.action = lambda i=data["idea_id"]: self.screen.plus_one(i)
        self.plus.tag = f"plus:{data['idea_id']}"
        return super().refresh_view_attrs(rv, index, data)


class WallList(ScissorClip, RecycleView):
    def __init__(self, screen, **kwargs):
        super().__init__(**kwargs)
        self.screen = screen
        m = screen.m
        layout = RecycleBoxLayout(orientation="vertical", default_size=(None, m.px(ROW_HEIGHT)),
                                  default_size_hint=(1, None), key_size="size", size_hint_y=None, spacing=m.px(8))
        layout.bind(minimum_height=layout.setter("height"))
        self.add_widget(layout)
        self.viewclass = IdeaRow          # after the layout manager exists, or Kivy drops it
        self.bar_width = m.px(10)
        self.scroll_type = ["bars", "content"]
        self.bind(scroll_y=self._near_end)

    def _near_end(self, *_):
        if self.scroll_y < 0.05:
            self.screen.load_more()


class WallScreen(KScreen):
    key = "wall"
    free_text = True

    def __init__(self, app, **kwargs):
        super().__init__(app, **kwargs)
        self.ideas: list = []
        self.total = 0
        self.given: set[int] = set()
        self.visit = None
        self.list: WallList | None = None

    def title(self) -> str:
        return _("Ideas wall")

    def build(self):
        m, app, rtl = self.m, self.app, self.rtl
        if self.visit != app.visit:
            self.visit, self.given = app.visit, set()
        self._load()
        root = BoxLayout(orientation="vertical", padding=m.gap, spacing=m.gap)
        head_words = self.label(_("Ideas from the neighbourhood. Tap +1 if you like one."), 20, theme.INK,
                                bold=True)
        count = self.label(ngettext("{n} idea", "{n} ideas", self.total).format(n=self.total), 18, theme.INK_SOFT,
                           align="end", size_hint_x=0.3)
        new = button(text=_("Your idea"), lang=self.lang, colour=rgb(theme.ORANGE), fg=rgb(theme.ON_DARK),
                     font=m.font(20), min_font=m.shrink(20), icon="idea", rtl=rtl, action=lambda: app.go("idea"),
                     tag="new_idea",
                     size_hint_x=None, width=m.px(190), radius=m.px(12))
        root.add_widget(hbox([head_words, count, new], rtl, spacing=m.gap, size_hint_y=None, height=m.touch))
        if app.ideas is None:
            root.add_widget(self.label(_("The ideas wall is resting right now."), 24, theme.INK_SOFT, align="center"))
            return root
        if not self.ideas:
            root.add_widget(self.label(_("No ideas here yet. Be the first!"), 26, theme.INK_SOFT, align="center"))
            return root
        self.list = WallList(self)
        self.list.data = self._data()
        root.add_widget(self.list)
        return root

    def _load(self) -> None:
        self.ideas = []
        self.total = 0
        if self.app.ideas is None:
            return
        try:
            self.total = self.app.ideas.count_wall()
            self.ideas = list(self.app.ideas.wall(PAGE, 0))
        except KioskError as exc:
            log.warning("ideas wall unavailable: %s", exc)

    def load_more(self) -> None:
        if self.app.ideas is None or len(self.ideas) >= self.total or self.list is None:
            return
        try:
            more = list(self.app.ideas.wall(PAGE, len(self.ideas)))
        except KioskError as exc:
            log.warning("ideas wall unavailable: %s", exc)
            return
        if more:
            start = len(self.ideas)
            self.ideas.extend(more)
            self.list.data.extend(self._data(start))

    def _data(self, start: int = 0) -> list[dict]:
        m, lang, rtl = self.m, self.lang, self.rtl
        words = {key: _(value) for key, value in STATUS_WORDS.items()}
        return [{"idea_id": idea.id, "text": idea.text, "category": idea.category, "status": idea.status,
                 "status_words": words.get(idea.status, words["new"]), "plus_ones": idea.plus_ones,
                 "answer_words": _("Our answer: {answer}").format(answer=idea.answer) if idea.answer else "",
                 "size": (None, m.px(ANSWERED_ROW_HEIGHT if idea.answer else ROW_HEIGHT)),
                 "given": idea.id in self.given, "metrics": m, "lang": lang, "rtl": rtl, "screen": self}
                for idea in self.ideas[start:]]

    def plus_one(self, idea_id: int) -> None:
        if idea_id in self.given or self.app.ideas is None:
            return
        try:
            added = self.app.ideas.plus_one(idea_id, self.app.visit)
        except KioskError as exc:
            log.warning("+1 not stored: %s", exc)
            return
        self.given.add(idea_id)
        self.app.usage.plus_one(added)
        for i, row in enumerate(self.list.data if self.list else []):
            if row["idea_id"] == idea_id:
                row = dict(row, given=True, plus_ones=row["plus_ones"] + (1 if added else 0))
                self.list.data[i] = row
                break

    def reset(self) -> None:
        self.given = set()
        self.visit = None

    def speech_text(self) -> str:
        return ". ".join([_("Ideas from the neighbourhood. Tap +1 if you like one.")] +
                         [idea.text for idea in self.ideas[:5]])
