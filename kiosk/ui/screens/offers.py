"""Offers: a finder with picture buttons (for whom? what do you need?), the matching list, one offer with its QR code."""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.ui import theme
from kiosk.ui.i18n import N_, _, ngettext
from kiosk.ui.icons import Icon
from kiosk.ui.screens import KScreen, Query
from kiosk.ui.theme import rgb
from kiosk.ui.widgets import Panel, QRCode, ScrollBox, Tap, button, hbox, tile

AUDIENCE_WORDS = {"children": N_("Children"), "youth": N_("Young people"), "families": N_("Families"),
                  "single_parents": N_("Single parents"), "everyone": N_("Everyone")}
TOPIC_WORDS = {"education": N_("Learning"), "health": N_("Health"), "culture": N_("Culture"),
               "participation": N_("Join in"), "everyday": N_("Everyday help")}
AUDIENCES = tuple(AUDIENCE_WORDS)
TOPICS = tuple(TOPIC_WORDS)


def matching(app, query: Query) -> list:
    from kiosk.offers import find, today

    now = app.now()
    offers = app.offers
    if query.today:
        chosen = today(offers, now)
        if query.audience or query.topic:
            wanted = {o.id for o in find(offers, query.audience, query.topic, now=now)}
            chosen = [o for o in chosen if o.id in wanted]
        return chosen
    return find(offers, query.audience, query.topic, now=now)


class OffersScreen(KScreen):
    key = "offers"

    def title(self) -> str:
        return _("Offers")

    def build(self):
        m, rtl = self.m, self.rtl
        root = BoxLayout(orientation="vertical", padding=m.gap, spacing=m.gap)
        top = hbox([
            button(text=_("What is on today?"), lang=self.lang, colour=rgb(theme.TEAL), fg=rgb(theme.ON_DARK),
                   font=m.font(24), min_font=m.shrink(24), icon="clock", rtl=rtl, action=self._today, tag="today",
                   radius=m.px(14)),
            button(text=_("All offers"), lang=self.lang, colour=rgb(theme.CARD), fg=rgb(theme.TEAL),
                   border=rgb(theme.TEAL), font=m.font(22), min_font=m.shrink(22), icon="list", rtl=rtl,
                   action=self._all, tag="all",
                   radius=m.px(14), size_hint_x=0.6),
        ], rtl, spacing=m.gap, size_hint_y=None, height=m.px(60))
        root.add_widget(top)
        # Large text reflows the picture buttons into three columns of taller tiles, and the finder
        # scrolls: words of 24 px do not fit five to a row.
        large = m.text > 1.0
        cols = 3 if m.portrait or large else 5
        finder = root
        if large:
            finder = BoxLayout(orientation="vertical", spacing=m.gap, size_hint_y=None, padding=(0, 0, m.px(14), 0))
            finder.bind(minimum_height=finder.setter("height"))
        for heading, words, pick, prefix in ((_("For whom?"), AUDIENCE_WORDS, self._audience, "audience"),
                                              (_("What do you need?"), TOPIC_WORDS, self._topic, "topic")):
            finder.add_widget(self.label(heading, 22, theme.INK, bold=True, size_hint_y=None,
                                         height=round(m.px(30) * m.text)))
            grid = GridLayout(cols=cols, spacing=m.gap)
            if large:
                grid.size_hint_y, grid.row_force_default, grid.row_default_height = None, True, m.px(150)
                grid.bind(minimum_height=grid.setter("height"))
            keys = list(words)
            for key in (keys if not rtl or cols > 5 else keys[::-1]):
                grid.add_widget(tile(icon=key, text=_(words[key]), lang=self.lang, colour=rgb(theme.CARD),
                                     fg=rgb(theme.TEAL), action=lambda k=key, p=pick: p(k), font=m.font(19),
                                     tag=f"{prefix}:{key}", radius=m.px(14), pad=m.px(4), icon_share=0.3,
                                     min_font=m.shrink(19)))
            if cols == 3:
                grid.add_widget(BoxLayout())
            finder.add_widget(grid)
        if large:
            scroll = ScrollBox(do_scroll_x=False, bar_width=m.px(8), scroll_type=["bars", "content"])
            scroll.add_widget(finder)
            root.add_widget(scroll)
        for child in root.children:
            if isinstance(child, Tap):
                child.border = rgb(theme.LINE)
        return root

    def speech_text(self) -> str:
        return ". ".join([_("Offers"), _("What is on today?"), _("For whom?")] +
                         [_(w) for w in AUDIENCE_WORDS.values()] + [_("What do you need?")] +
                         [_(w) for w in TOPIC_WORDS.values()])

    def _show(self, **changes) -> None:
        q = self.app.query
        q.clear()
        for key, value in changes.items():
            setattr(q, key, value)
        self.app.usage.finder(q.audience, q.topic)
        self.app.go("offer_list")

    def _today(self):
        self._show(today=True)

    def _all(self):
        self._show()

    def _audience(self, key):
        self._show(audience=key)

    def _topic(self, key):
        self._show(topic=key)


class OfferListScreen(KScreen):
    key = "offer_list"
    free_text = True

    def title(self) -> str:
        q = self.app.query
        if q.today:
            return _("Today")
        if q.audience:
            return _(AUDIENCE_WORDS[q.audience])
        if q.topic:
            return _(TOPIC_WORDS[q.topic])
        return _("All offers")

    def build(self):
        m, app, rtl = self.m, self.app, self.rtl
        q = app.query
        root = BoxLayout(orientation="vertical", padding=m.gap, spacing=m.gap)
        chips = [button(text=_("Today"), lang=self.lang, colour=rgb(theme.TEAL if q.today else theme.CARD),
                        fg=rgb(theme.ON_DARK if q.today else theme.TEAL), border=rgb(theme.TEAL), font=m.font(20),
                        min_font=m.shrink(20),
                        icon="clock", rtl=rtl, action=self._toggle_today, tag="chip:today", radius=m.px(28))]
        if q.audience:
            chips.append(self._chip(_(AUDIENCE_WORDS[q.audience]), q.audience, "chip:audience",
                                    lambda: self._drop("audience")))
        if q.topic:
            chips.append(self._chip(_(TOPIC_WORDS[q.topic]), q.topic, "chip:topic", lambda: self._drop("topic")))
        root.add_widget(hbox(chips + [BoxLayout(size_hint_x=max(0.1, 3 - len(chips)))], rtl, spacing=m.gap,
                             size_hint_y=None, height=m.touch))
        if not app.offers_ready:
            root.add_widget(self.label(_("One moment, the offers are loading …"), 24, theme.INK_SOFT, align="center"))
            return root
        found = matching(app, q)
        self.count = len(found)
        if not found:
            box = BoxLayout(orientation="vertical", spacing=m.gap)
            box.add_widget(self.label(_("Nothing found right now. Try another choice, or ask us in the office!"),
                                      24, theme.INK, align="center"))
            box.add_widget(button(text=_("Back to the choice"), lang=self.lang, colour=rgb(theme.TEAL),
                                  fg=rgb(theme.ON_DARK), font=m.font(22), min_font=m.shrink(22), icon="back", rtl=rtl,
                                  action=lambda: app.go("offers"), tag="to_finder", size_hint=(1, None),
                                  height=m.px(64)))
            root.add_widget(box)
            return root
        root.add_widget(self.label(ngettext("{n} offer", "{n} offers", len(found)).format(n=len(found)), 19,
                                   theme.INK_SOFT, size_hint_y=None, height=m.px(28)))
        scroll = ScrollBox(do_scroll_x=False, bar_width=m.px(8), scroll_type=["bars", "content"])
        rows = BoxLayout(orientation="vertical", size_hint_y=None, spacing=m.gap)
        rows.bind(minimum_height=rows.setter("height"))
        now = app.now()
        for offer in found:
            rows.add_widget(self._row(offer, now))
        scroll.add_widget(rows)
        root.add_widget(scroll)
        return root

    def _chip(self, words, icon, tag, action):
        m = self.m
        return button(text=words, lang=self.lang, colour=rgb(theme.TEAL), fg=rgb(theme.ON_DARK), font=m.font(20),
                      min_font=m.shrink(20),
                      icon="cross", rtl=self.rtl, action=action, tag=tag, radius=m.px(28))

    def _row(self, offer, now):
        from kiosk.offers import describe_when

        m, rtl = self.m, self.rtl
        row = Tap(orientation="horizontal", bg=rgb(theme.CARD), border=rgb(theme.LINE), radius=m.px(14),
                  padding=m.px(10), spacing=m.px(12), size_hint_y=None, height=m.px(96),
                  action=lambda o=offer.id: self._open(o), tag=f"offer:{offer.id}")
        icon = Icon(name=offer.icon, colour=rgb(theme.TEAL), size_hint_x=None, width=m.px(64))
        words = BoxLayout(orientation="vertical")
        words.add_widget(self.label(offer.text("title", self.lang), 23, theme.INK, bold=True, data=True,
                                    size_hint_y=0.55))
        words.add_widget(self.label(describe_when(offer, self.lang, now), 18, theme.INK_SOFT, data=True,
                                    size_hint_y=0.45))
        parts = [icon, words]
        if offer.is_today(now):
            badge = Panel(bg=rgb(theme.GREEN), radius=m.px(10), size_hint_x=None, width=m.px(92), padding=m.px(4))
            badge.add_widget(self.label(_("Today"), 18, theme.ON_DARK, bold=True, align="center"))
            parts.append(badge)
        parts.append(Icon(name="forward", colour=rgb(theme.INK_SOFT), size_hint_x=None, width=m.px(28),
                          mirror=rtl))
        for part in (parts[::-1] if rtl else parts):
            row.add_widget(part)
        return row

    def _open(self, offer_id):
        self.app.query.offer_id = offer_id
        self.app.usage.offer(offer_id)
        self.app.go("offer")

    def _toggle_today(self):
        self.app.query.today = not self.app.query.today
        self.rebuild()

    def _drop(self, what):
        setattr(self.app.query, what, None)
        self.rebuild()

    def speech_text(self) -> str:
        if not self.app.offers_ready:
            return self.title()
        found = matching(self.app, self.app.query)
        return ". ".join([self.title()] + [o.text("title", self.lang) for o in found[:8]])


class OfferScreen(KScreen):
    key = "offer"
    free_text = True

    def offer(self):
        wanted = self.app.query.offer_id
        return next((o for o in self.app.offers if o.id == wanted), None)

    def title(self) -> str:
        return _("Offer")

    def build(self):
        from kiosk.offers import describe_when, offer_qr_text, qr_matrix

        m, app, rtl = self.m, self.app, self.rtl
        offer = self.offer()
        root = BoxLayout(orientation="vertical" if m.portrait else "horizontal", padding=m.gap, spacing=m.gap)
        if offer is None:
            root.add_widget(self.label(_("This offer is no longer there."), 24, align="center"))
            return root
        now = app.now()
        info = Panel(orientation="vertical", bg=rgb(theme.CARD), border=rgb(theme.LINE), radius=m.px(16),
                     padding=m.px(14), spacing=m.px(6))
        # Each line as high as its words need; a long summary (or large text) scrolls the card.
        title = self.label(offer.text("title", self.lang), 28, theme.INK, bold=True, data=True, grow=True)
        rows = [self.row_for(title, [Icon(name=offer.icon, colour=rgb(theme.TEAL), size_hint_x=None,
                                          width=m.px(60)), title], least=m.px(60), spacing=m.px(10))]
        facts = [("clock", describe_when(offer, self.lang, now))]
        if offer.place:
            facts.append(("place", offer.place))
        cost = _("Free") if offer.free else offer.text("cost", self.lang)
        if cost:
            facts.append(("star", cost))
        if offer.contact:
            facts.append(("phone", offer.contact))
        for icon, words in facts:
            line = self.label(words, 20, theme.INK, data=True, grow=True)
            rows.append(self.row_for(line, [Icon(name=icon, colour=rgb(theme.TEAL), size_hint_x=None,
                                                 width=m.px(34)), line], least=m.px(34), spacing=m.px(8)))
        rows.append(self.label(offer.text("summary", self.lang), 20, theme.INK_SOFT, data=True, grow=True))
        info.add_widget(self.column(rows, m.px(6)))
        qr_box = Panel(orientation="vertical", bg=rgb(theme.CARD), border=rgb(theme.LINE), radius=m.px(16),
                       padding=m.px(10), spacing=m.px(4),
                       size_hint=(1, 0.34) if m.portrait else (0.36, 1))
        code = QRCode(matrix=qr_matrix(offer_qr_text(offer, self.lang, now)))
        caption = self.label(_("Scan me: take it along on your phone"), 18, theme.INK, align="center", grow=True)
        if m.portrait:
            qr_box.orientation = "horizontal"
            code.size_hint_x = 0.45
            caption.grow, caption.size_hint_y = False, 1
            for w in ([caption, code] if rtl else [code, caption]):
                qr_box.add_widget(w)
        else:
            qr_box.add_widget(code)
            qr_box.add_widget(caption)
        for w in ([qr_box, info] if rtl and not m.portrait else [info, qr_box]):
            root.add_widget(w)
        return root

    def speech_text(self) -> str:
        from kiosk.offers.spoken import spoken_when

        offer = self.offer()
        if offer is None:
            return ""
        return ". ".join(x for x in (offer.text("title", self.lang), spoken_when(offer, self.lang, self.app.now()),
                                     offer.place, offer.text("summary", self.lang)) if x)
