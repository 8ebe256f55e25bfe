"""Book booth: how borrowing works, and what just happened at the reader (from booth/events)."""

from __future__ import annotations

from datetime import datetime

from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image

from kiosk.booth.messages import BoothEvent
from kiosk.clock import parse_iso
from kiosk.desk.covers import cover_path
from kiosk.offers.spoken import spoken_date
from kiosk.offers.when import format_date
from kiosk.ui import theme
from kiosk.ui.i18n import _, ngettext
from kiosk.ui.icons import Icon
from kiosk.ui.screens import KScreen
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import KLabel, Panel

SHOW_EVENT_S = 120          # an event stays on screen this long


def stale_text(app, service: str, received: float | None) -> str:
    """"Not quite up to date (as of 14:32)" when the bus or the service is away, else ""."""
    if app.live.is_current(service):
        return ""
    if received is None:
        return _("The data is not quite up to date.")
    moment = datetime.fromtimestamp(received, app.zone)
    return _("The data is not quite up to date (as of {time}).").format(time=moment.strftime("%H:%M"))


class BoothScreen(KScreen):
    key = "booth"

    def __init__(self, app, **kwargs):
        super().__init__(app, **kwargs)
        self.message: KLabel | None = None
        self.detail: KLabel | None = None
        self.notice: KLabel | None = None
        self.cover: Image | None = None
        self.icon: Icon | None = None

    def title(self) -> str:
        return _("Book booth")

    def build(self):
        m, rtl = self.m, self.rtl
        root = BoxLayout(orientation="vertical" if m.portrait else "horizontal", padding=m.gap, spacing=m.gap)
        # The three steps are what a child reads first: half the width, their words at full size, each
        # step as high as its words need; in large text the card is wider, and scrolls if it must.
        steps = Panel(orientation="vertical", bg=rgb(theme.CARD), border=rgb(theme.LINE), radius=m.px(16),
                      padding=m.px(12), size_hint=(1.5 if m.text > 1.0 and not m.portrait else 1, 1))
        rows = [self.label(_("How to borrow a book"), 24, theme.PURPLE, bold=True, grow=True)]
        for number, icon, words in (
                ("1", "card", _("Hold your library card to the reader.")),
                ("2", "book", _("Then hold the book to the reader. Done!")),
                ("3", "back", _("To bring it back, just hold the book to the reader."))):
            holder = AnchorLayout(size_hint_x=None, width=m.px(40))
            circle = Panel(bg=rgb(theme.PURPLE), radius=m.px(20), size_hint=(None, None), size=(m.px(40), m.px(40)))
            circle.add_widget(self.label(number, 20, theme.ON_DARK, bold=True, align="center", data=True))
            holder.add_widget(circle)
            words = self.label(words, 20, theme.INK, grow=True)
            rows.append(self.row_for(words, [holder, Icon(name=icon, colour=rgb(theme.PURPLE), size_hint_x=None,
                                                          width=m.px(40)), words],
                                     least=m.px(64), spacing=m.px(8)))
        steps.add_widget(self.column(rows, m.px(10)))
        live = Panel(orientation="vertical", bg=rgb(theme.PURPLE), radius=m.px(16), padding=m.px(14),
                     spacing=m.px(8))
        # The picture takes what the words leave: the book icon, or the cover of the book just borrowed
        # where the desk keeps one on this Pi (kiosk/desk/covers.py); one shows, the other is see-through.
        self.icon = Icon(name="book", colour=rgb(theme.ON_DARK))
        self.cover = Image(opacity=0, fit_mode="contain")
        picture = AnchorLayout()
        picture.add_widget(self.icon)
        picture.add_widget(self.cover)
        live.add_widget(picture)
        self.message = self.label("", 30, theme.ON_DARK, bold=True, align="center", grow=True, data=True)
        self.detail = self.label("", 21, theme.ON_DARK, align="center", grow=True, data=True)
        self.notice = self.label("", 18, theme.GOLD, align="center", grow=True, data=True)
        live.add_widget(self.message)
        live.add_widget(self.detail)
        live.add_widget(self.notice)
        for w in ([live, steps] if rtl and not m.portrait else [steps, live]):
            root.add_widget(w)
        self.show_latest()
        return root

    # --- live -----------------------------------------------------------------------------------------
    def latest(self) -> BoothEvent | None:
        events = [e for e in self.app.live.events if e.value.type in ("checkout", "return", "denied", "session_start")]
        if not events or self.app.clock() - events[-1].received > SHOW_EVENT_S:
            return None
        return events[-1].value

    def show_latest(self) -> None:
        if self.message is None:
            return
        self.message.raw, self.detail.raw = self.news()
        self.show_cover(self.latest())
        self.notice.raw = stale_text(self.app, "booth", self.app.live.summary.received if self.app.live.summary
                                     else None) if not self.app.live.is_current("booth") and self.app.live.bus else ""

    def news(self, spoken: bool = False) -> tuple[str, str]:
        """(message, detail) of the latest tap, or the greeting; `spoken`: the due date in words."""
        event = self.latest()
        if event is None:
            return (_("Hello! Hold your library card to the reader."),
                    _("Children's and youth books to borrow, free of charge."))
        return self.event_text(event), self.event_detail(event, spoken)

    def show_cover(self, event: BoothEvent | None) -> None:
        """The cover of a book just borrowed above its title, when this Pi has it; else the book icon."""
        path = cover_path(self.app.station, event.book.isbn) \
            if event is not None and event.type == "checkout" and event.book and event.book.isbn else None
        shown = path is not None
        self.cover.source = str(path) if shown else ""
        self.cover.opacity, self.icon.opacity = (1, 0) if shown else (0, 1)

    def event_text(self, event: BoothEvent) -> str:
        kind, card, loans, reason = event.type, event.card or "", event.loans, event.reason
        title = event.title or ""
        if kind == "checkout":
            n = int(loans or 1)
            return ngettext("Hello {card} – you now have {n} book.", "Hello {card} – you now have {n} books.",
                            n).format(card=card, n=n)
        if kind == "return":
            return _("Thank you! “{title}” is back.").format(title=title) if title else _("Thank you! The book is back.")
        if kind == "session_start":
            if reason == "overdue":
                return _("Hello {card}! A book would like to come home soon.").format(card=card)
            return _("Hello {card}! Now hold a book to the reader.").format(card=card)
        if reason == "overdue":
            return _("Please bring your old book back first – then you can take a new one.")
        if reason == "limit":
            n = int(loans or 0)
            return ngettext("You already have {n} book. Bring one back, then take a new one.",
                            "You already have {n} books. Bring one back, then take a new one.", n).format(n=n)
        if reason in ("blocked", "unknown_tag", "unknown"):
            return _("Please ask us in the office – we will help you.")
        if reason == "not_on_loan":
            return _("This book is not borrowed. You can take it with your card.")
        return _("That did not work. Please try again.")

    def event_detail(self, event: BoothEvent, spoken: bool = False) -> str:
        kind = event.type
        title = event.title or ""
        if kind == "checkout" and title:
            due = event.due
            if due:
                try:
                    # The offers' date pattern of this language (kiosk/offers/when.py): one format per language.
                    moment = parse_iso(due).astimezone(self.app.zone)
                    day = spoken_date(moment, self.lang) if spoken else format_date(moment, self.lang)
                except (ValueError, OverflowError):
                    day = due[:10]
                return _("“{title}” – please bring it back by {date}.").format(title=title, date=day)
            return "“" + title + "”"
        if kind == "session_start" and event.reason == "overdue":
            return _("No hurry and no fine – just bring it back when you can.")
        return ""

    def live_changed(self, kind: str, key) -> None:
        if kind in ("booth_event", "connection", "status", "summary") and self.app.current == self.key:
            self.show_latest()

    def tick(self) -> None:
        if self.message is not None and self.latest() is None and self.app.live.events:
            self.show_latest()

    def speech_text(self) -> str:
        parts = [*self.news(spoken=True),
                 _("How to borrow a book"), _("Hold your library card to the reader."),
                 _("Then hold the book to the reader. Done!"),
                 _("To bring it back, just hold the book to the reader.")]
        return ". ".join(p for p in parts if p)
