"""The kiosk's building blocks: a label that always fits, big tiles and buttons, cards, a QR code.

`KLabel` takes logical text (`raw`) and the language, wraps and shapes it with
`kiosk.ui.text`, and shrinks its font step by step (down to `min_font`) until the
text fits its box. `min_font` comes from `Metrics.shrink`: never under the text floor
(theme.TEXT_FLOOR), and in large text never under the normal size, so a screen that
is too small for its words must give them room. A `grow` label asks for that room
itself: its height follows its wrapped text (`wanted_height`), for a box that scrolls
or grows. If even the smallest size does not fit, `overflow` turns True — the
screenshot and layout tests fail on that, so a translation that is too long is found
before it reaches the shop window. A tile or button does not shrink its words unless
given a `min_font`.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from functools import lru_cache
from typing import Callable

from kivy.clock import Clock
from kivy.graphics import BorderImage, Color, Ellipse, Line, Rectangle
from kivy.graphics.scissor_instructions import ScissorPop, ScissorPush
from kivy.graphics.stencil_instructions import StencilPop, StencilPush, StencilUnUse, StencilUse
from kivy.properties import (BooleanProperty, ListProperty, NumericProperty, ObjectProperty, OptionProperty,
                             StringProperty)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.ui import text as ktext
from kiosk.ui.icons import Icon
from kiosk.ui import theme
from kiosk.ui.theme import rgb, INK, CARD


SHARED_TEXTURES_MAX = 128
_SHARED_TEXTURES: "OrderedDict[tuple, object]" = OrderedDict()


class KLabel(Label):
    """Text in any of the five languages that fits its box (see module doc)."""

    raw = StringProperty("")
    lang = StringProperty("de")
    max_font = NumericProperty(22)
    min_font = NumericProperty(12)
    align = OptionProperty("start", options=("start", "center", "end"))
    wrap = BooleanProperty(True)
    overflow = BooleanProperty(False)
    data = BooleanProperty(False)      # user or partner content: not a UI string to translate
    ellipsis = BooleanProperty(False)  # cut long (user) text with "…" instead of overflowing
    fitted_font = NumericProperty(0)
    # Never shrink: keep `max_font` and ask for the height the wrapped text needs (`wanted_height`;
    # with size_hint_y None the label takes it), for a box that grows or scrolls.
    grow = BooleanProperty(False)
    wanted_height = NumericProperty(0)
    # Short words that repeat (a status, "+3"): labels showing the same share one texture, so a
    # recycled row of the ideas wall does not render them again while a finger scrolls.
    shared = BooleanProperty(False)

    def __init__(self, **kwargs):
        kwargs.setdefault("color", rgb(INK))
        kwargs.setdefault("valign", "middle")
        super().__init__(**kwargs)
        self._fit_trigger = Clock.create_trigger(self._fit, -1)
        self.bind(raw=self._fit_trigger, lang=self._fit_trigger, max_font=self._fit_trigger,
                  min_font=self._fit_trigger, size=self._fit_trigger, align=self._fit_trigger,
                  wrap=self._fit_trigger, bold=self._fit_trigger, grow=self._fit_trigger)
        self._fit_trigger()

    def fit_now(self) -> None:
        self._fit()

    def _fit(self, *_):
        width, height = self.width, self.height
        if not self.raw:
            self.text = ""
            self.overflow = False
            if self.grow:
                self.wanted_height = 0
                if self.size_hint_y is None:
                    self.height = 0
            return
        if width < 4 or (height < 4 and not self.grow):
            return
        if self.grow:
            lay = ktext.layout(self.raw, self.lang, int(self.max_font), width if self.wrap else None, self.bold)
            self.wanted_height = math.ceil(lay.height * 1.1) + 2
            if self.size_hint_y is None:
                self.height = height = self.wanted_height
        size = max(6, int(self.max_font))
        low = max(6, int(min(self.min_font, self.max_font)))
        while True:
            lay = ktext.layout(self.raw, self.lang, size, width if self.wrap else None, self.bold)
            fits = lay.fits_width and lay.width <= width and lay.height <= height
            if fits or size <= low:
                break
            size = max(low, int(size * 0.9))
        if not fits and self.ellipsis:
            lay, fits = self._shorten(size, width, height)
        self.overflow = not fits
        rtl = ktext.is_rtl(self.lang) or (ktext.has_rtl(self.raw) and ktext._first_strong_rtl(self.raw))
        halign = {"start": "right" if rtl else "left", "end": "left" if rtl else "right",
                  "center": "center"}[self.align]
        self.fitted_font = size
        self.font_name = lay.font
        self.font_size = size
        self.markup = lay.markup
        self.halign = halign
        # Height unbounded: Kivy silently drops lines that pass a bounded text_size, and its
        # line height may round above ours; the label centres the texture in its box anyway.
        self.text_size = (width, None)
        self.text = lay.text

    def _shorten(self, size: int, width: float, height: float):
        words = self.raw.split()
        low, high, best = 1, len(words), None
        while low <= high:
            middle = (low + high) // 2
            lay = ktext.layout(" ".join(words[:middle]) + " …", self.lang, size, width if self.wrap else None,
                               self.bold)
            if lay.fits_width and lay.width <= width and lay.height <= height:
                best, low = lay, middle + 1
            else:
                high = middle - 1
        if best is None:
            return ktext.layout("…", self.lang, size, width, self.bold), True
        return best, True

    def texture_update(self, *largs):
        if not self.shared or not self.text:
            return super().texture_update(*largs)
        key = (self.text, self.font_name, self.font_size, self.bold, tuple(self.color), self.halign, self.valign,
               tuple(self.text_size), self.markup)
        texture = _SHARED_TEXTURES.get(key)
        if texture is not None:
            _SHARED_TEXTURES.move_to_end(key)
            self.texture = texture
            self.texture_size = list(texture.size)
            return
        super().texture_update(*largs)
        texture = self.texture
        if texture is None or texture.width <= 1 or texture.height <= 1:
            return
        # Kivy paints a label's texture on first use, from whatever text its core label holds by
        # then: paint it now, and let the next text get a texture of its own.
        texture.bind()
        self._label.texture = None
        _SHARED_TEXTURES[key] = texture
        if len(_SHARED_TEXTURES) > SHARED_TEXTURES_MAX:
            _SHARED_TEXTURES.popitem(last=False)

    def needed(self) -> tuple[int, int]:
        """(width, height) the text needs at its fitted size, for checks."""
        lay = ktext.layout(self.raw, self.lang, int(self.fitted_font or self.max_font),
                           self.width if self.wrap else None, self.bold)
        return lay.width, lay.height


BORDER_WIDTH = 1.5          # px of a panel's outline


@lru_cache(maxsize=32)
def _round_box_cover(radius: int) -> tuple[int, tuple[tuple[float, float], ...]]:
    """Anti-aliased coverage of a rounded box's fill and of its outline, per pixel of a square with
    `radius` px corners and a one-pixel stretchable middle: (corner size, ((fill, outline), ...))."""
    corner = max(1, radius) + 1
    side = 2 * corner + 1
    half = side / 2
    # distance of each pixel column (and row) from the straight part of the edge; symmetric
    q = [abs(i + 0.5 - half) - (half - radius) for i in range(side)]
    cover = []
    for qy in q:
        for qx in q:
            # signed distance from the pixel centre to the box's edge (negative inside)
            d = math.hypot(max(qx, 0.0), max(qy, 0.0)) + min(max(qx, qy), 0.0) - radius
            fill = min(1.0, max(0.0, 0.5 - d))
            line = min(1.0, max(0.0, BORDER_WIDTH / 2 + 0.5 - abs(d + BORDER_WIDTH / 2)))
            cover.append((fill, line))
    return corner, tuple(cover)


@lru_cache(maxsize=256)
def _round_box_texture(radius: int, bg: tuple, border: tuple):
    """A nine-slice texture of the whole panel, fill and outline in their colours (straight alpha)."""
    from kivy.graphics.texture import Texture

    corner, cover = _round_box_cover(radius)
    pixels: dict[tuple[float, float], bytes] = {}      # most pixels share a coverage: compute each once

    def pixel(fill: float, line: float) -> bytes:
        a_bg, a_line = bg[3] * fill, border[3] * line
        alpha = a_line + a_bg * (1 - a_line)
        if alpha <= 0:
            return bytes(4)
        rgb_ = (int(255 * (border[i] * a_line + bg[i] * a_bg * (1 - a_line)) / alpha + 0.5) for i in range(3))
        return bytes((*rgb_, int(255 * alpha + 0.5)))

    data = b"".join(pixels.get(c) or pixels.setdefault(c, pixel(*c)) for c in cover)
    side = 2 * corner + 1
    texture = Texture.create(size=(side, side), colorfmt="rgba")
    texture.blit_buffer(data, colorfmt="rgba", bufferfmt="ubyte")
    return corner, texture


class Panel(BoxLayout):
    """A box with a rounded, filled background (and an optional border).

    The background is one nine-slice image (BorderImage) of a small anti-aliased texture with fill
    and outline painted in, cached per corner radius and colours: one textured quad mesh per panel.
    Kivy's RoundedRectangle plus a wide rounded Line cost hundreds of vertices and two passes over
    the panel's pixels, and a screen full of panels (the ideas wall while scrolling) spent most of
    its frame rasterising them in a software renderer.
    """

    bg = ListProperty(rgb(CARD))
    border = ListProperty([0, 0, 0, 0])
    radius = NumericProperty(12)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.canvas.before:
            Color(1, 1, 1, 1)
            self._bg_image = BorderImage(pos=self.pos, size=self.size, auto_scale="both_lower")
        self._look = None
        self.bind(pos=self._update, size=self._update, bg=self._update, border=self._update, radius=self._update)
        self._update()

    def _update(self, *_):
        radius = int(round(max(0.0, min(self.radius, self.width / 2, self.height / 2))))
        look = (radius, tuple(self.bg), tuple(self.border))
        if look != self._look:
            self._look = look
            corner, self._bg_image.texture = _round_box_texture(*look)
            self._bg_image.border = (corner, corner, corner, corner)
        self._bg_image.pos, self._bg_image.size = self.pos, self.size


class Tap(ButtonBehavior, Panel):
    """A touchable panel: darker while pressed, calls `action` on release.

    A light fill (a white key on cream paper) always gets an outline (theme.LINE) unless it is given
    one: without it the key cannot be told from the paper. Setting `border` later sticks; the
    pressed and selected looks come from theme (pressed, selected_edge) so text stays readable.
    """

    action = ObjectProperty(None, allownone=True)
    tag = StringProperty("")       # names the button for tests and speech
    selected = BooleanProperty(False)
    enabled = BooleanProperty(True)

    def __init__(self, **kwargs):
        self._base = None
        self._shading = False
        super().__init__(**kwargs)
        self._base = list(self.bg)
        self._outline = list(self.border)
        self.bind(state=self._shade, selected=self._shade, enabled=self._shade, border=self._keep_outline)
        self._shade()

    def set_colour(self, colour) -> None:
        self._base = list(colour)
        self._shade()

    def _keep_outline(self, _tap, border) -> None:
        if not self._shading:
            self._outline = list(border)

    def _shade(self, *_):
        if self._base is None:
            return
        r, g, b, a = theme.pressed(self._base) if self.state == "down" else self._base
        outline = self._outline
        if not outline[3] and theme.light(self._base):
            outline = rgb(theme.LINE)
        self._shading = True
        self.bg = (r, g, b, a if self.enabled else a * 0.45)
        self.border = theme.selected_edge(self._base) if self.selected else outline
        self._shading = False

    def on_release(self):
        if self.enabled and self.action:
            self.action()

    def on_touch_down(self, touch):
        if not self.enabled and self.collide_point(*touch.pos):
            return True
        return super().on_touch_down(touch)


def tile(*, icon: str, text: str, lang: str, colour, fg, action: Callable | None, font: float, tag: str = "",
         horizontal: bool = False, rtl: bool = False, radius: float = 14, pad: float = 10,
         icon_share: float = 0.5, min_font: float | None = None, bold: bool = True) -> Tap:
    """A big picture button: icon and words on a coloured panel."""
    box = Tap(orientation="horizontal" if horizontal else "vertical", bg=colour, radius=radius, padding=pad,
              spacing=pad * 0.6, action=action, tag=tag)
    ico = Icon(name=icon, colour=fg, mirror=rtl and icon in ("back", "forward", "book"),
               size_hint=(icon_share, 1) if horizontal else (1, icon_share))
    label = KLabel(raw=text, lang=lang, color=fg, max_font=font, min_font=min_font or font, bold=bold,
                   align="start" if horizontal else "center",
                   size_hint=(1 - icon_share, 1) if horizontal else (1, 1 - icon_share))
    if horizontal and rtl:
        box.add_widget(label)
        box.add_widget(ico)
    else:
        box.add_widget(ico)
        box.add_widget(label)
    return box


def button(*, text: str, lang: str, colour, fg, action: Callable | None, font: float, tag: str = "",
           icon: str | None = None, rtl: bool = False, radius: float = 12, pad: float = 8,
           min_font: float | None = None, data: bool = False, text_lang: str | None = None,
           icon_width: float | None = None, **kwargs) -> Tap:
    """A plain button with words (and maybe a small icon before them)."""
    box = Tap(orientation="horizontal", bg=colour, radius=radius, padding=(pad * 1.5, pad), spacing=pad,
              action=action, tag=tag, **kwargs)
    parts = []
    if icon:
        parts.append(Icon(name=icon, colour=fg, size_hint=(None, 1), width=icon_width or font * 1.4,
                          mirror=rtl and icon in ("back", "forward")))
    parts.append(KLabel(raw=text, lang=text_lang or lang, color=fg, max_font=font, min_font=min_font or font,
                        bold=True, align="center" if not icon else "start", data=data))
    for part in (reversed(parts) if rtl else parts):
        box.add_widget(part)
    return box


def hbox(children: list, rtl: bool, **kwargs) -> BoxLayout:
    """A row that runs right to left in Arabic."""
    box = BoxLayout(orientation="horizontal", **kwargs)
    for child in (reversed(children) if rtl else children):
        box.add_widget(child)
    return box


class QRCode(Widget):
    """A QR code drawn as rectangles from a boolean matrix (dark modules True), with a quiet zone."""

    matrix = ListProperty([])

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._trigger = Clock.create_trigger(self._redraw, -1)
        self.bind(pos=self._trigger, size=self._trigger, matrix=self._trigger)

    def _redraw(self, *_):
        self.canvas.clear()
        rows = self.matrix
        if not rows:
            return
        count = len(rows) + 4     # quiet zone of 2 modules each side
        side = min(self.width, self.height)
        module = int(side / count) or 1
        total = module * count
        x0 = int(self.center_x - total / 2)
        y0 = int(self.center_y - total / 2)
        with self.canvas:
            Color(1, 1, 1, 1)
            Rectangle(pos=(x0, y0), size=(total, total))
            Color(0, 0, 0, 1)
            for r, row in enumerate(rows):
                y = y0 + total - (r + 3) * module
                run_start = None
                for c, dark in enumerate(list(row) + [False]):
                    if dark and run_start is None:
                        run_start = c
                    elif not dark and run_start is not None:
                        Rectangle(pos=(x0 + (run_start + 2) * module, y), size=((c - run_start) * module, module))
                        run_start = None


class Dots(Widget):
    """How many of `total` places are filled (the staff PIN), as drawn circles: filled ones solid,
    the rest as rings. Drawn, not typed: "●/○" have no glyph in the kiosk's Noto Sans."""

    filled = NumericProperty(0)
    total = NumericProperty(4)
    colour = ListProperty(rgb(INK))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._trigger = Clock.create_trigger(self._redraw, -1)
        self.bind(pos=self._trigger, size=self._trigger, filled=self._trigger, total=self._trigger,
                  colour=self._trigger)

    def _redraw(self, *_):
        self.canvas.clear()
        count = max(int(self.total), int(self.filled))
        if count <= 0 or self.width < 4 or self.height < 4:
            return
        side = min(self.height * 0.6, self.width / (count * 1.8))
        step = side * 1.8
        x0 = self.center_x - step * count / 2 + (step - side) / 2
        y = self.center_y - side / 2
        ring = max(1.5, side * 0.09)
        with self.canvas:
            Color(*self.colour)
            for i in range(count):
                x = x0 + i * step
                if i < self.filled:
                    Ellipse(pos=(x, y), size=(side, side))
                else:
                    Line(circle=(x + side / 2, y + side / 2, side / 2 - ring), width=ring)


class ScissorClip:
    """Mix into a ScrollView/RecycleView: clip the content with a scissor box, not a stencil.

    Kivy's StencilView draws its whole box into the stencil buffer before the content and again
    after it; in a software renderer those two extra full-area passes cost more than the rows
    they clip. A scissor box is free, but it is given in window coordinates, so it moves with the
    view (screens themselves stay put: the kiosk has no screen transitions). When Kivy rotates
    the picture (`ui.rotation`), it does not rotate scissor boxes: then the stencil stays.
    """

    def __init__(self, **kwargs):
        from kivy.core.window import Window

        # Kivy's pale grey bar (1.9:1 on paper) fades out when still: often it is the only sign
        # that more is hidden below, so it stays, in a colour a person can see.
        kwargs.setdefault("bar_color", rgb(theme.SCROLL_BAR))
        kwargs.setdefault("bar_inactive_color", rgb(theme.SCROLL_BAR))
        super().__init__(**kwargs)
        if Window is None or Window.rotation % 360:
            return
        drop_stencil(self.canvas.before)
        drop_stencil(self.canvas.after)
        self._scissor = ScissorPush(x=0, y=0, width=1, height=1)
        self.canvas.before.insert(0, self._scissor)
        self.canvas.after.insert(0, ScissorPop())
        self.bind(pos=self._clip, size=self._clip, parent=self._clip)

    def _clip(self, *_):
        x, y = self.to_window(self.x, self.y)
        self._scissor.x, self._scissor.y = int(round(x)), int(round(y))
        self._scissor.width, self._scissor.height = max(1, int(round(self.width))), max(1, int(round(self.height)))


def drop_stencil(group) -> None:
    """Remove the stencil instructions Kivy's <StencilView> rule put in `group` (and their boxes)."""
    kids = list(group.children)
    doomed = []
    for i, instruction in enumerate(kids):
        if isinstance(instruction, (StencilPush, StencilUse, StencilUnUse, StencilPop)):
            doomed.append(instruction)
            if isinstance(instruction, (StencilPush, StencilUnUse)) and i + 2 < len(kids) \
                    and isinstance(kids[i + 2], Rectangle):
                doomed.append(kids[i + 2])    # [push, BindTexture, Rectangle, use]
    for instruction in doomed:
        group.remove(instruction)


class ScrollBox(ScissorClip, ScrollView):
    """A ScrollView clipped by a scissor box (see ScissorClip)."""
